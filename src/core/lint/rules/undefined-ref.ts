// undefined-ref: an \eqref or \ref whose label no formula of the post defines (the page shows
// (??)). Each is reported where the parse found it (referenceSites.ts).

import { msg } from '../../l10n/message';
import { defineRule } from '../rule';
import { undefinedReferenceMessage } from '../labels';
import { nearestNames } from '../suggest';

export const undefinedRef = defineRule({
  id: 'undefined-ref',
  defaultSeverity: 'warning',
  description: 'An `\\eqref{…}` or `\\ref{…}` with no `\\label` of that name in the post.',
  checkPost(post, report) {
    const { math } = post;
    // The renderer resolved each against the post's labels, all known by then: a name is unresolved everywhere or nowhere.
    const unresolved = new Set(math.references.filter((r) => !r.resolved).map((r) => r.label));
    if (!unresolved.size) return;
    const known = [...math.labels.keys()];
    const near = new Map<string, string[]>();
    for (const r of post.references) {
      if (!unresolved.has(r.name)) continue;
      let names = near.get(r.name);
      if (!names) near.set(r.name, (names = nearestNames(r.name, known)));
      report(
        r.start,
        r.end,
        undefinedReferenceMessage(r.name, known, names),
        names.map((n) => ({ title: msg('Change to `{0}`', n), edits: [{ start: r.start, end: r.end, text: n }] })),
      );
    }
  },
});
