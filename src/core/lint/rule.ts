// What a lint rule is: one module per rule in rules/ (named by its id), listed once in
// rules/index.ts. The linter runs every rule of the registry; the settings schema, the docs and
// the CLI's rule list are checked against it (test/unit/lintRules.test.ts).

import type { Text } from '../l10n/message';
import type { CitationAnalysis } from './citationAnalysis';
import type { FormulaAnalysis } from './formulaAnalysis';
import type { PostAnalysis } from './postAnalysis';
import type { LintFix, Severity } from './types';

/** A quick fix as a rule makes it: its title in the reader's language comes later (see lintNote). */
export interface FixDraft {
  title: Text;
  edits: LintFix['edits'];
  safe?: boolean;
}

/** One finding, as a rule computes it before reporting (when another rule builds on it too). */
export interface RuleFinding {
  start: number;
  end: number;
  message: Text;
  fixes?: FixDraft[];
}

/** What a rule calls for each finding; the linter adds the rule's id, severity and suppressions. */
export type RuleReport = (start: number, end: number, message: Text, fixes?: FixDraft[]) => void;

export interface LintRule<Id extends string = string> {
  readonly id: Id;
  readonly defaultSeverity: Severity;
  /** What the rule finds, one English sentence in Markdown (the rule list of docs/rules/README.md). */
  readonly description: string;
  /**
   * Checks one formula. Offsets are into its TeX as written; the linter places them in the
   * document. The findings are kept by formula (TeX, macros, KaTeX's error), so an edit re-checks
   * only the formulas it changed: the check must depend on nothing else.
   */
  readonly checkFormula?: (formula: FormulaAnalysis, report: RuleReport) => void;
  /** Checks one post: its labels, references and delimiters. Offsets are the document's. */
  readonly checkPost?: (post: PostAnalysis, report: RuleReport) => void;
  /** Checks the note's 《citations》 against a series index; runs only when lint is given one. Offsets are the document's. */
  readonly checkCitations?: (note: CitationAnalysis, report: RuleReport) => void;
}

/** A rule, its id kept as a literal type (the registry's ids make `RuleId`). */
export function defineRule<const Id extends string>(rule: LintRule<Id>): LintRule<Id> {
  return rule;
}
