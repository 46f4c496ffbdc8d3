// Go to Definition / Peek from `\eqref{x}` to its `\label{x}`, Find All References of a label, and
// the highlights of a label with its references: within the post under the cursor.
import * as vscode from 'vscode';
import { labelDefinition, labelHighlights, labelOccurrences } from '../../core/editor/labelNavigation';
import { rangeOf, type EquationDocuments } from './equationDocuments';

export class LabelDefinitions implements vscode.DefinitionProvider {
  constructor(private readonly documents: EquationDocuments) {}

  async provideDefinition(doc: vscode.TextDocument, position: vscode.Position): Promise<vscode.LocationLink[] | undefined> {
    const eq = await this.documents.of(doc);
    const found = eq && labelDefinition(eq, doc.offsetAt(position));
    if (!found) return undefined;
    const formula = found.target.formula;
    return [
      {
        originSelectionRange: rangeOf(doc, found.origin.start, found.origin.end),
        targetUri: doc.uri,
        targetRange: rangeOf(doc, formula.start, formula.end),
        targetSelectionRange: rangeOf(doc, found.target.start, found.target.end),
      },
    ];
  }
}

export class LabelReferences implements vscode.ReferenceProvider {
  constructor(private readonly documents: EquationDocuments) {}

  async provideReferences(
    doc: vscode.TextDocument,
    position: vscode.Position,
    context: vscode.ReferenceContext,
  ): Promise<vscode.Location[] | undefined> {
    const eq = await this.documents.of(doc);
    const found = eq && labelOccurrences(eq, doc.offsetAt(position), context.includeDeclaration);
    return found?.map((o) => new vscode.Location(doc.uri, rangeOf(doc, o.span.start, o.span.end)));
  }
}

export class LabelHighlights implements vscode.DocumentHighlightProvider {
  constructor(private readonly documents: EquationDocuments) {}

  async provideDocumentHighlights(doc: vscode.TextDocument, position: vscode.Position): Promise<vscode.DocumentHighlight[] | undefined> {
    const eq = await this.documents.of(doc);
    if (!eq) return undefined;
    return labelHighlights(eq, doc.offsetAt(position)).map(
      (h) =>
        new vscode.DocumentHighlight(
          rangeOf(doc, h.start, h.end),
          h.write ? vscode.DocumentHighlightKind.Write : vscode.DocumentHighlightKind.Read,
        ),
    );
  }
}
