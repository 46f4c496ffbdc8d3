// The VS Code adapter: wiring only. Everything it shows comes from src/core; rendering for the
// preview runs in a worker thread (src/node/renderWorker.ts).
import * as path from 'node:path';
import * as vscode from 'vscode';
import { localeOf } from '../core/l10n/message';
import { standaloneDocument } from '../core/render/standalone';
import { loadStandaloneAssets } from '../node/assets';
import { IndexService } from '../node/indexService';
import { RenderService } from '../node/renderService';
import { registerLintFeatures, type NoteLinter } from './lint/lintFeatures';
import { MacroSettings } from './macros';
import { isNote, PreviewManager } from './preview/previewManager';
import { basename } from './preview/previewPanel';
import { registerSeriesFeatures } from './series/seriesFeatures';
import { registerSnippetEditor } from './snippets/snippetEditor';
import { SnippetRuns } from './snippets/snippetRuns';
import { WorkspaceIndex } from './series/workspaceIndex';
import { registerWalkthrough } from './walkthrough';

/** What the extension exports: used by the integration tests to see what previews show. */
export interface MathNotesApi {
  previews: PreviewManager;
  series: WorkspaceIndex;
  snippets: SnippetRuns;
  lint: NoteLinter;
  /** How long loading the bundle and activate() took (ms), for the smoke test and the bench. */
  activation: { loadMs: number; activateMs: number };
}

/** Set by the bundle's first line (esbuild banner, scripts/build.mjs). */
declare const __mathNotesLoadStart: number | undefined;

export function activate(context: vscode.ExtensionContext): MathNotesApi {
  const activateStart = performance.now();
  const renderer = new RenderService(path.join(context.extensionPath, 'dist', 'renderWorker.js'), undefined, localeOf(vscode.env.language));
  const macros = new MacroSettings();
  // Large open notes are summarised in the render worker as they are typed (one request per note at a time).
  const series = new WorkspaceIndex(new IndexService(path.join(context.extensionPath, 'dist', 'indexWorker.js')), async (key, file, text) => {
    const r = await renderer.summarize(`summary:${key}`, key, text, file);
    return 'ok' in r && r.ok ? r.posts : undefined;
  });
  const snippets = new SnippetRuns(context.extensionPath);
  const previews = new PreviewManager(context.extensionUri, renderer, macros, series, snippets);
  context.subscriptions.push({ dispose: () => renderer.dispose() }, macros, series, snippets, previews, registerSnippetEditor(snippets));
  void series.rebuild();
  registerSeriesFeatures(context, series);
  const lint = registerLintFeatures(context, renderer, macros, series);
  registerWalkthrough(context);

  const noteFor = (uri: unknown): vscode.Uri | undefined => {
    if (uri instanceof vscode.Uri) return uri;
    const editor = vscode.window.activeTextEditor;
    if (editor && isNote(editor.document)) return editor.document.uri;
    return previews.current()?.resource;
  };
  const openPreview = (beside: boolean) => (uri?: unknown) => {
    const note = noteFor(uri);
    if (!note) {
      void vscode.window.showWarningMessage(vscode.l10n.t('Open a Markdown or plain-text note to preview it.'));
      return;
    }
    previews.show(note, beside);
  };

  context.subscriptions.push(
    vscode.commands.registerCommand('mathNotes.showPreview', openPreview(false)),
    vscode.commands.registerCommand('mathNotes.showPreviewToSide', openPreview(true)),
    vscode.commands.registerCommand('mathNotes.showLockedPreviewToSide', (uri?: unknown) => {
      const note = noteFor(uri);
      if (note) previews.show(note, true, true);
    }),
    vscode.commands.registerCommand('mathNotes.togglePreviewLock', () => {
      const p = previews.current();
      if (p) p.setLocked(!p.locked);
    }),
    vscode.commands.registerCommand('mathNotes.refreshPreview', () => previews.current()?.refresh()),
    vscode.commands.registerCommand('mathNotes.showSource', async () => {
      const p = previews.current();
      if (p) await vscode.window.showTextDocument(p.resource, { viewColumn: vscode.ViewColumn.One });
    }),
    vscode.commands.registerCommand('mathNotes.exportHtml', (uri?: unknown) => exportHtml(context, renderer, macros, noteFor(uri))),
    vscode.commands.registerCommand('mathNotes.series.reindex', () => series.rebuild()),
  );
  const loadMs = typeof __mathNotesLoadStart === 'number' ? activateStart - __mathNotesLoadStart : 0;
  return { previews, series, snippets, lint, activation: { loadMs: Math.round(loadMs), activateMs: Math.round(performance.now() - activateStart) } };
}

async function exportHtml(context: vscode.ExtensionContext, renderer: RenderService, macroSettings: MacroSettings, note: vscode.Uri | undefined): Promise<void> {
  if (!note) {
    void vscode.window.showWarningMessage(vscode.l10n.t('Open a note to export it.'));
    return;
  }
  const doc = await vscode.workspace.openTextDocument(note);
  const target = await vscode.window.showSaveDialog({
    defaultUri: doc.uri.with({ path: doc.uri.path.replace(/\.[^./]+$/, '') + '.html' }),
    filters: { HTML: ['html'] },
  });
  if (!target) return;
  // Rendered in the worker: a long note does not hold up the editor.
  const rendered = await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: vscode.l10n.t('Math Notes: exporting {0}', basename(doc.uri)) },
    async () => renderer.renderHtml(doc.getText(), doc.uri.path, await macroSettings.get(doc.uri)),
  );
  if (!rendered.ok) {
    void vscode.window.showErrorMessage(vscode.l10n.t('Export failed: {0}', rendered.message));
    return;
  }
  const html = standaloneDocument(rendered.html, rendered.title ?? basename(doc.uri), loadStandaloneAssets(context.extensionPath));
  await vscode.workspace.fs.writeFile(target, new TextEncoder().encode(html));
  void vscode.window.showInformationMessage(vscode.l10n.t('Exported to {0}', target.fsPath));
}

export function deactivate(): void {}
