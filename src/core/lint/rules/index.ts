// The lint rules, each in its own module named by its id. Adding a rule: its module here, a page
// in docs/rules/ (with an example that trips it), its key in package.json's mathNotes.lint.rules
// and its line in the settings' description — test/unit/lintRules.test.ts checks all of them
// against this list.

import type { LintRule } from '../rule';
import { CITATION_RULES } from '../citationRules';
import type { Severity } from '../types';
import { cjkInMath } from './cjk-in-math';
import { conversionArtefact } from './conversion-artefact';
import { duplicateLabel } from './duplicate-label';
import { katexParse } from './katex-parse';
import { labelUnnumbered } from './label-unnumbered';
import { mathjaxOnly } from './mathjax-only';
import { unbalanced } from './unbalanced';
import { unclosedMath } from './unclosed-math';
import { undefinedRef } from './undefined-ref';
import { unknownCommand } from './unknown-command';
import { unusedLabel } from './unused-label';

/** Every rule, in the order the docs list them. */
export const LINT_RULES = [
  katexParse,
  unknownCommand,
  mathjaxOnly,
  unbalanced,
  unclosedMath,
  duplicateLabel,
  undefinedRef,
  unusedLabel,
  labelUnnumbered,
  cjkInMath,
  conversionArtefact,
  ...CITATION_RULES,
] as const;

export type RuleId = (typeof LINT_RULES)[number]['id'];

export const RULE_IDS: readonly RuleId[] = LINT_RULES.map((r) => r.id);

export interface RuleInfo {
  severity: Severity;
  description: string;
}

/** Every rule's default severity and description, by id. Errors are what the preview cannot show as written. */
export const RULES: Readonly<Record<RuleId, RuleInfo>> = Object.fromEntries(
  LINT_RULES.map((r) => [r.id, { severity: r.defaultSeverity, description: r.description }]),
) as Record<RuleId, RuleInfo>;

/** The rules that check formulas one by one, and those that check a post. */
export const FORMULA_RULES: readonly LintRule<RuleId>[] = LINT_RULES.filter((r) => 'checkFormula' in r);
export const POST_RULES: readonly LintRule<RuleId>[] = LINT_RULES.filter((r) => 'checkPost' in r);
