// duplicate-label: a \label defined again in its post (references go to the first). The fix
// renames this one, with the references written after it up to the name's next definition.

import { msg } from '../../l10n/message';
import { defineRule } from '../rule';
import { numberedLabels, ReferenceIndex, type LocatedLabel } from '../labels';

export const duplicateLabel = defineRule({
  id: 'duplicate-label',
  defaultSeverity: 'error',
  description: 'The same `\\label{…}` twice in one post.',
  checkPost(post, report) {
    const { doc, math } = post;
    const duplicates = new Set(math.duplicateLabels.map((d) => d.name));
    if (!duplicates.size) return;
    const taken = new Set(post.labels.map((l) => l.name));
    // Per name: its occurrences in order (the next definition of a duplicate in O(1)) and the next
    // free suffix (a note with thousands of duplicates stays linear).
    const occurrences = new Map<string, LocatedLabel[]>();
    for (const l of post.labels) {
      if (!occurrences.has(l.name)) occurrences.set(l.name, []);
      occurrences.get(l.name)!.push(l);
    }
    const nextSuffix = new Map<string, number>();
    const postEnd = post.endLine < doc.lineCount ? doc.lineStart(post.endLine) : doc.text.length;
    const references = new ReferenceIndex(
      doc.text,
      post.labels.reduce((m, l) => Math.min(m, l.end), postEnd),
      postEnd,
    );
    for (const { label: l, first, nth } of numberedLabels(post)) {
      if (first || !duplicates.has(l.name)) continue;
      let k = nextSuffix.get(l.name) ?? 2;
      while (taken.has(`${l.name}-${k}`)) k++;
      nextSuffix.set(l.name, k + 1);
      const renamed = `${l.name}-${k}`;
      taken.add(renamed);
      // The references written after this definition (up to the next one of the name) meant this one.
      const next = occurrences.get(l.name)![nth + 1];
      const refs = references.of(l.name, l.end, next ? next.start : postEnd);
      report(l.start, l.end, msg('`\\label{{0}}` is defined twice in this post; references go to the first.', l.name), [
        {
          title: refs.length
            ? msg('Rename this one to `{0}`, with the {1} reference(s) after it', renamed, refs.length)
            : msg('Rename this one to `{0}`', renamed),
          edits: [{ start: l.start, end: l.end, text: renamed }, ...refs.map((r) => ({ start: r, end: r + l.name.length, text: renamed }))],
        },
      ]);
    }
  },
});
