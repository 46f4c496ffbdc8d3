// What stands at an offset of the note: a `\label` name, an `\eqref`/`\ref`, or a formula. The
// ends of a name count (a cursor right after the last character is still on it, as on a word).

import type { FormulaSite, LabelSite, NoteEquations, PostEquations, ReferenceSite } from './noteEquations';

export type EquationSite =
  | { kind: 'label'; post: PostEquations; label: LabelSite }
  | { kind: 'reference'; post: PostEquations; reference: ReferenceSite }
  | { kind: 'formula'; post: PostEquations; formula: FormulaSite };

export function postAt(eq: NoteEquations, offset: number): PostEquations | undefined {
  for (const p of eq.posts) if (offset >= p.start && (offset < p.end || p === eq.posts[eq.posts.length - 1])) return p;
  return undefined;
}

export function siteAt(eq: NoteEquations, offset: number): EquationSite | undefined {
  const post = postAt(eq, offset);
  if (!post) return undefined;
  const label = post.labels.find((l) => offset >= l.start && offset <= l.end);
  if (label) return { kind: 'label', post, label };
  const reference = post.references.find((r) => offset >= r.commandStart && offset <= r.commandEnd);
  if (reference) return { kind: 'reference', post, reference };
  const formula = formulaAt(post, offset);
  return formula ? { kind: 'formula', post, formula } : undefined;
}

/** The formula whose TeX holds the offset (binary search: formulas are in document order). */
export function formulaAt(post: PostEquations, offset: number): FormulaSite | undefined {
  let lo = 0;
  let hi = post.formulas.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const f = post.formulas[mid];
    if (offset < f.start) hi = mid - 1;
    else if (offset > f.end) lo = mid + 1;
    else return f;
  }
  return undefined;
}

/** The label a name at the offset means: a `\label` or a reference's target name, and its post. */
export function labelNameAt(
  eq: NoteEquations,
  offset: number,
): { post: PostEquations; name: string; start: number; end: number } | undefined {
  const site = siteAt(eq, offset);
  if (site?.kind === 'label') return { post: site.post, name: site.label.name, start: site.label.start, end: site.label.end };
  if (site?.kind === 'reference')
    return { post: site.post, name: site.reference.name, start: site.reference.start, end: site.reference.end };
  return undefined;
}

/** The label references to `name` lead to in the post, if any. */
export function definitionOf(post: PostEquations, name: string): LabelSite | undefined {
  return post.labels.find((l) => l.defines && l.name === name);
}
