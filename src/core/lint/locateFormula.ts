// Where a formula the renderer found sits in the document. The parse records where it found each
// formula's TeX (line and column of every line of it); that is checked against the document and
// taken. Math in raw HTML (its TeX came through the sanitizer) and a listing's reflowed lines have
// no such record: their TeX is found in the document from the formula's line on — whole, or line
// by line when a blockquote's `> ` or a list's indent interrupts it.

import type { NoteText } from './noteText';

export interface FormulaLocation {
  /** Document offsets of the TeX's first character and just past its last. */
  start: number;
  end: number;
  /** Maps an offset into the formula's TeX to a document offset. */
  toDocument(offset: number): number;
  /** The same map as data (it crosses to the host from the worker): [texOffset, docOffset, length] per piece. */
  segments: Array<[number, number, number]>;
}

/** The offset map of `segments` ([texOffset, docOffset, length] each, in order). */
export function segmentMap(segments: ReadonlyArray<readonly [number, number, number]>): (offset: number) => number {
  return (o) => {
    let seg = segments[0];
    for (const s of segments) if (s[0] <= o) seg = s;
    return seg[1] + Math.max(0, Math.min(o - seg[0], seg[2]));
  };
}

/** A formula as the parse found it: its TeX, first line, and where each line of it stands. */
export interface ParsedFormula {
  source: string;
  line: number;
  at?: ReadonlyArray<readonly [number, number, number, number]>;
}

/** Where `formula` stands in `doc`: where the parse found it if the document holds its TeX there, else found by its text from `from` on. */
export function placeFormula(doc: NoteText, formula: ParsedFormula, from: number): FormulaLocation | undefined {
  return asParsed(doc, formula) ?? locateFormula(doc, formula.source, formula.line, from);
}

function asParsed(doc: NoteText, { source, at }: ParsedFormula): FormulaLocation | undefined {
  if (!at?.length) return undefined;
  const segments: Array<[number, number, number]> = [];
  for (const [tex, line, column, length] of at) {
    // An empty piece (the rest of a `$$` line) proves nothing about where it stands: left out.
    if (length === 0) continue;
    if (line >= doc.lineCount) return undefined;
    const start = doc.lineStart(line) + column;
    if (start + length > doc.lineEnd(line) || doc.text.slice(start, start + length) !== source.slice(tex, tex + length)) return undefined;
    segments.push([tex, start, length]);
  }
  if (!segments.length) return undefined;
  const last = segments[segments.length - 1];
  return { start: segments[0][1], end: last[1] + last[2], toDocument: segmentMap(segments), segments };
}

/** How many lines past its recorded line a formula may start (a `$$` line, a `\begin` line). */
const SLACK_LINES = 2;

export function locateFormula(doc: NoteText, tex: string, line: number, from: number): FormulaLocation | undefined {
  const lineStart = doc.lineStart(line);
  const searchFrom = Math.max(lineStart, from);
  const limit = doc.lineEnd(Math.min(line + SLACK_LINES + countNewlines(tex), doc.lineCount - 1));
  // The same TeX may occur earlier in prose (`z` in a word): take the first occurrence that stands
  // between delimiters, or is a bare environment (its own delimiter).
  const bare = /^\s*\\begin\s*\{/.test(tex);
  for (
    let at = tex.length ? doc.text.indexOf(tex, searchFrom) : -1;
    at >= 0 && at + tex.length <= limit;
    at = doc.text.indexOf(tex, at + 1)
  ) {
    if (doc.positionAt(at).line > line + SLACK_LINES) break;
    if (bare || delimited(doc.text, at, at + tex.length)) {
      const segments: Array<[number, number, number]> = [[0, at, tex.length]];
      return { start: at, end: at + tex.length, toDocument: segmentMap(segments), segments };
    }
  }
  return lineByLine(doc, tex, line, searchFrom);
}

/** Whether math delimiters (`$`, `\(`, `\[`, `\)`, `\]`) stand right before and after, spaces aside. */
function delimited(text: string, start: number, end: number): boolean {
  let b = start;
  while (b > 0 && /\s/.test(text[b - 1])) b--;
  let a = end;
  while (a < text.length && /\s/.test(text[a])) a++;
  const before = text[b - 1] === '$' || (text[b - 2] === '\\' && (text[b - 1] === '(' || text[b - 1] === '['));
  const after = text[a] === '$' || (text[a] === '\\' && (text[a + 1] === ')' || text[a + 1] === ']'));
  return before && after;
}

function lineByLine(doc: NoteText, tex: string, line: number, from: number): FormulaLocation | undefined {
  const pieces = tex.split('\n');
  // [texOffset, docOffset, length] per piece.
  const segments: Array<[number, number, number]> = [];
  let texOffset = 0;
  let docLine = doc.positionAt(from).line;
  if (docLine < line) docLine = line;
  let cursor = from;
  for (let k = 0; k < pieces.length; k++) {
    const piece = pieces[k].replace(/\r$/, '');
    const trimmed = piece.trimStart();
    const lead = piece.length - trimmed.length;
    if (!trimmed.length && (k === 0 || k === pieces.length - 1)) {
      // An empty first or last line (`$$` on its own line): nothing to anchor.
      texOffset += pieces[k].length + 1;
      if (k === 0) continue;
      break;
    }
    let found = -1;
    for (let tries = 0; tries <= (k === 0 ? SLACK_LINES : 1) && docLine < doc.lineCount; tries++, docLine++) {
      const start = Math.max(doc.lineStart(docLine), cursor);
      const end = doc.lineEnd(docLine);
      const hit = trimmed.length ? doc.text.slice(start, end).indexOf(trimmed) : 0;
      if (hit >= 0) {
        found = start + hit;
        break;
      }
    }
    if (found < 0) return undefined;
    segments.push([texOffset + lead, found, trimmed.length]);
    cursor = found + trimmed.length;
    texOffset += pieces[k].length + 1;
    docLine++;
  }
  if (!segments.length) return undefined;
  const first = segments[0];
  const last = segments[segments.length - 1];
  return {
    start: first[1],
    end: last[1] + last[2],
    toDocument: segmentMap(segments),
    segments,
  };
}

function countNewlines(s: string): number {
  let n = 0;
  for (let i = s.indexOf('\n'); i >= 0; i = s.indexOf('\n', i + 1)) n++;
  return n;
}
