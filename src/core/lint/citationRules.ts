// The citation rules, and running them alone: the editor runs them on the extension host, where the
// series index lives, while the rest of lint runs in a worker. Kept apart from the registry's other
// rules so the host's bundle does not carry the formula rules and their command tables.

import type { PostSummary } from '../series/noteSummary';
import type { CitationResolver } from './citationAnalysis';
import type { LintOptions } from './lintNote';
import type { NoteText } from './noteText';
import { reporter, type Reporter } from './reporter';
import { suppressedBy, type LintDirective } from './suppressions';
import { inexactCitation } from './rules/inexact-citation';
import { unresolvedCitation } from './rules/unresolved-citation';
import type { LintDiagnostic, RuleId } from './types';

/** The rules that check citations against a series index (in the registry too: rules/index.ts). */
export const CITATION_RULES = [unresolvedCitation, inexactCitation] as const;

/**
 * The citation rules alone, for a note whose posts the series index has summarised already;
 * `directives`: what the note's comments turn off (its parse's: lintNote's, or noteEquations').
 */
export function lintCitations(
  text: string,
  posts: readonly PostSummary[],
  resolver: CitationResolver,
  options: Pick<LintOptions, 'rules' | 'severity' | 'locale'> = {},
  directives: readonly LintDirective[] = [],
): LintDiagnostic[] {
  const { doc, report, enabled, found } = reporter(text, options, CITATION_RULES, suppressedBy(directives));
  checkCitations(posts, doc, resolver, enabled, report);
  return found();
}

/** Runs the enabled citation rules over the note's posts. */
export function checkCitations(
  posts: readonly PostSummary[],
  doc: NoteText,
  resolver: CitationResolver,
  enabled: ReadonlySet<RuleId>,
  report: Reporter,
): void {
  const note = { posts, doc, resolver };
  for (const rule of CITATION_RULES) {
    if (enabled.has(rule.id)) rule.checkCitations!(note, (start, end, message, fixes) => report(rule.id, start, end, message, fixes));
  }
}

/**
 * The posts in batches of about `citations` citations each, a post with more split into copies
 * holding a part of its citations (the rules read each citation alone): the editor checks one
 * batch per task of the host's thread, and one listing post can hold thousands.
 */
export function citationBatches(posts: readonly PostSummary[], citations: number): PostSummary[][] {
  const batches: PostSummary[][] = [];
  let batch: PostSummary[] = [];
  let size = 0;
  for (const post of posts) {
    // A post without citations still counts a little: a batch is also a slice of the posts' list.
    if (!post.citations.length) {
      batch.push(post);
      size += 1;
    }
    for (let i = 0; i < post.citations.length;) {
      const take = Math.max(1, Math.min(post.citations.length - i, citations - size));
      batch.push(take === post.citations.length ? post : { ...post, citations: post.citations.slice(i, i + take) });
      size += take;
      i += take;
      if (size >= citations) {
        batches.push(batch);
        batch = [];
        size = 0;
      }
    }
    if (size >= citations) {
      batches.push(batch);
      batch = [];
      size = 0;
    }
  }
  if (batch.length) batches.push(batch);
  return batches;
}
