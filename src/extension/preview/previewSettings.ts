// The preview's settings (mathNotes.preview.*) as the webview needs them.
import * as vscode from 'vscode';
import type { PreviewLabel, PreviewSettings } from '../../core/preview/protocol';
import { PREVIEW_SETTINGS, settingValue, type PreviewSettingKey, type PreviewSettingValue } from '../../core/preview/previewSettingsSpec';

/** A preview setting for the note, within its declared range (core/preview/previewSettingsSpec.ts). */
export function previewSetting<K extends PreviewSettingKey>(resource: vscode.Uri | undefined, key: K): PreviewSettingValue<K> {
  return settingValue(key, vscode.workspace.getConfiguration('mathNotes.preview', resource).get(key));
}

export function previewSettings(resource: vscode.Uri): PreviewSettings {
  const get = <K extends PreviewSettingKey>(key: K) => previewSetting(resource, key);
  return {
    fontSize: get('fontSize'),
    lineHeight: get('lineHeight'),
    maxWidth: cssLength(get('maxWidth')),
    scrollPreviewWithEditor: get('scrollPreviewWithEditor'),
    scrollEditorWithPreview: get('scrollEditorWithPreview'),
    doubleClickToSwitchToEditor: get('doubleClickToSwitchToEditor'),
    seriesBar: get('seriesBar'),
    backlinks: get('backlinks'),
  };
}

/** The words the page shows, in VS Code's display language (sent once per page load). */
export function previewLabels(): Record<PreviewLabel, string> {
  return {
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
  };
}

export function debounceMs(resource: vscode.Uri): number {
  return previewSetting(resource, 'debounceMs');
}

/** A CSS length the page can use as is; anything else falls back to the default. */
function cssLength(s: string): string {
  return /^(?:\d{1,4}(?:\.\d+)?(?:px|rem|em|ch|%|vw)|none)$/.test(s.trim()) ? s.trim() : PREVIEW_SETTINGS.maxWidth.default;
}
