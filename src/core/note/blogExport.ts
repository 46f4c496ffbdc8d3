// Reads plain-text exports of blog listing pages (kexue.fm and similar) into posts.
//
// Three layouts are recognised:
//  - byline:   a title line, then `By 作者 | 2023-06-28 | 24444位读者 | 引用` glued to the first paragraph;
//              every following line is a paragraph of its own.
//  - date:     a standalone date line (`28 Jun`), an optional title line, then paragraphs between blank lines.
//  - excerpt:  short page-chrome lines, then one long excerpt per line (usually ending in `...`).
// The list ends at `最近评论` (the sidebar); nothing after it belongs to a post.
// Every regex is anchored or bounded and free of nested quantifiers, so hostile input stays linear.

import {
  BLANK_LINE,
  MAX_DISPLAY_LINES,
  findClosing,
  mayCrossBlankLines,
  openDisplayAtEnd,
  scanBudget,
  type FinderOptions,
  type ScanBudget,
} from '../markdown/mathFinder';
import type { Post, PostMeta } from './types';

const MONTHS = 'Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec';
const DATE_LINE = new RegExp(`^\\d{1,2}\\s{1,3}(?:${MONTHS})(?:\\s{1,3}\\d{4})?$`);
const BYLINE_DATE = /^\d{4}-\d{1,2}-\d{1,2}$/;
const BYLINE_READERS = /^(\d{1,12})\s?位读者$/;
const LIST_END = '最近评论';
const READ_MORE = /^点击阅读全文(?:\.{0,6}|…{1,3})$/;
const READ_MORE_GLUED = /点击阅读全文(?:\.{3,6}|…{1,3})$/;
const MARKDOWN_HEADING = /^#{1,6}(?:\s|$)/;
const ELLIPSIS_END = /(?:\.\.\.|…)$/;

/** Characters that make a short line a sentence rather than a heading. `、` is allowed (`一、背景`). */
const SENTENCE_PUNCT = /[。．.，,；;：:！!？?…]/;
/** Characters that only occur in math, never in a section heading. */
const MATH_CHARS = /[$\\={}^]/;
/** A leading section number such as `1.` or `2.3 ` may carry dots without making the line a sentence. */
const SECTION_NUMBER = /^\d{1,3}(?:\.\d{1,3}){0,4}\.?\s/;
const HEADING_MAX = 30;
const TITLE_MAX = 80;
/** An excerpt line in seed-003 style listings is far longer than any chrome line. */
const EXCERPT_MIN = 100;
const CHROME_MAX = 40;

interface Byline {
  author: string;
  date: string;
  readers?: number;
  /** The first paragraph glued after `引用` (may be empty). */
  rest: string;
}

interface PostStart {
  kind: 'byline' | 'date';
  /** Source line of the byline or date line. */
  header: number;
  byline?: Byline;
  titleLine?: number;
}

interface Source {
  lines: string[];
  /** Lines at or after this index are past `最近评论` and ignored. */
  end: number;
  /** Whether the `最近评论` marker was found. */
  listEnd: boolean;
}

/** True when the text looks like a blog listing export rather than an ordinary note. */
export function isBlogExport(text: string): boolean {
  const src = readSource(text);
  return findStarts(src).length > 0 || findExcerptStart(src) !== undefined;
}

/** Splits a blog listing export into posts, in source order; [] when the text is not one. */
export function parseBlogExport(text: string): Post[] {
  const src = readSource(text);
  const starts = findStarts(src);
  return starts.length > 0 ? postsFromStarts(src, starts) : postsFromExcerpts(src);
}

function readSource(text: string): Source {
  const clean = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  const lines = clean === '' ? [] : clean.split(/\r\n|\r|\n/);
  let end = lines.length;
  let listEnd = false;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i].trimEnd();
    if (!line.endsWith(LIST_END)) continue;
    const before = line.slice(0, line.length - LIST_END.length);
    if (before.trim() === '') {
      end = i;
    } else {
      // Glued to the last paragraph: keep the paragraph, drop the marker.
      lines[i] = before;
      end = i + 1;
    }
    listEnd = true;
    break;
  }
  return { lines, end, listEnd };
}

function isBlank(line: string): boolean {
  return line.trim() === '';
}

function isDateLine(line: string): boolean {
  return line.length <= 20 && DATE_LINE.test(line.trim());
}

function isReadMore(line: string): boolean {
  return READ_MORE.test(line.trim());
}

