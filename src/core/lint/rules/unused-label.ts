// unused-label: a numbered \label that no \eqref or \ref of its post refers to.

import { msg } from '../../l10n/message';
import { defineRule } from '../rule';
import { numberedLabels } from '../labels';

export const unusedLabel = defineRule({
  id: 'unused-label',
  defaultSeverity: 'hint',
  description: 'A `\\label` that nothing in the post refers to.',
  checkPost(post, report) {
    const referenced = new Set(post.math.references.map((r) => r.label));
    for (const { label: l, first } of numberedLabels(post)) {
      if (first && post.math.labels.has(l.name) && !referenced.has(l.name))
        report(l.start, l.end, msg('`\\label{{0}}` is never referred to in this post.', l.name));
    }
  },
});
