// What the editor's equation features stand on: every formula, `\label` and `\eqref`/`\ref` of a
// note with its place in the document and its number, per post. It comes from the preview's own
// parse and numbering (`prepareNote`: the page's blocks, prepared, KaTeX not called), placed in the
// document as lint places formulas — so a number here is the number the preview prints.

import type MarkdownIt = require('markdown-it');
import { placeFormula } from '../lint/locateFormula';
import { NoteText } from '../lint/noteText';
import { labelsIn } from '../lint/labels';
import { placedReferences, type ProseReference, type ReferenceSite } from '../lint/referenceSites';
import { noteDirectives, type LintDirective } from '../lint/suppressions';
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
  /**
   * Maps an offset into the formula's TeX to a document offset, as data: [texOffset, docOffset,
   * length] per piece (locateFormula.ts; segmentMap makes the function). Data only: the host takes
   * tens of thousands of these from the worker per version of a long note.
   */
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

export type { ReferenceSite } from '../lint/referenceSites';

export interface PostEquations {
  post: EquationPost;
  math: EquationPostMath;
  /** Document offsets of the post's lines. */
  start: number;
  end: number;
  formulas: FormulaSite[];
  labels: LabelSite[];
  references: ReferenceSite[];
  /**
   * References in the post's prose that the page makes but that could not be placed in the
   * document (their line also shows one in code, a comment or an attribute): rename refuses a label
   * they name rather than leave them behind.
   */
  unplacedReferences: Array<Pick<ProseReference, 'name' | 'kind' | 'line'>>;
}

export interface NoteEquations {
  doc: NoteText;
  posts: PostEquations[];
  /** What the note's `mathnotes-disable` comments turn off (the host's citation checks read them). */
  directives: LintDirective[];
}

export interface EquationOptions {
  macros?: Readonly<Record<string, string>>;
  cache?: RenderCache;
}

export function noteEquations(text: string, fileName: string, options: EquationOptions = {}): NoteEquations {
  const prepared = prepareNote(text, fileName, options);
  // Offsets in the text as the editor has it: a BOM only shifts line 0, and formulas are found by line.
  const doc = new NoteText(text);
  const posts = prepared.note.posts.map((post, p) => postEquations(doc, post, prepared.math[p], prepared.tokens[p]));
  return { doc, posts, directives: noteDirectives(prepared.math) };
}

function postEquations(doc: NoteText, post: Post, math: PostMath, blocks: MarkdownIt.Token[][]): PostEquations {
  const start = doc.lineStart(post.startLine);
  const end = post.endLine < doc.lineCount ? doc.lineStart(post.endLine) : doc.text.length;
  const formulas: FormulaSite[] = [];
  /** Each formula's offset map, as placing it made it. */
  const toDocument: Array<(offset: number) => number> = [];
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
      segments: loc.segments,
    });
    toDocument.push(loc.toDocument);
  }
  const labels = labelSites(post.index, math, formulas, toDocument);
  const placed = formulas.map((f, k) => ({ source: f.formula.source, start: f.start, end: f.end, toDocument: toDocument[k] }));
  const { sites: references, unplaced } = placedReferences(doc, post.index, placed, proseReferences(blocks));
  return {
    post,
    math,
    start,
    end,
    formulas,
    labels,
    references,
    unplacedReferences: unplaced.map(({ name, kind, line }) => ({ name, kind, line })),
  };
}

function labelSites(post: number, math: PostMath, formulas: FormulaSite[], toDocument: Array<(offset: number) => number>): LabelSite[] {
  const out: LabelSite[] = [];
  const defined = new Set<string>();
  for (const [k, site] of formulas.entries()) {
    for (const l of labelsIn([{ source: site.formula.source, line: site.line, toDocument: toDocument[k] }])) {
      const target = math.labels.get(l.name);
      // The page keeps the first numbered definition of a name: that one is where references lead.
      const defines = !!target && target.line === site.line && !defined.has(l.name) && site.formula.display;
      if (defines) defined.add(l.name);
      out.push({ post, name: l.name, start: l.start, end: l.end, formula: site, defines, ...(defines ? { number: target!.text } : {}) });
    }
  }
  return out;
}

/** The post's prose references as the page's inline rule made them (their tokens carry where they stand). */
function* proseReferences(blocks: MarkdownIt.Token[][]): Generator<ProseReference> {
  for (const tokens of blocks) {
    for (const t of tokens) {
      if (!t.children) continue;
      for (const c of t.children) {
        if (c.type !== TOKEN.ref) continue;
        const at = c.meta as { line?: number; column?: number } | null;
        if (at?.line !== undefined) yield { name: c.content, kind: c.markup as 'eqref' | 'ref', line: at.line, column: at.column };
      }
    }
  }
}
