// One parser from a document to posts: Markdown notes are one post (front matter or first H1
// gives the title); plain-text blog-listing exports hold several.

import { isBlogExport, parseBlogExport, plainTextPost } from './blogExport';
import { fenceEnd } from '../markdown/fences';
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
  // The title's line (for links and "go to"): the first H1 when there is one (that is what the page
  // shows), else the front matter's `title:` line.
  const h1 = firstHeading(bodyLines);
  if (!meta.title && h1 >= 0) meta.title = headingText(bodyLines[h1]);
  const fmTitle = meta.title && fm.lineCount ? lines.slice(1, fm.lineCount).findIndex((l) => /^title\s*:/.test(l)) : -1;
  const titleLine = h1 >= 0 ? h1 + fm.lineCount : fmTitle >= 0 ? fmTitle + 1 : undefined;
  const post: Post = {
    index: 0,
    meta,
    startLine: 0,
    endLine: lines.length,
    ...(titleLine !== undefined ? { titleLine } : {}),
    // The same as joining bodyLines, without copying the note when its lines end in \n alone.
    body: text.includes('\r') ? bodyLines.join('\n') : text.slice(offsetOfLine(lines, fm.lineCount)),
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

/** The first `# ` heading outside fenced code (a `# comment` in a Python block is not a title). */
function firstHeading(lines: readonly string[]): number {
  for (let i = 0; i < lines.length; i++) {
    const end = fenceEnd(lines, i);
    if (end !== undefined) {
      i = end;
      continue;
    }
    if (/^#\s+\S/.test(lines[i])) return i;
  }
  return -1;
}

/** `# 标题 ##` → `标题`, without a regular expression that backtracks on long runs of spaces. */
function headingText(line: string): string {
  let text = line.replace(/^#\s+/, '').trimEnd();
  const closing = text.replace(/#+$/, '');
  if (closing !== text && (closing === '' || /\s$/.test(closing))) text = closing;
  return text.trim();
}
