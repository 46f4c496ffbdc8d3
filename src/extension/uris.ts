// Names of documents as the UI shows them.
import type * as vscode from 'vscode';

/** The last segment of the URI's path: a note's file name. */
export function basename(uri: vscode.Uri): string {
  return uri.path.slice(uri.path.lastIndexOf('/') + 1);
}
