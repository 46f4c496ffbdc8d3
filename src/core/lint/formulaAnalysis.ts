// One formula as the rules read it, each reading made once however many rules need it: the TeX
// as the preview typesets it (Markdown's escapes undone for the note's dialect, `%` in \text
// literal, conversion artefacts repaired), its tokens, and per-rule results another rule builds on
// (katex-parse stays quiet where unbalanced or unclosed-math found the cause).

import { markdownUnescapeEdits } from '../markdown/mathDialect';
import { conversionArtefactRepairs, type ArtefactRepair } from '../math/conversionArtefacts';
import { EditedString, type MappedText } from '../math/editedString';
import { isKatexCommand } from '../math/katexRenderer';
import { textPercentEdits } from '../math/mathjaxCompat';
import type { FormulaError } from '../math/postMath';
import { scanTex, type TexToken } from '../math/texScanner';

export interface FormulaInput {
  source: string;
  /** KaTeX's error for the formula, if it had one. */
  error?: FormulaError;
  macros: Readonly<Record<string, string>>;
  /** Read with Markdown's escapes undone (the note's dialect, see markdown/mathDialect.ts): no conversion artefacts then. */
  unescaped?: boolean;
}

export class FormulaAnalysis {
  private readonly memos = new Map<string, unknown>();
  private typesetText: MappedText | undefined;
  private repairList: ArtefactRepair[] | undefined;
  private repairedText: MappedText | undefined;
  private repairedScan: TexToken[] | undefined;
  private sourceScan: TexToken[] | undefined;

  constructor(readonly input: FormulaInput) {}

  get source(): string {
    return this.input.source;
  }

  /** The TeX before artefact repair: escapes undone for the dialect, `%` in \text literal (as the pipeline makes it). */
  get typeset(): MappedText {
    if (!this.typesetText) {
      const base = new EditedString(this.source, this.input.unescaped ? markdownUnescapeEdits(this.source) : []);
      this.typesetText = base.edit(textPercentEdits(base.text));
    }
    return this.typesetText;
  }

  /** The conversion artefacts the preview repairs, in `typeset`'s offsets (none in a dialect note). */
  get artefacts(): ArtefactRepair[] {
    const macros = this.input.macros;
    return (this.repairList ??= this.input.unescaped
      ? []
      : conversionArtefactRepairs(this.typeset.text, (name) => name in macros || isKatexCommand(name)));
  }

  /** The TeX structure is checked on: `\left\\{` is one artefact, not an unclosed brace. */
  get repaired(): MappedText {
    return (this.repairedText ??= this.typeset.edit(this.artefacts));
  }

  get repairedTokens(): TexToken[] {
    return (this.repairedScan ??= scanTex(this.repaired.text));
  }

  get sourceTokens(): TexToken[] {
    return (this.sourceScan ??= scanTex(this.source));
  }

  /** A result computed once per formula under `key` (what one rule finds and another builds on). */
  memo<T>(key: string, compute: () => T): T {
    if (!this.memos.has(key)) this.memos.set(key, compute());
    return this.memos.get(key) as T;
  }
}
