// Fixes applied unattended: `mathnotes lint --fix` and the editor's "Fix all … in this note" take,
// for each finding, the fix its rule marked safe (types.ts, `LintFix.safe`), never two edits that
// meet, and apply them all at once. Pure: text in, text out.

import type { LintDiagnostic, LintFix, RuleId, TextEdit } from './types';

/** What choosing needs of a finding (the editor keeps its own shape of them). */
export type Fixable = Pick<LintDiagnostic, 'rule' | 'fixes'>;

export interface ChosenFix<D extends Fixable = LintDiagnostic> {
  diagnostic: D;
  fix: LintFix;
}

/**
 * The safe fix of each finding (of `rule` only, if given), in their order (the document's); a fix is left out
 * when one of its edits meets an edit of a fix taken before it (overlaps it, or starts where it
 * starts: two insertions at one place have no order), so that all of them apply together.
 */
export function safeFixes<D extends Fixable>(diagnostics: readonly D[], rule?: RuleId): Array<ChosenFix<D>> {
  const chosen: Array<ChosenFix<D>> = [];
  const taken: TextEdit[] = []; // sorted by start, pairwise apart
  const meets = (e: TextEdit) => {
    // The first taken edit that ends after e starts (or starts where e does) is the only one that may meet it.
    let lo = 0;
    let hi = taken.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (taken[mid].end <= e.start && taken[mid].start < e.start) lo = mid + 1;
      else hi = mid;
    }
    const t = taken[lo];
    return t !== undefined && (t.start === e.start || (t.start < e.end && e.start < t.end));
  };
  for (const d of diagnostics) {
    if (rule !== undefined && d.rule !== rule) continue;
    const fix = d.fixes.find((f) => f.safe);
    if (!fix || fix.edits.length === 0) continue;
    const edits = [...fix.edits].sort((a, b) => a.start - b.start);
    if (edits.some((e, i) => meets(e) || (i > 0 && (edits[i - 1].start === e.start || edits[i - 1].end > e.start)))) continue;
    for (const e of edits) {
      let at = taken.length;
      while (at > 0 && taken[at - 1].start > e.start) at--;
      taken.splice(at, 0, e);
    }
    chosen.push({ diagnostic: d, fix });
  }
  return chosen;
}

/** `text` with edits that do not meet (as `safeFixes` gives them) applied; offsets are the original text's. */
export function applyEdits(text: string, edits: readonly TextEdit[]): string {
  const sorted = [...edits].sort((a, b) => a.start - b.start);
  const parts: string[] = [];
  let at = 0;
  for (const e of sorted) {
    parts.push(text.slice(at, e.start), e.text);
    at = e.end;
  }
  parts.push(text.slice(at));
  return parts.join('');
}
