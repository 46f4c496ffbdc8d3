// duplicate-label: a \label defined again in its post (references go to the first). The fix
// renames this one, with the references written after it up to the name's next definition.

import { msg } from '../../l10n/message';
import { defineRule } from '../rule';
import { numberedLabels, type LocatedLabel } from '../labels';
import type { ReferenceSite } from '../referenceSites';

export const duplicateLabel = defineRule({
  id: 'duplicate-label',
  defaultSeverity: 'error',
  description: 'The same `\\label{…}` twice in one post.',
  checkPost(post, report) {
    const { doc, math } = post;
    const duplicates = new Set(math.duplicateLabels.map((d) => d.name));
    if (!duplicates.size) return;
    // A new name no label or reference of the post has (a reference leading nowhere would lead to it).
    const taken = new Set([...post.labels, ...post.references, ...post.unplacedReferences].map((l) => l.name));
    // Per name: its occurrences in order (the next definition of a duplicate in O(1)) and the next
    // free suffix (a note with thousands of duplicates stays linear).
    const occurrences = new Map<string, LocatedLabel[]>();
    for (const l of post.labels) {
      if (!occurrences.has(l.name)) occurrences.set(l.name, []);
      occurrences.get(l.name)!.push(l);
    }
    const nextSuffix = new Map<string, number>();
    const postEnd = post.endLine < doc.lineCount ? doc.lineStart(post.endLine) : doc.text.length;
    // The references to each repeated name, in document order (the post's are).
    const referencesTo = new Map<string, ReferenceSite[]>();
    for (const r of post.references) {
      if (!duplicates.has(r.name)) continue;
      if (!referencesTo.has(r.name)) referencesTo.set(r.name, []);
      referencesTo.get(r.name)!.push(r);
    }
    for (const { label: l, first, nth } of numberedLabels(post)) {
      if (first || !duplicates.has(l.name)) continue;
      let k = nextSuffix.get(l.name) ?? 2;
      while (taken.has(`${l.name}-${k}`)) k++;
      nextSuffix.set(l.name, k + 1);
      const renamed = `${l.name}-${k}`;
      taken.add(renamed);
      // The references written after this definition (up to the next one of the name) meant this one.
      const next = occurrences.get(l.name)![nth + 1];
      const refs = between(referencesTo.get(l.name) ?? [], l.end, next ? next.start : postEnd);
      const message = msg('`\\label{{0}}` is defined twice in this post; references go to the first.', l.name);
      // A reference to the name the parse made but could not place: renaming would leave it, or one after it, behind.
      if (post.unplacedReferences.some((r) => r.name === l.name)) {
        report(l.start, l.end, message);
        continue;
      }
      report(l.start, l.end, message, [
        {
          title: refs.length
            ? msg('Rename this one to `{0}`, with the {1} reference(s) after it', renamed, refs.length)
            : msg('Rename this one to `{0}`', renamed),
          edits: [{ start: l.start, end: l.end, text: renamed }, ...refs.map((r) => ({ start: r.start, end: r.end, text: renamed }))],
        },
      ]);
    }
  },
});

/** The references whose command starts in [from, until) (`sites` in document order: a binary search). */
function between(sites: readonly ReferenceSite[], from: number, until: number): ReferenceSite[] {
  let lo = 0;
  let hi = sites.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (sites[mid].commandStart < from) lo = mid + 1;
    else hi = mid;
  }
  const out: ReferenceSite[] = [];
  for (let i = lo; i < sites.length && sites[i].commandStart < until; i++) out.push(sites[i]);
  return out;
}
