// unresolved-citation: a 《citation》 that looks like a post — a series title, a blog URL, a part
// of this series — and leads to none in the index. Books and papers (`《红楼梦》`) are citations
// too, but not of posts: they are never reported.

import { archiveIdOf } from '../../series/noteSummary';
import { parseSeriesTitle } from '../../series/titleGrammar';
import { citationsIn, unresolvedMessage } from '../citationAnalysis';
import { defineRule } from '../rule';

export const unresolvedCitation = defineRule({
  id: 'unresolved-citation',
  defaultSeverity: 'information',
  description:
    'A `《…》` citation that looks like a post of a series (a series title, a link to a post, `本系列（三）`) but leads to no post of the workspace (of the notes given to `mathnotes lint`).',
  checkCitations(note, report) {
    for (const { citation, from, start, end, resolution: r } of citationsIn(note)) {
      if (r.post) continue;
      const looksLikePost =
        citation.part !== undefined
          ? r.reason === 'missing-part'
          : parseSeriesTitle(citation.text) !== undefined || archiveIdOf(citation.url) !== undefined;
      if (looksLikePost) report(start, end, unresolvedMessage(r.reason, citation, from));
    }
  },
});
