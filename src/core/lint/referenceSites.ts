// Where a post's `\eqref{…}` and `\ref{…}` stand in the document, from the parse: those in its
// formulas (found in each formula's TeX, placed through the formula's map), and those in prose
// (the inline rule's tokens, each with its line and, where the parse could place it, its column).
// The label rules and the editor's equation features both read these: a reference the page does
// not make (in code, in a comment) is none here either.

import type { NoteText } from './noteText';

export interface ReferenceSite {
  post: number;
  name: string;
  kind: 'eqref' | 'ref';
  /** Document range of the name inside the braces. */
  start: number;
  end: number;
  /** From the backslash to the closing brace. */
  commandStart: number;
  commandEnd: number;
  /** In a formula, or bare in prose. */
  inFormula: boolean;
}

/** A reference in prose as the parse recorded it: its name and command, its source line, and its column there when placed. */
export interface ProseReference {
  name: string;
  kind: 'eqref' | 'ref';
  line: number;
  column?: number;
}

/** A formula placed in the document (in document order, as placing them makes them). */
export interface PlacedTeX {
  source: string;
  start: number;
  end: number;
  toDocument(offset: number): number;
}

/** The renderer's reading of a reference (postMath.ts resolves the same). */
const REFERENCE = /\\(eqref|ref)\s*\{([^{}]*)\}/g;

/** The post's references in document order. */
export function referenceSites(
  doc: NoteText,
  post: number,
  formulas: readonly PlacedTeX[],
  prose: Iterable<ProseReference>,
): ReferenceSite[] {
  return placedReferences(doc, post, formulas, prose).sites;
}

/**
 * The post's references in document order, and those of its prose the parse made but that could
 * not be placed (see proseReferences): a rename must not leave one of those behind.
 */
export function placedReferences(
  doc: NoteText,
  post: number,
  formulas: readonly PlacedTeX[],
  prose: Iterable<ProseReference>,
): { sites: ReferenceSite[]; unplaced: ProseReference[] } {
  const unplaced: ProseReference[] = [];
  const sites = [...formulaReferences(post, formulas), ...proseReferences(doc, post, prose, formulas, unplaced)].sort(
    (a, b) => a.start - b.start,
  );
  return { sites, unplaced };
}

function formulaReferences(post: number, formulas: readonly PlacedTeX[]): ReferenceSite[] {
  const out: ReferenceSite[] = [];
  for (const f of formulas) {
    if (!f.source.includes('ref')) continue;
    for (const m of f.source.matchAll(REFERENCE)) out.push(site(post, m, m.index!, f.toDocument, true));
  }
  return out;
}

function site(post: number, m: RegExpMatchArray, at: number, toDocument: (o: number) => number, inFormula: boolean): ReferenceSite {
  const open = m[0].indexOf('{');
  const name = m[2].trim();
  const nameStart = at + open + 1 + (m[2].length - m[2].trimStart().length);
  return {
    post,
    name,
    kind: m[1] as 'eqref' | 'ref',
    start: toDocument(nameStart),
    end: toDocument(nameStart + name.length),
    commandStart: toDocument(at),
    commandEnd: toDocument(at + m[0].length),
    inFormula,
  };
}

/**
 * Prose references: at their column when the parse placed them and the document holds that very
 * reference there, outside every formula. Else (a table cell whose text the parse could not find
 * in its row, a listing's reflowed line, text in an HTML block) by the line's references outside
 * its formulas, in order — only when the line holds exactly as many as the parse made there: a
 * line that also shows one in code, a comment or an attribute is ambiguous, and its references are
 * left out rather than placed on the wrong one.
 */
function proseReferences(
  doc: NoteText,
  post: number,
  prose: Iterable<ProseReference>,
  formulas: readonly PlacedTeX[],
  left: ProseReference[],
): ReferenceSite[] {
  const out: ReferenceSite[] = [];
  const placed = new Set<number>();
  const unplaced = new Map<number, ProseReference[]>();
  const at = new RegExp(REFERENCE.source, 'y');
  let spans: ReadonlyArray<readonly [number, number]> | undefined;
  // By start (placing keeps document order, but a formula found by its text may not).
  const formulaSpans = () => (spans ??= formulas.map((f) => [f.start, f.end] as const).sort((a, b) => a[0] - b[0]));
  // The parse counts the first line's columns without a BOM; the editor's text keeps it (lint's does not).
  const bom = doc.text.charCodeAt(0) === 0xfeff ? 1 : 0;
  for (const r of prose) {
    if (r.line < 0 || r.line >= doc.lineCount) {
      left.push(r);
      continue;
    }
    if (r.column !== undefined) {
      const start = doc.lineStart(r.line) + r.column + (r.line === 0 ? bom : 0);
      at.lastIndex = start;
      const m = at.exec(doc.text);
      if (m && m[1] === r.kind && m[2].trim() === r.name && !inFormula(formulaSpans(), start)) {
        out.push(site(post, m, start, (o) => o, false));
        placed.add(start);
        continue;
      }
    }
    const list = unplaced.get(r.line);
    if (list) list.push(r);
    else unplaced.set(r.line, [r]);
  }
  for (const [line, refs] of unplaced) {
    const from = doc.lineStart(line);
    const found = [...doc.lineText(line).matchAll(REFERENCE)].filter(
      (m) => !placed.has(from + m.index!) && !inFormula(formulaSpans(), from + m.index!),
    );
    if (found.length !== refs.length || found.some((m, k) => m[1] !== refs[k].kind || m[2].trim() !== refs[k].name)) {
      left.push(...refs);
      continue;
    }
    for (const m of found) out.push(site(post, m, m.index!, (o) => from + o, false));
  }
  return out;
}

/** Whether `offset` is inside one of the spans (sorted by start; formulas do not overlap). */
function inFormula(spans: ReadonlyArray<readonly [number, number]>, offset: number): boolean {
  let lo = 0;
  let hi = spans.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (spans[mid][0] <= offset) lo = mid + 1;
    else hi = mid;
  }
  return lo > 0 && offset < spans[lo - 1][1];
}
