// mathjax-only: a command or environment MathJax has and KaTeX lacks (MATHJAX_ONLY says what to write instead).
// Read from KaTeX's error for the formula (lint/katexErrors.ts).

import { katexErrorFindings } from '../katexErrors';
import { defineRule } from '../rule';

export const mathjaxOnly = defineRule({
  id: 'mathjax-only',
  defaultSeverity: 'warning',
  description:
    "A command MathJax has and KaTeX lacks (and that the renderer does not translate): `\\unicode`, `\\enclose`, `\\ce`, physics' `\\dv`, `\\qty`, `\\abs` ….",
  checkFormula(formula, report) {
    for (const x of katexErrorFindings(formula, 'mathjax-only')) report(x.start, x.end, x.message, x.fixes);
  },
});
