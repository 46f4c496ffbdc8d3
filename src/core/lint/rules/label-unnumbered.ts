// label-unnumbered: a \label in a formula that gets no number; \eqref cannot point at it.

import { msg } from '../../l10n/message';
import { defineRule } from '../rule';
import { labelKey, unnumberedKeys } from '../labels';

export const labelUnnumbered = defineRule({
  id: 'label-unnumbered',
  defaultSeverity: 'warning',
  description: 'A `\\label` in a formula that gets no number: a starred environment, `\\nonumber`/`\\notag`, or inline math.',
  checkPost(post, report) {
    const unnumbered = unnumberedKeys(post);
    for (const l of post.labels) {
      if (!unnumbered.has(labelKey(l.name, l.formulaLine))) continue;
      report(
        l.start,
        l.end,
        msg(
          '`\\label{{0}}` is in a formula that gets no number (a starred environment, \\nonumber, or inline math): \\eqref{{0}} cannot point at it.',
          l.name,
        ),
      );
    }
  },
});
