// katex-parse: KaTeX cannot parse the formula: the preview shows it as red source text.
// Read from KaTeX's error for the formula (lint/katexErrors.ts).

import { katexErrorFindings } from '../katexErrors';
import { defineRule } from '../rule';

export const katexParse = defineRule({
  id: 'katex-parse',
  defaultSeverity: 'error',
  description: 'KaTeX cannot parse the formula, so the preview shows it as red source text.',
  checkFormula(formula, report) {
    for (const x of katexErrorFindings(formula, 'katex-parse')) report(x.start, x.end, x.message, x.fixes);
  },
});
