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
    const near = suggestionsFor(known);
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

/**
 * The suggestions made for these label names: a recent lint's when its post had the same names in
 * the same order (a keystroke rarely changes them). Each is an edit distance to every label:
 * 1 000 broken references in a post of 5 000 labels took ~60 ms of every keystroke's lint.
 */
function suggestionsFor(known: readonly string[]): Map<string, string[]> {
  const same = (k: readonly string[]) => k.length === known.length && k.every((name, i) => name === known[i]);
  const hit = recentSuggestions.findIndex((s) => same(s.known));
  const entry = hit >= 0 ? recentSuggestions.splice(hit, 1)[0] : { known, near: new Map<string, string[]>() };
  // Most recent first; a few posts' worth (a listing's posts are linted one after another).
  recentSuggestions.unshift(entry);
  if (recentSuggestions.length > MAX_RECENT) recentSuggestions.pop();
  return entry.near;
}
const MAX_RECENT = 8;
const recentSuggestions: Array<{ known: readonly string[]; near: Map<string, string[]> }> = [];
