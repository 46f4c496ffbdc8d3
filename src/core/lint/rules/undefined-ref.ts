// undefined-ref: an \eqref or \ref whose label no formula of the post defines (the page shows
// (??)). The renderer knows the reference's line, not its column: it is found on its line.

import { msg } from '../../l10n/message';
import { defineRule } from '../rule';
import { referencePattern, undefinedReferenceMessage } from '../labels';
import { nearestNames } from '../suggest';

export const undefinedRef = defineRule({
  id: 'undefined-ref',
  defaultSeverity: 'warning',
  description: 'An `\\eqref{…}` or `\\ref{…}` with no `\\label` of that name in the post.',
  checkPost(post, report) {
    const { doc, math } = post;
    const reported = new Set<number>();
    const known = [...math.labels.keys()];
    for (const r of math.references) {
      if (r.resolved) continue;
      const re = referencePattern(r.label);
      for (let line = r.line; line < Math.min(post.endLine, r.line + 50); line++) {
        const from = doc.lineStart(line);
        re.lastIndex = 0;
        const text = doc.lineText(line);
        let m: RegExpExecArray | null;
        let hit = false;
        while ((m = re.exec(text))) {
          const start = from + m.index + m[0].indexOf(m[1], m[0].indexOf('{'));
          if (reported.has(start)) continue;
          reported.add(start);
          const near = nearestNames(r.label, known);
          report(
            start,
            start + r.label.length,
            undefinedReferenceMessage(r.label, known, near),
            near.map((n) => ({ title: msg('Change to `{0}`', n), edits: [{ start, end: start + r.label.length, text: n }] })),
          );
          hit = true;
          break;
        }
        if (hit) break;
      }
    }
  },
});
