// One post as the post rules read it: what the renderer recorded while numbering (labels,
// references, unclosed openers), the document, and every `\label{…}` and reference placed in it.

import type { PostMath } from '../math/postMath';
import type { LocatedLabel } from './labels';
import type { NoteText } from './noteText';
import type { ReferenceSite } from './referenceSites';

export interface PostAnalysis {
  math: PostMath;
  doc: NoteText;
  /** The line after the post's last. */
  endLine: number;
  /** Every `\label{…}` of the post's formulas, in document order. */
  labels: readonly LocatedLabel[];
  /** Every `\eqref{…}` / `\ref{…}` the page makes, in document order (not those in code or comments). */
  references: readonly ReferenceSite[];
}
