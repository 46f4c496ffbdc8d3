// A document's text, read once per version. Each feature that reads a note after an edit (the
// preview, lint, the equation features, the series index, citations, snippets) would otherwise copy
// it again: VS Code's getText joins the document's lines, ~27 ms for a 5 MB note on the test VM, on
// the extension host's thread.
import type * as vscode from 'vscode';

const latest = new WeakMap<vscode.TextDocument, { version: number; text: string }>();

export function documentText(doc: vscode.TextDocument): string {
  const hit = latest.get(doc);
  if (hit && hit.version === doc.version) return hit.text;
  const text = doc.getText();
  latest.set(doc, { version: doc.version, text });
  return text;
}
