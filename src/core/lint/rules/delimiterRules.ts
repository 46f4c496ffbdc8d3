// unclosed-math in the text: an opening delimiter the parser did not pair, so it shows as text.
// The parser's formulas are located first; a delimiter that is not at the edge of one is unpaired.
// Code (fenced blocks, inline code spans) is never looked at.

import { fenceEnd } from '../../markdown/fences';
import { DISPLAY_ENVIRONMENTS } from '../../markdown/mathSyntax';
import type { NoteText } from '../noteText';
import { msg } from '../../l10n/message';
import type { Report } from './formulaRules';

export interface PostText {
  startLine: number;
  endLine: number;
  /** Whether `\(…\)` and `\[…\]` are math in this post (else escaped brackets). */
  bracketDelimiters: boolean;
  /** Whether `$…$` is math in this post. */
  dollars: boolean;
}

/** Ranges the parser took as math (with room for their delimiters), and lines it could not place. */
export interface MathCoverage {
  covered: Array<[number, number]>;
  unplacedLines: Set<number>;
}

const TEX_AHEAD = /\\[A-Za-z]+|[_^]\{|[_^][A-Za-z0-9]/;

export function lintDelimiters(doc: NoteText, post: PostText, coverage: MathCoverage, report: Report): void {
  const covered = [...coverage.covered].sort((a, b) => a[0] - b[0]);
  const isCovered = (o: number) => {
    let lo = 0;
    let hi = covered.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if (covered[mid][1] <= o) lo = mid + 1;
      else if (covered[mid][0] > o) hi = mid - 1;
      else return true;
    }
    return false;
  };
  const lines: string[] = [];
  for (let l = post.startLine; l < post.endLine; l++) lines.push(doc.lineText(l));
  /** Whether `\end{name}` follows in the post (a pair the parser did not take is not unclosed). */
  const endFollows = (name: string, i: number, c: number) => {
    const end = `\\end{${name}}`;
    if (lines[i].includes(end, c)) return true;
    for (let k = i + 1; k < lines.length; k++) if (lines[k].includes(end)) return true;
    return false;
  };
  for (let i = 0; i < lines.length; i++) {
    const fence = fenceEnd(lines, i);
    if (fence !== undefined) {
      i = fence;
      continue;
    }
    const line = post.startLine + i;
    if (coverage.unplacedLines.has(line)) continue;
    const text = withoutCodeSpans(lines[i]);
    const base = doc.lineStart(line);
    // The rest of the paragraph after offset c of this line: where a partner would have to be.
    const restOfParagraph = (c: number) => {
      const parts = [text.slice(c)];
      for (let k = i + 1; k < lines.length && lines[k].trim() !== ''; k++) parts.push(withoutCodeSpans(lines[k]));
      return parts.join('\n');
    };
    for (let c = 0; c < text.length; c++) {
      const ch = text[c];
      if (ch === '\\') {
        const next = text[c + 1];
        if (post.bracketDelimiters && (next === '(' || next === '[') && !isCovered(base + c)) {
          // A pair the parser did not take (in a link's text, say) is not an unclosed one.
          const close = next === '(' ? '\\)' : '\\]';
          if (!restOfParagraph(c + 2).includes(close)) report('unclosed-math', base + c, base + c + 2, msg('`{0}` opens math that is never closed with `{1}`.', `\\${next}`, close));
        } else if (text.startsWith('\\begin', c) && !isCovered(base + c)) {
          const m = /^\\begin\s*\{([A-Za-z]+\*?)\}/.exec(text.slice(c));
          if (m && DISPLAY_ENVIRONMENTS.has(m[1]) && !endFollows(m[1], i, c + m[0].length)) {
            report('unclosed-math', base + c, base + c + m[0].length, msg('`\\begin{{0}}` has no `\\end{{0}}`: the environment shows as text.', m[1]));
          }
        }
        c++; // an escaped character is never a delimiter
        continue;
      }
      if (ch !== '$' || !post.dollars || isCovered(base + c)) continue;
      if (text[c + 1] === '$') {
        if (!restOfParagraph(c + 2).includes('$$')) report('unclosed-math', base + c, base + c + 2, msg('`$$` opens display math that is never closed.'));
        c++;
        continue;
      }
      // A lone `$`: only when TeX follows it on the line and no `$` does (prices stay prices).
      const rest = text.slice(c + 1);
      if (rest.length && !/^\s/.test(rest) && !rest.includes('$') && TEX_AHEAD.test(rest)) {
        report('unclosed-math', base + c, base + c + 1, msg('`$` opens math that is never closed.'));
      }
    }
  }
}

/** The line with inline code spans blanked (same length, so offsets stay). */
function withoutCodeSpans(line: string): string {
  if (!line.includes('`')) return line;
  return line.replace(/(`+)[^`]*?\1/g, (m) => ' '.repeat(m.length));
}