/** Parses `By 作者 | 2023-06-28 | 24444位读者 | 引用…` by splitting on `|`, so no regex can backtrack. */
function parseByline(line: string): Byline | undefined {
  if (!line.startsWith('By ')) return undefined;
  const parts = line.slice(3).split('|');
  if (parts.length < 2) return undefined;
  const author = parts[0].trim();
  const date = parts[1].trim();
  if (author === '' || author.length > 60 || !BYLINE_DATE.test(date)) return undefined;
  let next = 2;
  let readers: number | undefined;
  const readersMatch = parts.length > next ? BYLINE_READERS.exec(parts[next].trim()) : null;
  if (readersMatch) {
    readers = Number(readersMatch[1]);
    next++;
  }
  // The paragraph may itself contain `|` (e.g. `\left|`), so glue the remaining parts back.
  let rest = parts.slice(next).join('|').trimStart();
  if (next < parts.length && rest.startsWith('引用')) rest = rest.slice(2);
  else if (next < parts.length && rest !== '') return undefined; // unknown trailing field: not a byline
  return { author, date, readers, rest: rest.trim() };
}

/** A line that can be a post title: short, not a sentence ending in `。`, no math. */
function isTitleLike(line: string): boolean {
  const t = line.trim();
  return (
    t !== '' &&
    t.length <= TITLE_MAX &&
    !t.includes('。') &&
    !MATH_CHARS.test(t) &&
    !isDateLine(t) &&
    !isReadMore(t) &&
    parseByline(t) === undefined
  );
}

/** Section heading rule: ≤ 30 characters, no sentence punctuation, no math, not a date or marker line. */
export function isHeadingLine(line: string): boolean {
  const t = line.trim();
  if (t === '' || t.length > HEADING_MAX * 2 || [...t].length > HEADING_MAX) return false;
  const numbered = SECTION_NUMBER.exec(t);
  const words = numbered ? t.slice(numbered[0].length) : t;
  if (words === '' || SENTENCE_PUNCT.test(words) || MATH_CHARS.test(t)) return false;
  return !isDateLine(t) && !isReadMore(t) && !t.startsWith('By ');
}

function findStarts(src: Source): PostStart[] {
  const { lines, end } = src;
  let starts: PostStart[] = [];
  for (let i = 0; i < end; i++) {
    const line = lines[i];
    const byline = parseByline(line);
    if (byline) {
      starts.push({ kind: 'byline', header: i, byline });
      continue;
    }
    // A date line stands alone (blank or start of file before it) and has content after it.
    if (isDateLine(line) && (i === 0 || isBlank(lines[i - 1])) && nextNonBlank(lines, i + 1, end) !== undefined) {
      starts.push({ kind: 'date', header: i });
    }
  }
  if (!hasDateListingEvidence(src, starts)) {
    starts = starts.filter((s) => s.kind !== 'date');
  }
  // Titles: the line before a byline, or the first line after a date line, when it looks like one.
  for (let k = 0; k < starts.length; k++) {
    const s = starts[k];
    if (s.kind === 'byline') {
      const floor = k > 0 ? starts[k - 1].header + 1 : 0;
      const t = prevNonBlank(lines, s.header - 1, floor);
      if (t !== undefined && isTitleLike(lines[t])) s.titleLine = t;
    } else {
      const ceiling = k + 1 < starts.length ? starts[k + 1].header : end;
      const t = nextNonBlank(lines, s.header + 1, ceiling);
      if (t !== undefined && isTitleLike(lines[t])) s.titleLine = t;
    }
  }
  // A title found after a date line must not be claimed twice by a following byline.
  for (let k = 1; k < starts.length; k++) {
    if (starts[k].titleLine !== undefined && starts[k].titleLine === starts[k - 1].titleLine) starts[k].titleLine = undefined;
  }
  return starts;
}

/**
 * A lone `5 May` line is common in ordinary notes (a diary), so date-line posts need more evidence:
 * a listing marker (`点击阅读全文…` / `最近评论`) or at least two date lines, and no Markdown syntax
 * (front matter or `#` headings), which a plain-text export never has.
 */
function hasDateListingEvidence(src: Source, starts: PostStart[]): boolean {
  const { lines, end } = src;
  let dates = 0;
  for (const s of starts) if (s.kind === 'date') dates++;
  if (dates === 0) return true;
  if (end > 0 && lines[0].trim() === '---') return false;
  let marker = src.listEnd;
  for (let i = 0; i < end; i++) {
    const t = lines[i].trimStart();
    if (MARKDOWN_HEADING.test(t)) return false;
    if (!marker && (isReadMore(t) || READ_MORE_GLUED.test(t.trimEnd()))) marker = true;
  }
  return marker || dates >= 2;
}

function nextNonBlank(lines: string[], from: number, to: number): number | undefined {
  for (let i = from; i < to; i++) if (!isBlank(lines[i])) return i;
  return undefined;
}

function prevNonBlank(lines: string[], from: number, floor: number): number | undefined {
  for (let i = from; i >= floor; i--) if (!isBlank(lines[i])) return i;
  return undefined;
}

