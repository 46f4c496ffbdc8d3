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
