// What the editor's equation features stand on: every formula, `\label` and `\eqref`/`\ref` of a
// note with its place in the document and its number, per post. It comes from the preview's own
// parse and numbering (`prepareNote`: the page's blocks, prepared, KaTeX not called), placed in the
// document as lint places formulas — so a number here is the number the preview prints.

import type MarkdownIt = require('markdown-it');
import { placeFormula } from '../lint/locateFormula';
import { NoteText } from '../lint/noteText';
import { labelsIn } from '../lint/labels';
import { TOKEN } from '../markdown/mathSyntax';
import type { RenderCache } from '../math/katexRenderer';
import type { PostMath, PreparedFormula } from '../math/postMath';
import { prepareNote } from '../render/renderNote';
import type { Post } from '../note/types';

/** What the editor's features read of a prepared formula (data only: it crosses from the worker). */
export type EquationFormula = Pick<PreparedFormula, 'source' | 'display' | 'macros' | 'rows'> & { tex: { text: string } };
/** What they read of a post and of its math. */
export type EquationPost = Pick<Post, 'index' | 'meta'>;
export type EquationPostMath = Pick<PostMath, 'unclosed' | 'macrosInForce' | 'definedMacros'>;

/** A formula where it stands in the document. */
export interface FormulaSite {
  post: number;
  /** Document offsets of its TeX (delimiters excluded). */
  start: number;
  end: number;
  /** 0-based line of its start, as the preview records it. */
  line: number;
  /** As prepared for the page: TeX as written, numbers (`rows`), macros in force. */
  formula: EquationFormula;
  /** Maps an offset into the formula's TeX to a document offset. */
  toDocument(offset: number): number;
  /** The same map as data: [texOffset, docOffset, length] per piece (see locateFormula). */
  segments: Array<[number, number, number]>;
}

export interface LabelSite {
  post: number;
  name: string;
  /** Document range of the name inside `\label{…}`. */
  start: number;
  end: number;
  formula: FormulaSite;
  /** The label references resolve to (the first numbered one of the name in its post). */
  defines: boolean;
  /** What `\eqref` to it shows, without parentheses (`3`, `★`), when it defines a numbered row. */
  number?: string;
}

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

export interface PostEquations {
  post: EquationPost;
  math: EquationPostMath;
  /** Document offsets of the post's lines. */
  start: number;
  end: number;
  formulas: FormulaSite[];
  labels: LabelSite[];
  references: ReferenceSite[];
}

export interface NoteEquations {
  doc: NoteText;
  posts: PostEquations[];
}

export interface EquationOptions {
  macros?: Readonly<Record<string, string>>;
  cache?: RenderCache;
}

const REFERENCE = /\\(eqref|ref)\s*\{([^{}]*)\}/g;

export function noteEquations(text: string, fileName: string, options: EquationOptions = {}): NoteEquations {
  const prepared = prepareNote(text, fileName, options);
  // Offsets in the text as the editor has it: a BOM only shifts line 0, and formulas are found by line.
  const doc = new NoteText(text);
  const posts = prepared.note.posts.map((post, p) => postEquations(doc, post, prepared.math[p], prepared.tokens[p]));
  return { doc, posts };
}

function postEquations(doc: NoteText, post: Post, math: PostMath, blocks: MarkdownIt.Token[][]): PostEquations {
  const start = doc.lineStart(post.startLine);
  const end = post.endLine < doc.lineCount ? doc.lineStart(post.endLine) : doc.text.length;
  const formulas: FormulaSite[] = [];
  let cursor = start;
  for (const f of math.formulas) {
    const loc = placeFormula(doc, f, cursor);
    if (!loc) continue;
    cursor = loc.end;
    formulas.push({
      post: post.index,
      start: loc.start,
      end: loc.end,
      line: f.line,
      formula: f,
      toDocument: loc.toDocument,
      segments: loc.segments,
    });
  }
  const labels = labelSites(post.index, math, formulas);
  const references = [...formulaReferences(post.index, formulas), ...proseReferences(doc, post.index, blocks, formulas)].sort(
    (a, b) => a.start - b.start,
  );
  return { post, math, start, end, formulas, labels, references };
}

function labelSites(post: number, math: PostMath, formulas: FormulaSite[]): LabelSite[] {
  const out: LabelSite[] = [];
  const defined = new Set<string>();
  for (const site of formulas) {
    for (const l of labelsIn([{ source: site.formula.source, line: site.line, toDocument: site.toDocument }])) {
      const target = math.labels.get(l.name);
      // The page keeps the first numbered definition of a name: that one is where references lead.
      const defines = !!target && target.line === site.line && !defined.has(l.name) && site.formula.display;
      if (defines) defined.add(l.name);
      out.push({ post, name: l.name, start: l.start, end: l.end, formula: site, defines, ...(defines ? { number: target!.text } : {}) });
    }
  }
  return out;
}

function formulaReferences(post: number, formulas: FormulaSite[]): ReferenceSite[] {
  const out: ReferenceSite[] = [];
  for (const site of formulas) {
    const source = site.formula.source;
    if (!source.includes('ref')) continue;
    for (const m of source.matchAll(REFERENCE)) out.push(referenceSite(post, m, m.index!, site.toDocument, true));
  }
  return out;
}

function referenceSite(
  post: number,
  m: RegExpMatchArray,
  at: number,
  toDocument: (o: number) => number,
  inFormula: boolean,
): ReferenceSite {
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
 * Bare `\eqref{…}` in prose, as the page's inline rule made them (its tokens carry their source
 * line): found on that line, outside the line's formulas, in order.
 */
function proseReferences(doc: NoteText, post: number, blocks: MarkdownIt.Token[][], formulas: FormulaSite[]): ReferenceSite[] {
  const perLine = new Map<number, number>();
  for (const tokens of blocks) {
    for (const t of tokens) {
      if (!t.children) continue;
      for (const c of t.children) {
        if (c.type !== TOKEN.ref) continue;
        const line = Number((c.meta as { line?: number } | null)?.line ?? -1);
        if (line >= 0) perLine.set(line, (perLine.get(line) ?? 0) + 1);
      }
    }
  }
  const out: ReferenceSite[] = [];
  const inFormula = (offset: number) => formulas.some((f) => offset >= f.start && offset < f.end);
  for (const [line, count] of perLine) {
    const from = doc.lineStart(line);
    let found = 0;
    for (const m of doc.lineText(line).matchAll(REFERENCE)) {
      if (found === count) break;
      if (inFormula(from + m.index!)) continue;
      out.push(referenceSite(post, m, m.index!, (o) => from + o, false));
      found++;
    }
  }
  return out;
}
