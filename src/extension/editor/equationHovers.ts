// Hover on a formula, a `\label` or an `\eqref`/`\ref`: the core's Markdown (the formula drawn when
// a drawer is wired in, its TeX otherwise), its number(s), where a reference leads.
import * as vscode from 'vscode';
import { equationHover } from '../../core/editor/equationHover';
import { rangeOf, type EquationDocuments } from './equationDocuments';

export class EquationHovers implements vscode.HoverProvider {
  constructor(private readonly documents: EquationDocuments) {}

  async provideHover(doc: vscode.TextDocument, position: vscode.Position): Promise<vscode.Hover | undefined> {
    const eq = await this.documents.of(doc);
    if (!eq) return undefined;
    const offset = doc.offsetAt(position);
    const hover = await this.documents.withDrawings(doc.uri.toString(), (drawFormula) =>
      equationHover(eq, offset, { locale: this.documents.locale, drawFormula }),
    );
    if (!hover) return undefined;
    return new vscode.Hover(new vscode.MarkdownString(hover.markdown), rangeOf(doc, hover.start, hover.end));
  }
}
