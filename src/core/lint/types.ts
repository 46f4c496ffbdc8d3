// What the linter reports: a rule, a severity, a message and an exact range of the document
// (UTF-16 offsets, as VS Code and the CLI count), with fixes as plain text edits.

export type Severity = 'error' | 'warning' | 'information' | 'hint';

export type RuleId =
  | 'katex-parse'
  | 'unclosed-math'
  | 'unbalanced'
  | 'duplicate-label'
  | 'undefined-ref'
  | 'unused-label'
  | 'label-unnumbered'
  | 'mathjax-only'
  | 'cjk-in-math'
  | 'conversion-artefact'
  | 'unknown-command';

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

export interface RuleInfo {
  severity: Severity;
  description: string;
}

/** Every rule with its default severity. Errors are what the preview cannot show as written. */
export const RULES: Readonly<Record<RuleId, RuleInfo>> = {
  'katex-parse': { severity: 'error', description: 'KaTeX cannot parse the formula.' },
  'unclosed-math': { severity: 'error', description: 'A math delimiter or environment without its partner.' },
  unbalanced: { severity: 'error', description: 'Unbalanced braces or \\left/\\right.' },
  'duplicate-label': { severity: 'error', description: 'A \\label defined twice in one post.' },
  'undefined-ref': { severity: 'warning', description: 'An \\eqref or \\ref with no \\label in the post.' },
  'unused-label': { severity: 'hint', description: 'A \\label that nothing in the post refers to.' },
  'label-unnumbered': { severity: 'warning', description: 'A \\label in a display that gets no number.' },
  'mathjax-only': { severity: 'warning', description: 'A MathJax command that KaTeX cannot render.' },
  'cjk-in-math': { severity: 'warning', description: 'Full-width punctuation or CJK text in math outside \\text{}.' },
  'conversion-artefact': { severity: 'warning', description: 'A leftover of HTML-to-Markdown conversion (\\left\\\\{, \\\\\\ …).' },
  'unknown-command': { severity: 'error', description: 'A control sequence that neither KaTeX nor the note defines.' },
};

export const RULE_IDS = Object.keys(RULES) as RuleId[];
