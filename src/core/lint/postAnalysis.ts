// One post as the post rules read it: what the renderer recorded while numbering (labels,
// references, unclosed openers), the document, and every `\label{…}` and reference placed in it.

import type { PostMath } from '../math/postMath';
import type { LocatedLabel } from './labels';
import type { NoteText } from './noteText';
import type { ProseReference, ReferenceSite } from './referenceSites';

export interface PostAnalysis {
  math: PostMath;
  doc: NoteText;
  /** The line after the post's last. */
  endLine: number;
  /** Every `\label{…}` of the post's formulas, in document order. */
  labels: readonly LocatedLabel[];
  /** Every `\eqref{…}` / `\ref{…}` the page makes, in document order (not those in code or comments). */
  references: readonly ReferenceSite[];
  /** References in prose the page makes that could not be placed (referenceSites.ts): a fix must not leave one behind. */
  unplacedReferences: readonly ProseReference[];
}
