// A long note's first render covers only the reader's screen (with a margin): the page shows at
// once, and the rest of the note follows in a second render that fills in the placeholders.
// Numbers, labels and macros still come from the whole note (the prepare phase is cheap; KaTeX,
// three quarters of a render, is what the window saves).

import type { SourceWindow } from './blocks';

/**
 * Notes shorter than this render whole at once: a cold render of 40 KB of kexue-style prose and
 * math takes ~0.3 s in the worker, about what two renders would cost together.
 */
export const FIRST_SCREEN_MIN_CHARS = 40_000;

/** Source text rendered around the reader's line: a screen above it and several below. */
const CHARS_BEFORE = 4_000;
const CHARS_AFTER = 16_000;
const MAX_LINES_BEFORE = 60;
const MAX_LINES_AFTER = 400;

/** The source lines [from, to) to render first when the reader's view starts at `line` (0-based). */
export function firstScreen(text: string, line: number): SourceWindow {
  // Offset of the line's start (past the end: the last line).
  let at = 0;
  let n = 0;
  for (; n < line; n++) {
    const nl = text.indexOf('\n', at);
    if (nl < 0) break;
    at = nl + 1;
  }
  const top = n;
  let from = top;
  for (let start = at; from > 0 && top - from < MAX_LINES_BEFORE && at - start < CHARS_BEFORE; from--) {
    start = text.lastIndexOf('\n', start - 2) + 1;
  }
  let to = top;
  for (let end = at; to - top < MAX_LINES_AFTER && end - at < CHARS_AFTER; to++) {
    const nl = text.indexOf('\n', end);
    if (nl < 0) {
      to++;
      break;
    }
    end = nl + 1;
  }
  return { from, to };
}
