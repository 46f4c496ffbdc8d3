// `mathnotes lint --fix`: lint, apply the safe fixes (fixAll.ts), lint again until none is left.
// Apart from fixAll.ts, so what the editor takes from there (choosing and applying fixes) does not
// bring the whole linter into the extension host's bundle.

import { applyEdits, safeFixes } from './fixAll';
import { lintNote, type LintOptions } from './lintNote';
import type { LintDiagnostic, RuleId } from './types';

export interface FixResult {
  /** The note with its safe fixes applied (the same string when there were none). */
  text: string;
  /** How many findings were fixed, in all and per rule. */
  fixed: number;
  byRule: Partial<Record<RuleId, number>>;
  /** The findings of the fixed text. */
  diagnostics: LintDiagnostic[];
  /** Why it stopped with safe fixes left: the pass limit, or a pass that would have added errors (undone). */
  stopped?: 'passes' | 'new-errors';
}

/** Passes at most: a fix can uncover another (measured on the corpus: one pass fixes all). */
export const MAX_FIX_PASSES = 8;

/**
 * Lints, applies the safe fixes, and lints again until none is left (at most `maxPasses` times).
 * A pass after which the note has more errors than before is undone and ends the fixing: a safe
 * fix must never make the page worse.
 */
export function fixNote(text: string, fileName: string, options: LintOptions = {}, maxPasses = MAX_FIX_PASSES): FixResult {
  const errors = (ds: readonly LintDiagnostic[]) => ds.reduce((n, d) => n + (d.severity === 'error' ? 1 : 0), 0);
  let diagnostics = lintNote(text, fileName, options);
  let fixed = 0;
  const byRule: Partial<Record<RuleId, number>> = {};
  for (let pass = 0; pass < maxPasses; pass++) {
    const chosen = safeFixes(diagnostics);
    if (chosen.length === 0) return { text, fixed, byRule, diagnostics };
    const next = applyEdits(
      text,
      chosen.flatMap((c) => c.fix.edits),
    );
    const after = lintNote(next, fileName, options);
    if (errors(after) > errors(diagnostics)) return { text, fixed, byRule, diagnostics, stopped: 'new-errors' };
    for (const c of chosen) byRule[c.diagnostic.rule] = (byRule[c.diagnostic.rule] ?? 0) + 1;
    fixed += chosen.length;
    text = next;
    diagnostics = after;
  }
  return { text, fixed, byRule, diagnostics, ...(safeFixes(diagnostics).length ? { stopped: 'passes' as const } : {}) };
}
