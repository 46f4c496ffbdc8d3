// One parser from a document to posts: Markdown notes are one post (front matter or first H1
// gives the title); plain-text blog-listing exports hold several.

import { isBlogExport, parseBlogExport, plainTextPost } from './blogExport';
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
  const lines = text.split(/\r\n|\r|\n/);
  const fm = readFrontMatter(lines);
  const bodyLines = lines.slice(fm.lineCount);
  const meta = { ...fm.meta };
  if (!meta.title) {
    const h1 = bodyLines.find((l) => /^#\s+\S/.test(l));
    if (h1) meta.title = h1.replace(/^#\s+/, '').replace(/\s+#+\s*$/, '').trim();
  }
  const post: Post = {
    index: 0,
    meta,
    startLine: 0,
    endLine: lines.length,
    body: bodyLines.join('\n'),
    bodyLineMap: bodyLines.map((_, i) => i + fm.lineCount),
  };
  return { format: 'markdown', posts: [post], warnings: fm.warning ? [fm.warning] : [] };
}
