// Citations in a note: `《title》`, bare or as the text of a Markdown link (whose URL may name the
// cited post too, e.g. /archives/9662), and bare references to a part of the citing post's own
// series (`本系列的(六)、(十二)`, `本系列第7篇文章`). One grammar, used by the index, the editor and the
// preview's renderer (which marks the same spans), so they never disagree.

import { parseNumeral } from './titleGrammar';

export interface CitationSpan {
  /** The title as cited, without the brackets; for a part reference, the numeral as written. */
  text: string;
  /** UTF-16 column of the span's first character on its line, and its length. */
  col: number;
  length: number;
  /** The link's URL when the citation is a Markdown link's text. */
  url?: string;
  /** A bare part reference: the part number within the citing post's series. */
  part?: number;
}

export interface Citation extends CitationSpan {
  /** 0-based source line. */
  line: number;
}

// `[《…》](url "title")` or `《…》`; titles never span lines, and 120 characters is longer than any.
const CITATION = /\[《([^《》\n]{1,120})》\]\(([^()\s]*)(?:\s+"[^"\n]*")?\)|《([^《》\n]{1,120})》/g;
const NUMERAL = '(?:\\d{1,3}|[一二两三四五六七八九十百]{1,5})';
// `本系列的(六)、(十二)和(十四)`: the whole list; each numeral in it is a reference.
const SERIES_LIST = new RegExp(
  `(?:本|这个|该|此)系列(?:的|中的|之)?((?:[（(]${NUMERAL}[)）])(?:[、，,和与及]\\s*[（(]${NUMERAL}[)）])*)`,
  'gu',
);
// `本系列第三篇`, `这个系列的第7篇文章`: a part of this series. A bare `第7篇文章` is not (`今年的第3篇文章`,
// `Transformer升级之路的第2篇文章` name no series of ours), nor `第一篇论文`: precise before clever.
const NTH_POST = new RegExp(`(?:本|这个|该|此)系列(?:的|中的)?第(${NUMERAL})篇(?:文章)?`, 'gu');
const LIST_ITEM = new RegExp(`[（(](${NUMERAL})[)）]`, 'gu');

/** Whether a text can hold a citation at all (most text runs cannot: nothing else is worth doing for them). */
export const mayCite = (text: string) => text.includes('《') || text.includes('系列');

/** Every citation on one line of text, in order. */
export function scanCitations(line: string): CitationSpan[] {
  const titles = line.includes('《');
  const lists = line.includes('系列');
  const nth = lists && line.includes('篇');
  if (!titles && !lists) return [];
  const out: CitationSpan[] = [];
  if (titles) {
    for (const m of line.matchAll(CITATION)) {
      if (m[1] !== undefined) out.push({ text: m[1], col: m.index + 1, length: m[1].length + 2, url: m[2] || undefined });
      else out.push({ text: m[3], col: m.index, length: m[0].length });
    }
  }
  if (lists) {
    for (const m of line.matchAll(SERIES_LIST)) {
      const listStart = m.index + m[0].length - m[1].length;
      for (const n of m[1].matchAll(LIST_ITEM)) {
        const part = parseNumeral(n[1]);
        if (part !== undefined) out.push({ text: n[0], col: listStart + n.index, length: n[0].length, part });
      }
    }
  }
  if (nth) {
    for (const m of line.matchAll(NTH_POST)) {
      // `第7篇[《…》](…)`: the title that follows is the citation, not the number.
      if (/^\s*\[?《/u.test(line.slice(m.index + m[0].length))) continue;
      const part = parseNumeral(m[1]);
      if (part !== undefined && part < 1000) out.push({ text: m[0], col: m.index, length: m[0].length, part });
    }
  }
  return out.length > 1 ? out.sort((a, b) => a.col - b.col) : out;
}

/**
 * The citations the page marks in one run of text: scanCitations' spans without those that overlap
 * an earlier one (`《本系列第一篇》` is one citation, the title). `after` gives the text that follows
 * the run on the page, read only where a rule looks past a match (`本系列第7篇[《…》](…)`: the
 * title that follows is the citation, not the number). The renderer marks these in each text token
 * (citationMarks.ts), and the index keeps exactly these (noteSummary), so the two cannot disagree.
 */
export function markedSpans(text: string, after?: () => string): CitationSpan[] {
  let spans = scanCitations(text);
  if (spans.length === 0) return spans;
  if (after && text.includes('篇')) {
    const next = after();
    if (next) spans = scanCitations(text + next).filter((c) => c.col + c.length <= text.length);
  }
  if (spans.length < 2) return spans;
  const out: CitationSpan[] = [];
  let at = 0;
  for (const c of spans) {
    if (c.col < at) continue; // overlapping matches: the first wins
    out.push(c);
    at = c.col + c.length;
  }
  return out;
}

/** Every citation in a body, with its source line (`lineMap`: body line → source line). */
export function findCitations(body: string, lineMap: readonly number[]): Citation[] {
  const out: Citation[] = [];
  for (const [i, text] of linesToScan(body)) {
    const line = lineMap[i] ?? i;
    for (const c of scanCitations(text)) out.push({ ...c, line });
  }
  return out;
}

/**
 * The lines of `body` (index and text) that can hold a citation: those with `《` or `系列`. Found
 * by searching the body rather than splitting it, since most lines have neither (splitting every
 * note was a fifth of indexing a workspace).
 */
export function* linesToScan(body: string): Generator<[number, string]> {
  for (const l of citingLines(body)) yield [l.line, l.text];
}

/** linesToScan's lines with where each starts in `body`. */
export function* citingLines(body: string): Generator<{ line: number; start: number; text: string }> {
  let line = 0; // the line number of `counted`
  let counted = 0;
  let from = 0;
  // The next occurrence of each needle, searched again only once passed (a body full of one and
  // without the other must not be searched to its end on every line).
  let a = -2;
  let b = -2;
  while (from < body.length) {
    if (a !== -1 && a < from) a = body.indexOf('《', from);
    if (b !== -1 && b < from) b = body.indexOf('系列', from);
    const hit = a < 0 ? b : b < 0 ? a : Math.min(a, b);
    if (hit < 0) return;
    const start = body.lastIndexOf('\n', hit) + 1;
    let end = body.indexOf('\n', hit);
    if (end < 0) end = body.length;
    for (let at = body.indexOf('\n', counted); at >= 0 && at < start; at = body.indexOf('\n', at + 1)) line++;
    counted = start;
    yield { line, start, text: body.slice(start, end) };
    from = end + 1;
  }
}

/** Where the span's title or numeral is, for marking it in rendered text (the same grammar). */
export function citationKey(c: Pick<CitationSpan, 'text' | 'part'>): string {
  return c.part !== undefined ? `#${c.part}` : c.text;
}
