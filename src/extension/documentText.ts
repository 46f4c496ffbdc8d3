// A document's text, read once per version and then kept current from the change events. Each
// feature that reads a note after an edit (the preview, lint, the equation features, the series
// index, citations, snippets) would otherwise copy it again: VS Code's getText joins the
// document's lines, ~61 ms for a 10-million-character note on the test VM, on the extension host's
// thread. Applying an edit's changes costs a copy of the note instead (~20 ms at that size), and
// only when a feature reads it.
import * as vscode from 'vscode';
import { FollowedText } from '../core/text/textChanges';

const followed = new WeakMap<vscode.TextDocument, FollowedText>();
/** How many times a text was copied out of a document (getText): the tests' check that edits are followed. */
let copies = 0;
export const documentTextCopies = (): number => copies;

/** Follows every document's edits; registered at activation, before any feature reads a text. */
export function followDocumentChanges(): vscode.Disposable {
  return vscode.workspace.onDidChangeTextDocument((e) => {
    const text = followed.get(e.document);
    if (!text || text.version === e.document.version) return; // never read, or read after this change
    // A version without content changes changed the line breaks (Change End of Line Sequence).
    if (!e.contentChanges.length) followed.delete(e.document);
    else text.change(e.document.version, e.contentChanges);
  });
}

export function documentText(doc: vscode.TextDocument): string {
  const kept = followed.get(doc)?.read(doc.version, lengthOf(doc));
  if (kept !== undefined) return kept;
  const text = doc.getText();
  copies++;
  followed.set(doc, new FollowedText(text, doc.version));
  return text;
}

/** The document's length as VS Code counts it: the check that the changes applied gave its text. */
function lengthOf(doc: vscode.TextDocument): number {
  return doc.offsetAt(doc.lineAt(doc.lineCount - 1).range.end);
}
