// Numbered equations in the Outline, breadcrumbs and Go to Symbol: `(3) eq:loss`, one per number,
// spanning its formula, the label selected.
import * as vscode from 'vscode';
import { equationSymbols } from '../../core/editor/equationSymbols';
import { rangeOf, type EquationDocuments } from './equationDocuments';

export class EquationSymbols implements vscode.DocumentSymbolProvider {
  constructor(private readonly documents: EquationDocuments) {}

  async provideDocumentSymbols(doc: vscode.TextDocument): Promise<vscode.DocumentSymbol[] | undefined> {
    const eq = await this.documents.of(doc);
    if (!eq) return undefined;
    return equationSymbols(eq).map(
      (s) =>
        new vscode.DocumentSymbol(
          s.name,
          s.container ? `${s.detail} · ${s.container}` : s.detail,
          vscode.SymbolKind.Number,
          rangeOf(doc, s.start, s.end),
          rangeOf(doc, s.selectionStart, s.selectionEnd),
        ),
    );
  }
}
