// Go to Definition, Find All References and Document Highlights for labels: within the post the
// cursor is in (labels are per post, as on the page).

import type { LabelSite, NoteEquations, ReferenceSite } from './noteEquations';
import { definitionOf, labelNameAt } from './siteAt';

export interface Span {
  start: number;
  end: number;
}

/** Where `\eqref{x}` (or `\label{x}` itself) leads: the name inside its defining `\label`. */
export function labelDefinition(eq: NoteEquations, offset: number): { origin: Span; target: LabelSite } | undefined {
  const at = labelNameAt(eq, offset);
  if (!at) return undefined;
  const target = definitionOf(at.post, at.name);
  return target ? { origin: { start: at.start, end: at.end }, target } : undefined;
}

/** Every `\label{x}` and reference to x in the post, in document order (the labels left out on request). */
export function labelOccurrences(
  eq: NoteEquations,
  offset: number,
  includeLabels = true,
): Array<{ span: Span; kind: 'label' | 'reference'; site: LabelSite | ReferenceSite }> | undefined {
  const at = labelNameAt(eq, offset);
  if (!at) return undefined;
  const out: Array<{ span: Span; kind: 'label' | 'reference'; site: LabelSite | ReferenceSite }> = [];
  if (includeLabels)
    for (const l of at.post.labels) if (l.name === at.name) out.push({ span: { start: l.start, end: l.end }, kind: 'label', site: l });
  for (const r of at.post.references)
    if (r.name === at.name) out.push({ span: { start: r.start, end: r.end }, kind: 'reference', site: r });
  return out.sort((a, b) => a.span.start - b.span.start);
}

/** The label's names to highlight: its `\label` written (write) and its references (read). */
export function labelHighlights(eq: NoteEquations, offset: number): Array<Span & { write: boolean }> {
  return (labelOccurrences(eq, offset) ?? []).map((o) => ({ ...o.span, write: o.kind === 'label' }));
}
