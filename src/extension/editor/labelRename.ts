// F2 on a label or a reference: the label and every reference of the post renamed in one undoable
// edit; refused, with the core's reason, for a name already used in the post, no label name at all, or a
// reference to the label the parse could not place.
import * as vscode from 'vscode';
import { format } from '../../core/l10n/message';
import { prepareLabelRename, renameLabel } from '../../core/editor/renameLabel';
import { rangeOf, type EquationDocuments } from './equationDocuments';

export class LabelRename implements vscode.RenameProvider {
  constructor(private readonly documents: EquationDocuments) {}

  async prepareRename(doc: vscode.TextDocument, position: vscode.Position): Promise<{ range: vscode.Range; placeholder: string }> {
    const eq = await this.documents.of(doc);
    if (!eq) throw new Error(vscode.l10n.t('This note changed or is too large; try again.'));
    const check = prepareLabelRename(eq, doc.offsetAt(position));
    if (!check.ok) throw new Error(format(check.reason, this.documents.locale));
    return { range: rangeOf(doc, check.span.start, check.span.end), placeholder: check.name };
  }

  async provideRenameEdits(doc: vscode.TextDocument, position: vscode.Position, newName: string): Promise<vscode.WorkspaceEdit> {
    const eq = await this.documents.of(doc);
    if (!eq) throw new Error(vscode.l10n.t('This note changed or is too large; try again.'));
    const result = renameLabel(eq, doc.offsetAt(position), newName);
    if (!result.ok) throw new Error(format(result.reason, this.documents.locale));
    const edit = new vscode.WorkspaceEdit();
    for (const e of result.edits) edit.replace(doc.uri, rangeOf(doc, e.start, e.end), e.text);
    return edit;
  }
}
