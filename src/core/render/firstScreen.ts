// A long note's first render covers only the reader's screen (with a margin): the page shows at
// once, and the rest of the note follows in a second render that fills in the placeholders.
// Numbers, labels and macros still come from the whole note (the prepare phase is cheap; KaTeX,
// three quarters of a render, is what the window saves).

import type { SourceWindow } from './blocks';

/**
 * Notes shorter than this render whole at once. What the first screen saves is the page's: a
 * 60 000-character corpus note is 1.8 MB of HTML whole, and 0.1 MB for its first screen, which
 * VS Code carries to the webview and the page builds several times faster (the worker's render
 * of it, ~0.1 s once KaTeX is warm, matters less).
 */
export const FIRST_SCREEN_MIN_CHARS = 20_000;

/**
 * Source text rendered around the reader's line: most of a screen above it, a few below. 4 000
 * characters of a note fill more than a preview's screen (CJK prose wraps at ~45 a line; a
 * display's TeX stands for less height than its text would); 8 000 made a corpus note's first
 * update 0.23 MB of HTML instead of 0.11 MB, which VS Code carried to the page and the page built
 * before the reader saw anything (~0.15 s more in the test bed). The rest comes right after.
 */
const CHARS_BEFORE = 2_000;
const CHARS_AFTER = 4_000;
const MAX_LINES_BEFORE = 60;
const MAX_LINES_AFTER = 400;

/**
 * From this size a note is rendered only around the reader, always (on opening, as they scroll,
 * as they type): a 1.5 M-character note whole is ~20 MB of HTML for the page, and each render of
 * it takes seconds. Shorter ones render whole right after their first screen.
 */
export const LAZY_MIN_CHARS = 1_500_000;

/** Whether a note this long is only ever rendered around the reader (the page then asks for more). */
export function rendersAroundReader(chars: number): boolean {
  return chars >= LAZY_MIN_CHARS;
}

/** Which renders of a page get a window: a long note's first, and every one of a very long note. */
export function usesWindow(chars: number, newPage: boolean): boolean {
  return rendersAroundReader(chars) || (newPage && chars >= FIRST_SCREEN_MIN_CHARS);
}

/**
 * Offset of the start of `line` (0-based; past the end: of the last line), and that line; counted
 * on from `from`, a line start found before (the bottom of the screen from its top).
 */
function lineStart(text: string, line: number, from = { at: 0, line: 0 }): { at: number; line: number } {
  let at = from.at;
  let n = from.line;
  for (; n < line; n++) {
    const nl = text.indexOf('\n', at);
    if (nl < 0) break;
    at = nl + 1;
  }
  return { at, line: n };
}

/**
 * The source lines [from, to) to render when the reader sees lines `line` to `lastLine` (0-based):
 * those, a screen's worth above and several below.
 */
export function firstScreen(text: string, line: number, lastLine = line): SourceWindow {
  const top = lineStart(text, line);
  let from = top.line;
  for (let start = top.at; from > 0 && top.line - from < MAX_LINES_BEFORE && top.at - start < CHARS_BEFORE; from--) {
    start = text.lastIndexOf('\n', start - 2) + 1;
  }
  const bottom = lastLine > line ? lineStart(text, lastLine, top) : top;
  let to = bottom.line;
  for (let end = bottom.at; to - bottom.line < MAX_LINES_AFTER && end - bottom.at < CHARS_AFTER; to++) {
    const nl = text.indexOf('\n', end);
    if (nl < 0) {
      to++;
      break;
    }
    end = nl + 1;
  }
  return { from, to };
}

/**
 * A new page's first update needs the note only as far as the reader's screen: the text up to a
 * blank line well past the window (as many lines again as the window holds, and 8 000 characters),
 * or undefined when that is most of the note anyway. Numbers and labels before the window are the
 * same in it; a reference to a label further down shows as undefined until the whole note's render,
 * which follows at once (RenderStats.partial). A 5 MB note's first screen: 1.2 s of the worker's
 * time to parse and number all of it, 16 ms for this prefix.
 */
export function firstScreenPrefix(text: string, window: SourceWindow): string | undefined {
  if (text.length < PREFIX_MIN_CHARS) return undefined;
  const reach = lineStart(text, window.to + (window.to - window.from));
  let end = Math.max(reach.at, lineStart(text, window.to).at + PREFIX_MARGIN_CHARS);
  // At a blank line (CRLF or LF, spaces allowed): a paragraph, list or display is not cut in two.
  BLANK_LINE.lastIndex = end;
  const blank = BLANK_LINE.exec(text);
  end = blank ? blank.index + 1 : text.length;
  return end * 2 > text.length ? undefined : text.slice(0, end);
}

/** Below this a note's first screen is rendered from the whole note (it parses in tens of ms). */
const PREFIX_MIN_CHARS = 200_000;
const PREFIX_MARGIN_CHARS = 8_000;
const BLANK_LINE = /\n[ \t\r]*\n/g;
