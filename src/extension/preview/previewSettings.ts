// The preview's settings (mathNotes.preview.*) as the webview needs them.
import * as vscode from 'vscode';
import type { PreviewSettings } from '../../core/preview/protocol';

export function previewSettings(resource: vscode.Uri): PreviewSettings {
  const c = vscode.workspace.getConfiguration('mathNotes.preview', resource);
  return {
    fontSize: clamp(c.get<number>('fontSize', 16), 8, 48),
    lineHeight: clamp(c.get<number>('lineHeight', 1.8), 1, 3),
    maxWidth: cssLength(c.get<string>('maxWidth', '52rem')),
    scrollPreviewWithEditor: c.get<boolean>('scrollPreviewWithEditor', true),
    scrollEditorWithPreview: c.get<boolean>('scrollEditorWithPreview', true),
    doubleClickToSwitchToEditor: c.get<boolean>('doubleClickToSwitchToEditor', true),
    seriesBar: c.get<boolean>('seriesBar', true),
    backlinks: c.get<boolean>('backlinks', true),
    labels: {
      copyTex: vscode.l10n.t('Copy TeX'),
      copied: vscode.l10n.t('Copied'),
      back: vscode.l10n.t('Back'),
      partNumber: vscode.l10n.t('Part {0}'),
      previous: vscode.l10n.t('Previous'),
      next: vscode.l10n.t('Next'),
      citedBy: vscode.l10n.t('Cited by'),
      gap: vscode.l10n.t('Part {0} is not in this workspace'),
      inexact: vscode.l10n.t('Cited under another title; the post is “{0}”'),
      'reason.not-found': vscode.l10n.t('No post with this title in the workspace'),
      'reason.ambiguous': vscode.l10n.t('Several posts fit this citation: not linked'),
      'reason.no-series': vscode.l10n.t('This post is not part of a series'),
      'reason.missing-part': vscode.l10n.t('This part of the series is not in the workspace'),
      'reason.self': vscode.l10n.t('This post itself'),
      run: vscode.l10n.t('Run'),
      running: vscode.l10n.t('Running…'),
      queued: vscode.l10n.t('Waiting for a free run slot (mathNotes.snippets.maxConcurrentRuns)…'),
      expectedPass: vscode.l10n.t('matches the expected output'),
      expectedFail: vscode.l10n.t('differs from the expected output'),
    },
  };
}

export function debounceMs(resource: vscode.Uri): number {
  return clamp(vscode.workspace.getConfiguration('mathNotes.preview', resource).get<number>('debounceMs', 0), 0, 5000);
}

function clamp(n: number, lo: number, hi: number): number {
  return Number.isFinite(n) ? Math.min(hi, Math.max(lo, n)) : lo;
}

/** A CSS length the page can use as is; anything else falls back to the default. */
function cssLength(s: string): string {
  return /^(?:\d{1,4}(?:\.\d+)?(?:px|rem|em|ch|%|vw)|none)$/.test(s.trim()) ? s.trim() : '52rem';
}
