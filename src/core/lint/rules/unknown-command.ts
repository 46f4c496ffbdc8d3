// unknown-command: a command neither KaTeX nor the note defines, with the nearest names as fixes.
// Read from KaTeX's error for the formula (lint/katexErrors.ts).

import { katexErrorFindings } from '../katexErrors';
import { defineRule } from '../rule';

export const unknownCommand = defineRule({
  id: 'unknown-command',
  defaultSeverity: 'error',
  description:
    'A control sequence that neither KaTeX nor the note (`\\newcommand`, `\\def`, `mathNotes.macros`, `mathNotes.macroFile`) defines.',
  checkFormula(formula, report) {
    for (const x of katexErrorFindings(formula, 'unknown-command')) report(x.start, x.end, x.message, x.fixes);
  },
});
