// unbalanced: a `{` never closed, a `}` closing nothing, a \left without \right or the reverse,
// on the TeX as the preview repairs it (`\left\\{` is a conversion artefact, not a brace).

import { msg } from '../../l10n/message';
import type { TexToken } from '../../math/texScanner';
import type { FormulaAnalysis } from '../formulaAnalysis';
import { defineRule, type RuleFinding } from '../rule';

export const unbalanced = defineRule({
  id: 'unbalanced',
  defaultSeverity: 'error',
  description: 'A `{` never closed, a `}` that closes nothing, a `\\left` without `\\right` or the reverse.',
  checkFormula(formula, report) {
    for (const x of unbalancedFindings(formula)) report(x.start, x.end, x.message, x.fixes);
  },
});

/** The formula's findings (katex-parse says nothing where there are some: they are the cause). */
export function unbalancedFindings(f: FormulaAnalysis): RuleFinding[] {
  return f.memo('unbalanced', () => {
    const at = (o: number) => f.repaired.toSource(o);
    const out: RuleFinding[] = [];
    braces(f.repairedTokens, at, f.source.length, out);
    leftRight(f.repairedTokens, at, f.source.length, out);
    return out;
  });
}

function braces(tokens: TexToken[], at: (o: number) => number, end: number, out: RuleFinding[]): void {
  const open: TexToken[] = [];
  for (const t of tokens) {
    if (t.kind === 'open') open.push(t);
    else if (t.kind === 'close' && !open.pop()) {
      out.push({
        start: at(t.start),
        end: at(t.end),
        message: msg('`}` closes no `{`.'),
        fixes: [{ title: msg('Remove the `}`'), edits: [{ start: at(t.start), end: at(t.end), text: '' }] }],
      });
    }
  }
  for (const t of open) {
    out.push({
      start: at(t.start),
      end: at(t.end),
      message: msg('`{` is never closed.'),
      fixes: [{ title: msg('Close it with `}` at the end of the formula'), edits: [{ start: end, end, text: '}' }] }],
    });
  }
}

function leftRight(tokens: TexToken[], at: (o: number) => number, end: number, out: RuleFinding[]): void {
  const open: TexToken[] = [];
  for (const t of tokens) {
    if (t.kind !== 'cs') continue;
    if (t.text === '\\left') open.push(t);
    else if (t.text === '\\right' && !open.pop()) {
      out.push({
        start: at(t.start),
        end: at(t.end),
        message: msg('`\\right` has no `\\left` before it.'),
        fixes: [{ title: msg('Add `\\left.` at the start of the formula'), edits: [{ start: at(0), end: at(0), text: '\\left.' }] }],
      });
    }
  }
  for (const t of open) {
    out.push({
      start: at(t.start),
      end: at(t.end),
      message: msg('`\\left` has no `\\right` after it.'),
      fixes: [{ title: msg('Add `\\right.` at the end of the formula'), edits: [{ start: end, end, text: '\\right.' }] }],
    });
  }
}
