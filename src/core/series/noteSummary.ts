// What the series index keeps of a note: per post its title, series and part, date, first sentence,
// archive id, and its citations with exact source ranges. Plain data (it crosses to workers and
// tests), computed from the same note model the renderer uses.

import { parseNote } from '../note/parseNote';
import type { Note, Post } from '../note/types';
import { type Citation, linesToScan, scanCitations } from './citations';
import { seriesOfPost } from './titleGrammar';

export interface PostSummary {
  file: string;
  /** The post's index in its note (as `data-post` in the preview). */
  index: number;
  /** 0-based source lines: where the post starts, ends (exclusive), and its title line. */
  line: number;
  endLine: number;
  titleLine?: number;
  /** '' for an untitled post (a listing excerpt): it may cite, but cannot be cited. */
  title: string;
  series?: string;
  part?: number;
  /** The part came from 上/中/下: its number is an order, not a count. */
  relative?: boolean;
  /** Body length: of two copies of a post (full and listing excerpt) the longer is its home. */
  size: number;
  date?: string;
  /** The first sentence of the body as plain text, for hovers. */
  firstSentence?: string;
  /** The blog's archive id (`/archives/9662`) from front matter `source` or a `原文链接` line. */
  archive?: string;
  citations: Citation[];
}

/** Notes bigger than this are summarised from their first part only: titles and early citations. */
export const MAX_INDEXED_CHARS = 8 * 1024 * 1024;

/** A note's posts for the index, from its text; a note that cannot be parsed counts as having none. */
export function summarizeText(file: string, path: string, text: string): PostSummary[] {
  try {
    const cut = text.length > MAX_INDEXED_CHARS ? text.slice(0, MAX_INDEXED_CHARS) : text;
    return summarizeNote(file, cut, parseNote(cut, path));
  } catch {
    return [];
  }
}

const ARCHIVE = /\/archives\/(\d+)/;

export function archiveIdOf(url: string | undefined): string | undefined {
  return url ? ARCHIVE.exec(url)?.[1] : undefined;
}

export function summarizeNote(file: string, text: string, note: Note): PostSummary[] {
  // Source lines are needed only where a body line is not its source line (a listing's glued byline).
  let lines: string[] | undefined;
  const source = (line: number) => (note.format === 'markdown' ? undefined : (lines ??= text.split(/\r\n|\r|\n/))[line]);
  return note.posts
    .filter((p) => !p.meta.preamble)
    .map((post) => {
      const s = post.meta.title ? seriesOfPost(post.meta) : undefined;
      return {
        file,
        index: post.index,
        line: post.startLine,
        endLine: post.endLine,
        ...(post.titleLine !== undefined ? { titleLine: post.titleLine } : {}),
        title: post.meta.title ?? '',
        ...(s ? { series: s.series, part: s.part, ...(s.relative ? { relative: true } : {}) } : {}),
        size: post.body.length,
        ...(post.meta.date ? { date: post.meta.date } : {}),
        ...optional('firstSentence', firstSentence(post.body)),
        ...optional('archive', archiveIdOf(post.meta.source) ?? archiveIdOf(/原文链接.{0,200}/.exec(post.body.slice(0, 2000))?.[0])),
        citations: postCitations(post, source),
      };
    });
}

function optional<K extends string, V>(key: K, value: V | undefined): Partial<Record<K, V>> {
  return value === undefined ? {} : ({ [key]: value } as Record<K, V>);
}

/** Citations with columns in the source line (a listing's first body line may follow a glued byline). */
function postCitations(post: Post, source: (line: number) => string | undefined): Citation[] {
  const out: Citation[] = [];
  for (const [i, text] of linesToScan(post.body)) {
    const spans = scanCitations(text);
    if (spans.length === 0) continue;
    const line = post.bodyLineMap[i] ?? post.startLine;
    const src = source(line) ?? text;
    let from = 0;
    for (const c of spans) {
      const raw = text.substr(c.col, c.length);
      const at = src === text ? c.col : src.indexOf(raw, from);
      const col = at >= 0 ? at : c.col;
      from = col + c.length;
      out.push({ ...c, col, line });
    }
  }
  return out;
}

/** The body's first sentence as plain text: no headings, math blocks, link targets or markup. */
export function firstSentence(body: string): string | undefined {
  const para: string[] = [];
  let inDisplay = false;
  // The first paragraph is near the top: no need to split a long body whole.
  for (const raw of body.slice(0, 8000).split('\n')) {
    const line = raw.trim();
    if (inDisplay) {
      if (/\$\$\s*$|\\end\{|\\\]\s*$/.test(line)) inDisplay = false;
      continue;
    }
    if (/^(\$\$|\\\[|\\begin\{)/.test(line)) {
      if (!/(\$\$|\\\]|\\end\{[^}]*\})\s*$/.test(line.slice(2))) inDisplay = true;
      if (para.length) break;
      continue;
    }
    if (line === '' || /^(#|>|```|~~~|\||[-*_]{3,}$|!\[|\*\*原文链接|\*\*发布日期)/.test(line)) {
      if (para.length) break;
      continue;
    }
    para.push(line);
  }
  const text = para
    .join('')
    .replace(/!?\[([^\]]*)\]\([^)]*\)/g, '$1')
    .replace(/<[^>]+>/g, '')
    .replace(/[*_`]+/g, '')
    .trim();
  if (!text) return undefined;
  const end = /[。！？!?]|\.(\s|$)/u.exec(text);
  const sentence = end ? text.slice(0, end.index + 1) : text;
  return sentence.length > 140 ? sentence.slice(0, 139) + '…' : sentence;
}
