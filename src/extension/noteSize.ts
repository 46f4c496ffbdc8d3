// How much of a note the preview shows and the linter checks as you type. The preview renders a
// long note around the reader (core/render/firstScreen.ts), so the page never holds all of a huge
// note; the worker still parses it whole per render, and lint checks every formula. The default,
// 10 million characters, is a hundred times the largest real note we know and protects against
// hostile files only: at that size dense math is the worst case measured (SECURITY.md: first screen
// ~7 s, lint ~20 s, ~1.6 GB of the worker's 2 GB heap).
import * as vscode from 'vscode';
import { previewSetting } from './preview/previewSettings';

export function maxNoteChars(resource: vscode.Uri): number {
  return previewSetting(resource, 'maxNoteSizeMB') * 1_000_000;
}

/** The note cut at a line end within the limit, and what to say about it; the text itself when it fits. */
export function withinLimit(text: string, resource: vscode.Uri): { text: string; warning?: string } {
  const limit = maxNoteChars(resource);
  if (text.length <= limit) return { text };
  const cut = text.lastIndexOf('\n', limit);
  const mb = (n: number) => (n / 1_000_000).toFixed(1);
  return {
    text: text.slice(0, cut > 0 ? cut : limit),
    warning: vscode.l10n.t(
      'This note is {0} MB: the preview shows its first {1} MB (mathNotes.preview.maxNoteSizeMB).',
      mb(text.length),
      mb(limit),
    ),
  };
}
