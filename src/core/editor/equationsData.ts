// The equation analysis as plain data, so the render worker can make it and the extension host only
// take it: preparing a large note costs 100–300 ms (a 170 KB listing), which the host's thread must
// not spend. Data out: what the features read, offset maps as segments, labels pointing at their
// formula by index. Back in: the same NoteEquations, over the text the host has at that version.

import { NoteText } from '../lint/noteText';
import type { EquationFormula, FormulaSite, LabelSite, NoteEquations, PostEquations, ReferenceSite } from './noteEquations';

export interface EquationsData {
  posts: Array<{
    post: PostEquations['post'];
    math: {
      unclosed: PostEquations['math']['unclosed'];
      macrosInForce: Record<string, string>;
      definedMacros: Array<{ name: string; body: string; kind: string }>;
    };
    start: number;
    end: number;
    formulas: Array<Omit<FormulaSite, 'formula'> & { formula: EquationFormula }>;
    labels: Array<Omit<LabelSite, 'formula'> & { formula: number }>;
    references: ReferenceSite[];
    unplacedReferences: PostEquations['unplacedReferences'];
  }>;
  directives: NoteEquations['directives'];
  /** The note's line starts, as the worker found them (finding them again: ~40 ms of the host at 10 M characters). */
  lineStarts: Int32Array;
}

export function equationsToData(eq: NoteEquations): EquationsData {
  return {
    posts: eq.posts.map((p) => {
      const index = new Map(p.formulas.map((f, k) => [f, k]));
      return {
        post: { index: p.post.index, meta: p.post.meta },
        math: { unclosed: p.math.unclosed, macrosInForce: { ...p.math.macrosInForce }, definedMacros: [...p.math.definedMacros] },
        start: p.start,
        end: p.end,
        formulas: p.formulas.map((f) => ({
          post: f.post,
          start: f.start,
          end: f.end,
          line: f.line,
          segments: f.segments,
          formula: {
            source: f.formula.source,
            display: f.formula.display,
            macros: f.formula.macros,
            rows: f.formula.rows,
            tex: { text: f.formula.tex.text },
          },
        })),
        labels: p.labels.map((l) => ({ ...l, formula: index.get(l.formula)! })),
        references: p.references,
        unplacedReferences: p.unplacedReferences,
      };
    }),
    directives: eq.directives,
    lineStarts: Int32Array.from(eq.doc.lineStarts),
  };
}

/**
 * The analysis back from its data, over `text` (the note as it was when the data was made). Taken
 * as it came, not copied: a long note's data is tens of thousands of formulas (10 M characters: a
 * copy of each took ~150 ms of the host's thread).
 */
export function equationsFromData(data: EquationsData, text: string): NoteEquations {
  return {
    doc: new NoteText(text, data.lineStarts),
    posts: data.posts.map((p) => {
      const formulas: FormulaSite[] = p.formulas;
      return { ...p, formulas, labels: p.labels.map((l) => ({ ...l, formula: formulas[l.formula] })) };
    }),
    directives: data.directives,
  };
}
