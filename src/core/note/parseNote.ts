// One parser from a document to posts: Markdown notes are one post (front matter or first H1
// gives the title); plain-text blog-listing exports hold several.

import { isBlogExport, parseBlogExport, plainTextPost } from './blogExport';
import { firstHeading } from '../markdown/postParse';
import { countLines, firstLines } from '../markdown/lineTests';
import { MAX_FRONT_MATTER_LINES, readFrontMatter } from './frontMatter';
import type { Note, Post } from './types';

export function parseNote(text: string, fileName: string): Note {
  const clean = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  const isText = /\.txt$/i.test(fileName);
  if (isText && isBlogExport(clean)) {
    return { format: 'blog-export', posts: parseBlogExport(clean), warnings: [] };
  }
  if (isText) return { format: 'blog-export', posts: [plainTextPost(clean)], warnings: [] };
  return markdownNote(clean);
}

function markdownNote(raw: string): Note {
  // Line breaks as markdown-it reads them. One replace: splitting the note into lines and joining
  // them again cost 17 ms a keystroke on a 1 MB note with \r\n line ends, this one 1 ms.
  const text = raw.includes('\r') ? raw.replace(/\r\n?/g, '\n') : raw;
  // Only the lines front matter may take are split off (a keystroke must not make a note's worth
  // of line strings).
  const head = firstLines(text, MAX_FRONT_MATTER_LINES + 1);
  const fm = readFrontMatter(head);
  const lineCount = countLines(text);
  const meta = { ...fm.meta };
  const body = text.slice(offsetOfLine(head, fm.lineCount));
  // The title's line (for links and "go to"): the first H1 when there is one (that is what the page
  // shows), else the front matter's `title:` line.
  const heading = firstHeading(body);
  const h1 = heading?.line ?? -1;
  if (!meta.title && heading) meta.title = heading.text;
  const fmTitle = meta.title && fm.lineCount ? head.slice(1, fm.lineCount).findIndex((l) => /^title\s*:/.test(l)) : -1;
  const titleLine = h1 >= 0 ? h1 + fm.lineCount : fmTitle >= 0 ? fmTitle + 1 : undefined;
  const bodyLineMap = shiftedLines(fm.lineCount, lineCount - fm.lineCount);
  const post: Post = {
    index: 0,
    meta,
    startLine: 0,
    endLine: lineCount,
    ...(titleLine !== undefined ? { titleLine } : {}),
    body,
    bodyLineMap,
  };
  return { format: 'markdown', posts: [post], warnings: fm.warning ? [fm.warning] : [] };
}

/** The latest line map made: a keystroke within a line leaves a note's line count as it was. */
let lastLineMap: { from: number; lines: readonly number[] } | undefined;

/** [from, from + 1, …] of `count` lines (shared: never changed by its readers). */
function shiftedLines(from: number, count: number): readonly number[] {
  if (lastLineMap?.from === from && lastLineMap.lines.length === count) return lastLineMap.lines;
  const lines: number[] = [];
  for (let i = 0; i < count; i++) lines.push(i + from);
  lastLineMap = { from, lines };
  return lines;
}

/** Where line `n` starts in the text the `\n`-separated `lines` came from. */
function offsetOfLine(lines: readonly string[], n: number): number {
  let offset = 0;
  for (let i = 0; i < n && i < lines.length; i++) offset += lines[i].length + 1;
  return offset;
}
