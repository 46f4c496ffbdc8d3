// How much of a note the preview renders and the linter checks as you type: a 10 MB note would keep
// the worker busy for a minute and its page heavier still. The largest real note we know is under
// 100 KB; the default, 0.5 MB, is five times that.
import * as vscode from 'vscode';

export function maxNoteChars(resource: vscode.Uri): number {
  const mb = vscode.workspace.getConfiguration('mathNotes.preview', resource).get<number>('maxNoteSizeMB', 0.5);
  return Math.max(0.1, Number.isFinite(mb) ? mb : 0.5) * 1_000_000;
}

/** The note cut at a line end within the limit, and what to say about it; the text itself when it fits. */
export function withinLimit(text: string, resource: vscode.Uri): { text: string; warning?: string } {
  const limit = maxNoteChars(resource);
  if (text.length <= limit) return { text };
  const cut = text.lastIndexOf('\n', limit);
  const mb = (n: number) => (n / 1_000_000).toFixed(1);
  return {
    text: text.slice(0, cut > 0 ? cut : limit),
    warning: vscode.l10n.t('This note is {0} MB: the preview shows its first {1} MB (mathNotes.preview.maxNoteSizeMB).', mb(text.length), mb(limit)),
  };
}
