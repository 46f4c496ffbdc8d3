// A note the editor could not decode (a GBK file opened as UTF-8 shows � for every Chinese
// character): the preview and the linter say so and how to fix it, rather than presenting the
// mojibake as the note. Checked only when the text holds U+FFFD or NUL, from the file's bytes.
import * as vscode from 'vscode';
import { mayBeMisread, misreadEncoding } from '../core/note/decodeNote';

/** The last text looked at: the preview and lint ask per version (a scan of a 10 M-character note: ~25 ms). */
let last: { text: string; misread: boolean } | undefined;

export async function encodingWarning(text: string, resource: vscode.Uri): Promise<string | undefined> {
  if (last?.text !== text) last = { text, misread: mayBeMisread(text) };
  if (!last.misread) return undefined;
  if (resource.scheme === 'untitled') return undefined;
  let bytes: Uint8Array;
  try {
    bytes = await vscode.workspace.fs.readFile(resource);
  } catch {
    return undefined; // gone meanwhile: the preview says so elsewhere
  }
  switch (misreadEncoding(text, bytes)) {
    case 'gb18030':
      return vscode.l10n.t(
        'This file is not UTF-8: it reads as GB18030/GBK. The editor shows � where it could not read it. Reopen it with that encoding: Change File Encoding → Reopen with Encoding → Simplified Chinese (GB18030).',
      );
    case 'binary':
      return vscode.l10n.t(
        'This file holds NUL bytes: it is UTF-16 without a byte-order mark, or not text. Reopen it with the right encoding (Change File Encoding → Reopen with Encoding).',
      );
    default:
      return undefined;
  }
}
