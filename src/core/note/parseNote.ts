// One parser from a document to posts: Markdown notes are one post (front matter or first H1
// gives the title); plain-text blog-listing exports hold several.

import { isBlogExport, parseBlogExport, plainTextPost } from './blogExport';
import { firstHeading } from '../markdown/postParse';
import { readFrontMatter } from './frontMatter';
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

function markdownNote(text: string): Note {
  // Splitting on a string is several times faster than on a regular expression; most notes have only \n.
  const lines = text.includes('\r') ? text.split(/\r\n|\r|\n/) : text.split('\n');
  const fm = readFrontMatter(lines);
  const bodyLines = lines.slice(fm.lineCount);
  const meta = { ...fm.meta };
  // The same as joining bodyLines, without copying the note when its lines end in \n alone.
  const body = text.includes('\r') ? bodyLines.join('\n') : text.slice(offsetOfLine(lines, fm.lineCount));
  // The title's line (for links and "go to"): the first H1 when there is one (that is what the page
  // shows), else the front matter's `title:` line.
  const heading = firstHeading(body);
  const h1 = heading?.line ?? -1;
  if (!meta.title && heading) meta.title = heading.text;
  const fmTitle = meta.title && fm.lineCount ? lines.slice(1, fm.lineCount).findIndex((l) => /^title\s*:/.test(l)) : -1;
  const titleLine = h1 >= 0 ? h1 + fm.lineCount : fmTitle >= 0 ? fmTitle + 1 : undefined;
  const post: Post = {
    index: 0,
    meta,
    startLine: 0,
    endLine: lines.length,
    ...(titleLine !== undefined ? { titleLine } : {}),
    body,
    bodyLineMap: bodyLines.map((_, i) => i + fm.lineCount),
  };
  return { format: 'markdown', posts: [post], warnings: fm.warning ? [fm.warning] : [] };
}

/** Where line `n` starts in the text the `\n`-separated `lines` came from. */
function offsetOfLine(lines: readonly string[], n: number): number {
  let offset = 0;
  for (let i = 0; i < n && i < lines.length; i++) offset += lines[i].length + 1;
  return offset;
}
