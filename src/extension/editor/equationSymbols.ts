// Numbered equations in the Outline, breadcrumbs and Go to Symbol: `(3) eq:loss`, one per number,
// spanning its formula, the label selected.
import * as vscode from 'vscode';
import { equationSymbols } from '../../core/editor/equationSymbols';
import type { NoteEquations } from '../../core/editor/noteEquations';
import type { EquationDocuments } from './equationDocuments';

export class EquationSymbols implements vscode.DocumentSymbolProvider {
  /**
   * Per analysis (one a document version): VS Code asks several times per version (the Outline,
   * breadcrumbs, sticky scroll), and a long note's 5 000 symbols take ~30 ms to make.
   */
  private readonly made = new WeakMap<NoteEquations, vscode.DocumentSymbol[]>();

  constructor(private readonly documents: EquationDocuments) {}

  async provideDocumentSymbols(doc: vscode.TextDocument): Promise<vscode.DocumentSymbol[] | undefined> {
    const eq = await this.documents.of(doc);
    if (!eq) return undefined;
    let symbols = this.made.get(eq);
    if (!symbols) {
      // Placed by the analysis' own lines (the worker's): VS Code's positionAt was ~20 ms of the
      // host's thread for 10 000 places on a 10 M-character note.
      const range = (start: number, end: number) => {
        const [a, b] = [eq.doc.positionAt(start), eq.doc.positionAt(end)];
        return new vscode.Range(a.line, a.character, b.line, b.character);
      };
      symbols = equationSymbols(eq).map(
        (s) =>
          new vscode.DocumentSymbol(
            s.name,
            s.container ? `${s.detail} · ${s.container}` : s.detail,
            vscode.SymbolKind.Number,
            range(s.start, s.end),
            range(s.selectionStart, s.selectionEnd),
          ),
      );
      this.made.set(eq, symbols);
    }
    return symbols;
  }
}
