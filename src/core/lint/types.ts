// What the linter reports: a rule, a severity, a message and an exact range of the document
// (UTF-16 offsets, as VS Code and the CLI count), with fixes as plain text edits.

export type { Severity } from './severity';
import type { Severity } from './severity';

export { RULES, RULE_IDS, type RuleId, type RuleInfo } from './rules';
import type { RuleId } from './rules';

/** Replaces [start, end) of the document with `text`. */
export interface TextEdit {
  start: number;
  end: number;
  text: string;
}

/** One quick fix: all its edits are applied together, as one undoable edit. */
export interface LintFix {
  title: string;
  edits: TextEdit[];
  /**
   * Safe to apply unattended (`mathnotes lint --fix`, the editor's "Fix all"): the note then says
   * what the preview already shows. Set by the rule, per fix: a guess (a command's nearest name, a
   * brace closed at the formula's end, full-width punctuation made ASCII) is never safe.
   */
  safe?: boolean;
}

export interface LintDiagnostic {
  rule: RuleId;
  severity: Severity;
  message: string;
  start: number;
  end: number;
  fixes: LintFix[];
}
