// unclosed-math: an opener the page shows as text because nothing closes it. The parse that
// renders the page records each one (`PostMath.unclosed`, from the finder's inline rule), so lint
// reports exactly what the reader sees as stray TeX, no more (prices, code, link text) and no less.

import { msg } from '../../l10n/message';
import type { UnclosedOpener } from '../../math/postMath';
import type { NoteText } from '../noteText';
import type { Report } from './formulaRules';

/** Reports each unclosed opener at its place. */
export function lintDelimiters(doc: NoteText, unclosed: readonly UnclosedOpener[], report: Report): void {
  for (const u of unclosed) {
    const start = openerOffset(doc, u);
    if (start === undefined) continue;
    report('unclosed-math', start, start + u.text.length, message(u));
  }
}

const CLOSERS: Readonly<Record<string, string>> = { paren: '\\)', brackets: '\\]', escapedParen: '\\\\)', escapedBrackets: '\\\\]' };

function message(u: UnclosedOpener) {
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
