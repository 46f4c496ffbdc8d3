// inexact-citation: a 《citation》 that leads to a post whose title is not the one cited (a renamed
// series, a close title, a link whose URL found the post but whose text is off). The fix writes
// the exact title between the brackets; a link around them stays as it is.

import { msg } from '../../l10n/message';
import { normalizeTitle } from '../../series/titleGrammar';
import { citationsIn } from '../citationAnalysis';
import { defineRule } from '../rule';

export const inexactCitation = defineRule({
  id: 'inexact-citation',
  defaultSeverity: 'information',
  description: 'A `《…》` citation that leads to a post whose title differs from the cited text (a renamed series, a close title).',
  checkCitations(note, report) {
    for (const { citation, start, end, resolution } of citationsIn(note)) {
      if (citation.part !== undefined) continue;
      const post = resolution.post;
      if (!post || normalizeTitle(citation.text) === normalizeTitle(post.title)) continue;
      report(start, end, msg('Cites 《{0}》, but the post is titled 《{1}》.', citation.text, post.title), [
        { title: msg('Change to the exact title 《{0}》', post.title), edits: [{ start: start + 1, end: end - 1, text: post.title }] },
      ]);
    }
  },
});