function lastNonBlankEnd(lines: string[], from: number, to: number): number {
  for (let i = to - 1; i >= from; i--) if (!isBlank(lines[i])) return i + 1;
  return from;
}

function startOf(s: PostStart): number {
  return s.titleLine !== undefined && s.titleLine < s.header ? s.titleLine : s.header;
}

function postsFromStarts(src: Source, starts: PostStart[]): Post[] {
  const { lines, end } = src;
  const posts: Post[] = [];
  const first = startOf(starts[0]);
  if (nextNonBlank(lines, 0, first) !== undefined) posts.push(preamblePost(lines, 0, first));
  for (let k = 0; k < starts.length; k++) {
    const s = starts[k];
    const stop = k + 1 < starts.length ? startOf(starts[k + 1]) : end;
    const meta: PostMeta = {};
    if (s.titleLine !== undefined) meta.title = lines[s.titleLine].trim();
    const input: BodyLine[] = [];
    if (s.byline) {
      meta.author = s.byline.author;
      meta.date = s.byline.date;
      if (s.byline.readers !== undefined) meta.readers = s.byline.readers;
      // The glued first paragraph is never a heading, even when short.
      if (s.byline.rest !== '') input.push({ text: s.byline.rest, src: s.header, paragraph: true });
    } else {
      meta.date = lines[s.header].trim();
    }
    for (let i = s.header + 1; i < stop; i++) {
      if (i !== s.titleLine) input.push({ text: lines[i], src: i });
    }
    const body = buildBody(input, s.header);
    if (body.truncated) meta.truncated = true;
    const startLine = startOf(s);
    posts.push({
      index: posts.length,
      meta,
      startLine,
      endLine: Math.max(lastNonBlankEnd(lines, startLine, stop), s.header + 1),
      titleLine: s.titleLine,
      bylineLine: s.header,
      body: body.body,
      bodyLineMap: body.map,
    });
  }
  return posts;
}

/** A .txt note that is not a listing: one untitled post, same paragraph and math-block rules. */
export function plainTextPost(text: string): Post {
  const lines = readSource(text).lines;
  const body = buildBody(
    lines.map((t, i) => ({ text: t, src: i })),
    0,
  );
  return { index: 0, meta: {}, startLine: 0, endLine: lines.length, body: body.body, bodyLineMap: body.map };
}

/** Text before the first post; it is always post 0. */
function preamblePost(lines: string[], from: number, to: number): Post {
  const input: BodyLine[] = [];
  for (let i = from; i < to; i++) input.push({ text: lines[i], src: i });
  const startLine = nextNonBlank(lines, from, to) ?? from;
  const body = buildBody(input, startLine);
  return {
    index: 0,
    meta: { preamble: true },
    startLine,
    endLine: lastNonBlankEnd(lines, startLine, to),
    body: body.body,
    bodyLineMap: body.map,
  };
}

/**
 * Seed-003 layout: returns the first excerpt line when the text is short chrome lines followed by
 * long lines, at least two of them cut off with an ellipsis and most of them ending that way.
 */
function findExcerptStart(src: Source): number | undefined {
  const { lines, end } = src;
  let first: number | undefined;
  let total = 0;
  let cut = 0;
  for (let i = 0; i < end; i++) {
    const t = lines[i].trim();
    if (t === '') continue;
    const long = t.length >= EXCERPT_MIN;
    if (first === undefined) {
      if (long && ELLIPSIS_END.test(t)) first = i;
      // Chrome must be short and must not be Markdown (a `# Title` note is not a listing).
      else if (t.length > CHROME_MAX || t.startsWith('#')) return undefined;
      else continue;
    }
    total++;
    if (long && ELLIPSIS_END.test(t)) cut++;
  }
  return first !== undefined && cut >= 2 && cut * 3 >= total * 2 ? first : undefined;
}

function postsFromExcerpts(src: Source): Post[] {
  const first = findExcerptStart(src);
  if (first === undefined) return [];
  const { lines, end } = src;
  const posts: Post[] = [];
  if (nextNonBlank(lines, 0, first) !== undefined) posts.push(preamblePost(lines, 0, first));
  for (let i = first; i < end; i++) {
    const t = lines[i].trim();
    if (t === '') continue;
    const meta: PostMeta = { excerpt: true };
    if (ELLIPSIS_END.test(t)) meta.truncated = true;
    posts.push({ index: posts.length, meta, startLine: i, endLine: i + 1, body: escapeParagraph(t), bodyLineMap: [i] });
  }
  return posts;
}

interface BodyLine {
  text: string;
  src: number;
  /** Force a paragraph (the glued first paragraph after a byline). */
  paragraph?: boolean;
}

