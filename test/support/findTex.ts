// What MathJax 3 finds as math in a note's text: its own FindTeX, configured as the blogs configure
// it (`$…$` and `\(…\)` inline, `$$…$$` and `\[…\]` display, environments, `\ref`, `\$` escapes),
// run over the note with what a page never hands MathJax blanked (code, front matter, comments).
// One modelling step: a page hands MathJax one paragraph at a time, so an inline formula cannot
// cross a blank line; a display can (its closer comes later in the same text, as on the blog).
import MarkdownIt = require('markdown-it');
import { FindTeX } from 'mathjax-full/js/input/tex/FindTeX.js';

export interface FoundMath {
  /** Offsets in the note's text of the delimiters' outer edges. */
  start: number;
  end: number;
  /** The TeX between the delimiters (an environment's `\begin…\end` included). */
  tex: string;
  display: boolean;
  open: string;
}

const finder = new FindTeX({
  inlineMath: [
    ['$', '$'],
    ['\\(', '\\)'],
  ],
  displayMath: [
    ['$$', '$$'],
    ['\\[', '\\]'],
  ],
  processEscapes: true,
  processEnvironments: true,
  processRefs: true,
});

const plain = new MarkdownIt({ html: true });

/** The note with code blocks, code spans, front matter and HTML comments turned into spaces (offsets kept). */
export function mathjaxVisibleText(text: string): string {
  const chars = text.split('');
  const blank = (a: number, b: number) => {
    for (let i = a; i < b && i < chars.length; i++) if (chars[i] !== '\n') chars[i] = ' ';
  };
  const lineStarts = [0];
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) lineStarts.push(i + 1);
  const lineEnd = (l: number) => (l + 1 < lineStarts.length ? lineStarts[l + 1] : text.length);
  const fm = /^---\r?\n[\s\S]*?\n(?:---|\.\.\.)[ \t]*(?:\r?\n|$)/.exec(text);
  if (fm) blank(0, fm[0].length);
  for (const t of plain.parse(text, {})) {
    if ((t.type === 'fence' || t.type === 'code_block') && t.map) blank(lineStarts[t.map[0]], lineEnd(t.map[1] - 1));
  }
  const cur = chars.join('');
  for (const m of cur.matchAll(/<!--[\s\S]*?-->/g)) blank(m.index!, m.index! + m[0].length);
  // Code spans: a run of backticks closed by the same run, within a paragraph.
  for (const m of chars.join('').matchAll(/(`+)(?!`)[\s\S]*?(?<!`)\1(?!`)/g)) {
    if (!/\n[ \t>]*\n/.test(m[0])) blank(m.index!, m.index! + m[0].length);
  }
  return chars.join('');
}

function findIn(text: string, offset: number, out: FoundMath[]): void {
  const items = finder.findMath([text]) as unknown as Array<{
    math: string;
    start: { n: number };
    end: { n: number };
    display: boolean;
    open: string;
  }>;
  for (const item of items) {
    const tex = item.math;
    if (!item.display) {
      // Inline math (and a `\ref`) stays in its paragraph: restart after the blank line it crossed.
      const blank = /\n[ \t>]*\n/.exec(text.slice(item.start.n, item.end.n));
      if (blank) {
        const from = item.start.n + blank.index + 1;
        findIn(text.slice(from), offset + from, out);
        return;
      }
    }
    out.push({ start: offset + item.start.n, end: offset + item.end.n, tex, display: item.display, open: item.open });
  }
}

/** Every formula MathJax finds in the note (escapes `\$` and `\ref`s left out), in order. */
export function findTexInNote(text: string): FoundMath[] {
  const out: FoundMath[] = [];
  findIn(mathjaxVisibleText(text), 0, out);
  return out.filter((m) => m.open !== '' || m.display || /^\\begin/.test(m.tex));
}

/** TeX compared across engines: no whitespace, no quote markers at line starts. */
export function comparableTex(tex: string): string {
  return tex.replace(/\n[ \t]*(?:>[ \t]*)*/g, '').replace(/\s+/g, '');
}
