// unclosed-math: a math delimiter or environment without its partner. In a formula: a \begin
// without its \end, or closed by another environment's. In a post: an opener the page shows as
// text because nothing closes it — the parse that renders the page records each one
// (`PostMath.unclosed`, from the finder's inline rule), so lint reports exactly what the reader
// sees as stray TeX, no more (prices, code, link text) and no less.

import { msg } from '../../l10n/message';
import type { UnclosedOpener } from '../../math/postMath';
import { environmentName, readArgument } from '../../math/texScanner';
import type { FormulaAnalysis } from '../formulaAnalysis';
import type { NoteText } from '../noteText';
import { defineRule, type RuleFinding } from '../rule';

export const unclosedMath = defineRule({
  id: 'unclosed-math',
  defaultSeverity: 'error',
  description:
    "A math delimiter or environment without its partner: `$`, `$$`, `\\(`, `\\[`, `\\begin{…}` without `\\end{…}` (or closed by another environment's `\\end`).",
  checkFormula(formula, report) {
    for (const x of environmentFindings(formula)) report(x.start, x.end, x.message, x.fixes);
  },
  checkPost(post, report) {
    for (const u of post.math.unclosed) {
      const start = openerOffset(post.doc, u);
      if (start !== undefined) report(start, start + u.text.length, openerMessage(u));
    }
  },
});

/** The formula's environment findings (katex-parse says nothing where there are some: they are the cause). */
export function environmentFindings(f: FormulaAnalysis): RuleFinding[] {
  return f.memo('unclosed-math', () => {
    const src = f.repaired.text;
    const tokens = f.repairedTokens;
    const at = (o: number) => f.repaired.toSource(o);
    const end = f.source.length;
    const out: RuleFinding[] = [];
    const open: Array<{ name: string; start: number; end: number }> = [];
    for (let i = 0; i < tokens.length; i++) {
      const name = environmentName(tokens, i, src);
      if (name === undefined) continue;
      const arg = readArgument(tokens, i + 1)!;
      const span = { name, start: tokens[i].start, end: tokens[arg.last].end };
      if (tokens[i].text === '\\begin') {
        open.push(span);
        continue;
      }
      const top = open.pop();
      if (!top) out.push({ start: at(span.start), end: at(span.end), message: msg('`\\end{{0}}` has no `\\begin{{0}}`.', name) });
      else if (top.name !== name) {
        out.push({
          start: at(span.start),
          end: at(span.end),
          message: msg('`\\begin{{0}}` is closed by `\\end{{1}}`.', top.name, name),
          fixes: [
            {
              title: msg('Change it to `\\end{{0}}`', top.name),
              edits: [{ start: at(arg.contentStart), end: at(arg.contentEnd), text: top.name }],
            },
          ],
        });
      }
    }
    for (const e of open) {
      out.push({
        start: at(e.start),
        end: at(e.end),
        message: msg('`\\begin{{0}}` has no `\\end{{0}}`.', e.name),
        fixes: [
          { title: msg('Add `\\end{{0}}` at the end of the formula', e.name), edits: [{ start: end, end, text: `\\end{${e.name}}` }] },
        ],
      });
    }
    return out;
  });
}

const CLOSERS: Readonly<Record<string, string>> = { paren: '\\)', brackets: '\\]', escapedParen: '\\\\)', escapedBrackets: '\\\\]' };

function openerMessage(u: UnclosedOpener) {
  switch (u.kind) {
    case 'dollar':
      return msg('`$` opens math that is never closed.');
    case 'dollars':
      return msg('`$$` opens display math that is never closed.');
    case 'env':
      return msg('`\\begin{{0}}` has no `\\end{{0}}`: the environment shows as text.', /\{([^}]*)\}/.exec(u.text)?.[1] ?? '');
    default:
      return msg('`{0}` opens math that is never closed with `{1}`.', u.text, CLOSERS[u.kind] ?? '\\]');
  }
}

/** The opener's document offset: the paragraph's line is the end of the source line (after `>` and indentation), or a part of it (a table cell). */
function openerOffset(doc: NoteText, u: UnclosedOpener): number | undefined {
  if (u.line >= doc.lineCount) return undefined;
  const line = doc.lineText(u.line);
  const base = doc.lineStart(u.line);
  const fromEnd = line.trimEnd().length - u.tail;
  if (fromEnd >= 0 && line.startsWith(u.text, fromEnd)) return base + fromEnd;
  if (line.startsWith(u.text, u.column)) return base + u.column;
  const at = line.indexOf(u.text);
  return at >= 0 ? base + at : undefined;
}