interface Block {
  lines: string[];
  src: number[];
}

/** The listing is read with `\[…\]` and `\(…\)` as math, as its blog's MathJax read it. */
const FINDER: FinderOptions = { brackets: true };
/** Lines read at once when looking for a display's closer: a short formula costs a few lines. */
const CLOSER_WINDOWS = [4, 32, 256, MAX_DISPLAY_LINES];

/**
 * Turns a post's source lines into Markdown: one paragraph per line, `## ` headings, and a display
 * opened on a line kept whole with the lines up to its closer — where the one math finder
 * (`markdown/mathFinder.ts`) closes it, across blank lines where it may. An opener it does not
 * close stays on its own line, shown as text there, as on any Markdown page.
 */
function buildBody(input: BodyLine[], fallbackSrc: number): { body: string; map: number[]; truncated: boolean } {
  const blocks: Block[] = [];
  let truncated = false;
  let size = 0;
  for (const l of input) size += l.text.length + 1;
  const budget = scanBudget(size);
  for (let i = 0; i < input.length; i++) {
    const { text, src, paragraph } = input[i];
    if (isBlank(text)) continue;
    if (isReadMore(text)) {
      truncated = true;
      continue;
    }
    let line = text.trim();
    const glued = READ_MORE_GLUED.exec(line);
    if (glued && glued.index > 0) {
      truncated = true;
      line = line.slice(0, glued.index).trimEnd();
    }
    const closerLine = glued ? undefined : displayCloserLine(input, i, line, budget);
    if (closerLine !== undefined) {
      const block: Block = { lines: [escapeParagraph(line)], src: [src] };
      for (let j = i + 1; j <= closerLine; j++) {
        const blank = isBlank(input[j].text);
        block.lines.push(blank ? '' : input[j].text.trimEnd());
        // A blank line maps to the line before it, as the blank lines between blocks do.
        block.src.push(blank ? block.src[block.src.length - 1] : input[j].src);
      }
      blocks.push(block);
      i = closerLine;
      continue;
    }
    if (!paragraph && isHeadingLine(line)) blocks.push({ lines: [`## ${line}`], src: [src] });
    else blocks.push({ lines: [escapeParagraph(line)], src: [src] });
  }
  const out: string[] = [];
  const map: number[] = [];
  for (const block of blocks) {
    if (out.length > 0) {
      out.push('');
      map.push(map[map.length - 1]);
    }
    // A loop rather than push(...spread): a huge math block would overflow the argument limit.
    for (let j = 0; j < block.lines.length; j++) {
      out.push(block.lines[j]);
      map.push(block.src[j]);
    }
  }
  if (out.length === 0) return { body: '', map: [fallbackSrc], truncated };
  return { body: out.join('\n'), map, truncated };
}

/**
 * The input line holding the closer of the display `line` leaves open at its end, if the finder
 * closes it before the post's read-more marker (undefined: no open display, or none closes it).
 * Read in growing windows; the joined text is charged to the scan budget, so a listing full of
 * unclosed openers stays linear.
 */
function displayCloserLine(input: BodyLine[], at: number, line: string, budget: ScanBudget): number | undefined {
  if (!line.includes('$$') && !line.includes('\\')) return undefined;
  const opener = openDisplayAtEnd(line, FINDER, budget);
  if (!opener || budget.left <= 0) return undefined;
  for (const window of CLOSER_WINDOWS) {
    const parts = [line];
    let j = at + 1;
    for (; j < input.length && j <= at + window && !isReadMore(input[j].text); j++) parts.push(input[j].text);
    if (parts.length === 1) return undefined;
    // Whether the lines ran out (the post's end, its read-more marker) before the window did.
    const whole = j <= at + window;
    const text = parts.join('\n');
    budget.left -= text.length;
    if (budget.left <= 0) return undefined;
    const closing = findClosing(text, opener, text.length, budget);
    if (!closing) {
      if (whole) return undefined;
      continue;
    }
    const spanned = text.slice(opener.contentStart, closing.contentEnd);
    if (BLANK_LINE.test(spanned)) {
      // Whether a display may cross blank lines looks at its closer's paragraph: see it whole.
      const after = text.slice(closing.end);
      if (!whole && !BLANK_LINE.test(after)) continue;
      if (mayCrossBlankLines(spanned, after, FINDER, budget) === undefined) return undefined;
    }
    let n = at;
    for (let k = text.indexOf('\n'); k >= 0 && k < closing.end; k = text.indexOf('\n', k + 1)) n++;
    return n === at ? undefined : n;
  }
  return undefined;
}

/** A paragraph line starting with `#` would otherwise render as a heading. */
function escapeParagraph(line: string): string {
  return line.startsWith('#') ? `\\${line}` : line;
}
