// The equation analysis of an open note, once per document version (core/editor), for every
// equation feature of the editor; and the conversions between the core's offsets and VS Code's ranges.
import * as vscode from 'vscode';
import { localeOf, type Locale } from '../../core/l10n/message';
import { NoteEquationsCache } from '../../core/editor/equationsCache';
import type { FormulaDrawer } from '../../core/editor/equationHover';
import type { NoteEquations } from '../../core/editor/noteEquations';
import type { MacroSettings } from '../macros';
import { maxNoteChars } from '../noteSize';

export class EquationDocuments implements vscode.Disposable {
  private readonly cache = new NoteEquationsCache();
  private readonly closing: vscode.Disposable;
  /** Draws a formula for hovers and completion details (MathJax SVG, when the host has it); TeX otherwise. */
  drawFormula: FormulaDrawer | undefined;

  constructor(private readonly macros: MacroSettings) {
    this.closing = vscode.workspace.onDidCloseTextDocument((d) => this.cache.forget(d.uri.toString()));
  }

  get locale(): Locale {
    return localeOf(vscode.env.language);
  }

  /** The note's equations as of its current version; none for a note too large to check as you type. */
  async of(doc: vscode.TextDocument): Promise<NoteEquations | undefined> {
    const version = doc.version;
    const macros = await this.macros.get(doc.uri);
    if (doc.isClosed || doc.version !== version) return undefined;
    if (doc.getText().length > maxNoteChars(doc.uri)) return undefined;
    return this.cache.get(doc.uri.toString(), version, () => doc.getText(), doc.uri.path, macros);
  }

  dispose(): void {
    this.closing.dispose();
  }
}

export function rangeOf(doc: vscode.TextDocument, start: number, end: number): vscode.Range {
  return new vscode.Range(doc.positionAt(start), doc.positionAt(end));
}
