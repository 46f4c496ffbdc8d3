// The VS Code adapter: wiring only. Everything it shows comes from src/core. What differs between
// the desktop (Node) and the web extension host comes in as a Platform from the entry point:
// desktop.ts (worker threads, child processes) or web.ts (in-process rendering, no snippets).
import * as vscode from 'vscode';
import type { RenderService } from '../core/preview/renderService';
import type { PostSummary } from '../core/series/noteSummary';
import { standaloneDocument } from '../core/render/standalone';
import { exportAssets } from './exportAssets';
import type { IndexService } from '../node/indexService';
import { registerEquationFeatures } from './editor/equationFeatures';
import type { EquationDocuments } from './editor/equationDocuments';
import { registerLintFeatures, type NoteLinter } from './lint/lintFeatures';
import { MacroSettings } from './macros';
import { isNote, PreviewManager, warmPreviewWorker } from './preview/previewManager';
import { PreviewObserver } from './preview/previewObserver';
import { basename } from './uris';
import { documentText, documentTextCopies, followDocumentChanges } from './documentText';
import { registerSeriesFeatures } from './series/seriesFeatures';
import { registerSnippetEditor } from './snippets/snippetEditor';
import type { SnippetHost } from '../node/snippets/snippetHost';
import { SnippetRuns } from './snippets/snippetRuns';
import { WorkspaceIndex } from './series/workspaceIndex';
import { registerWalkthrough } from './walkthrough';
import { trackWalkthroughProgress } from './walkthroughProgress';

/** What the extension exports: used by the integration tests to see what previews show. */
export interface MathNotesApi {
  previews: PreviewManager;
  /** What each preview showed; only while the extension runs its tests (ExtensionMode.Test). */
  observer: PreviewObserver | undefined;
  series: WorkspaceIndex;
  snippets: SnippetRuns;
  lint: NoteLinter;
  /** The editor's equation features: hovers draw formulas through its `drawFormula` when set. */
  equations: EquationDocuments;
  /** Whether activation opened the walkthrough (first activation of an installed copy). */
  walkthrough: { greeted: boolean };
  /** The text every feature reads (documentText.ts), and how many times it was copied out of a document. */
  texts: { read(doc: vscode.TextDocument): string; copies(): number };
  /** How long loading the bundle and activate() took (ms), for the smoke test and the bench. */
  activation: { loadMs: number; activateMs: number };
}

/** What the host provides. */
export interface Platform {
  /** Renders, lints and summarises notes off the caller's path (a worker thread on the desktop). */
  renderer: RenderService;
  /**
   * Lints, summarises, analyses equations and draws formulas, when the host can spare a second
   * worker (the desktop): a note just opened is linted and analysed at once (a 1 MB note: seconds),
   * and its preview, opened a moment later, must not wait for that.
   */
  background?: RenderService;
  /** Reads and summarises notes on disk in worker threads; without it, the index reads through workspace.fs. */
  indexer?: IndexService;
  /** Runs snippets; none on the web. */
  snippets?: SnippetHost;
}

/** Set by the bundle's first line (esbuild banner, scripts/build.mjs). */
declare const __mathNotesLoadStart: number | undefined;

export function activateWith(context: vscode.ExtensionContext, platform: Platform, activateStart: number): MathNotesApi {
  // First: the features below read texts in their own change listeners.
  context.subscriptions.push(followDocumentChanges());
  const { renderer } = platform;
  const background = platform.background ?? renderer;
  // The page the reader watches renders first; lint and the editor's analysis of the note follow.
  if (background !== renderer) background.yieldTo(renderer);
  const macros = new MacroSettings();
  // Large open notes are summarised in the render worker as they are typed (one request per note
  // at a time). The same text asked for twice (the editor's features and a file event) shares one
  // request; one replaced while waiting by the same text is asked for again: an answer of nothing
  // would have the index summarise a large note on the host's thread (a 1 MB note: a second).
  const summaries = new Map<string, { text: string; posts: Promise<PostSummary[] | undefined> }>();
  const series = new WorkspaceIndex(platform.indexer, (key, file, text) => {
    const same = summaries.get(key);
    if (same?.text === text) return same.posts;
    const entry: { text: string; posts: Promise<PostSummary[] | undefined> } = { text, posts: Promise.resolve(undefined) };
    entry.posts = (async () => {
      try {
        for (;;) {
          const r = await background.summarize(`summary:${key}`, key, text, file);
          if (!('superseded' in r)) return r.ok ? r.posts : undefined;
          if (summaries.get(key) !== entry) return undefined; // newer text took its place
        }
      } finally {
        if (summaries.get(key) === entry) summaries.delete(key);
      }
    })();
    summaries.set(key, entry);
    return entry.posts;
  });
  const snippets = new SnippetRuns(platform.snippets, background);
  // What previews show is observed only for the extension's own tests.
  const observer = context.extensionMode === vscode.ExtensionMode.Test ? new PreviewObserver() : undefined;
  const previews = new PreviewManager(context.extensionUri, renderer, macros, series, snippets, observer);
  context.subscriptions.push(
    { dispose: () => renderer.dispose() },
    { dispose: () => background.dispose() },
    macros,
    series,
    snippets,
    previews,
    registerSnippetEditor(snippets),
  );
  void series.rebuild();
  registerSeriesFeatures(context, series);
  // Equations go with lint (both prepare every formula of a note: the second finds the first's
  // cache); the citation checks read a note's directives from its equations.
  const equations = registerEquationFeatures(context, macros, background);
  const lint = registerLintFeatures(context, background, macros, series, equations);
  const walkthrough = registerWalkthrough(context);
  context.subscriptions.push(trackWalkthroughProgress(previews, series, snippets));
  warmPreviewWorker(context, renderer);

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
    vscode.commands.registerCommand('mathNotes.exportHtml', (uri?: unknown) =>
      exportHtml(context.extensionUri, renderer, macros, noteFor(uri)),
    ),
    vscode.commands.registerCommand('mathNotes.series.reindex', () => series.rebuild()),
  );
  const loadMs = typeof __mathNotesLoadStart === 'number' ? activateStart - __mathNotesLoadStart : 0;
  return {
    previews,
    observer,
    series,
    snippets,
    lint,
    equations,
    walkthrough,
    texts: { read: documentText, copies: documentTextCopies },
    activation: { loadMs: Math.round(loadMs), activateMs: Math.round(performance.now() - activateStart) },
  };
}

async function exportHtml(
  extensionUri: vscode.Uri,
  renderer: RenderService,
  macroSettings: MacroSettings,
  note: vscode.Uri | undefined,
): Promise<void> {
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
    async () => renderer.renderHtml(documentText(doc), doc.uri.path, await macroSettings.get(doc.uri)),
  );
  if (!rendered.ok) {
    void vscode.window.showErrorMessage(vscode.l10n.t('Export failed: {0}', rendered.message));
    return;
  }
  const html = standaloneDocument(rendered.html, rendered.title ?? basename(doc.uri), await exportAssets(extensionUri));
  await vscode.workspace.fs.writeFile(target, new TextEncoder().encode(html));
  void offerExported(target);
}

/** Says where the export went, with what a reader does next: the page in a browser on the desktop, else the file in an editor. */
async function offerExported(target: vscode.Uri): Promise<void> {
  const inBrowser = vscode.env.uiKind === vscode.UIKind.Desktop && target.scheme === 'file';
  const open = inBrowser ? vscode.l10n.t('Open in Browser') : vscode.l10n.t('Open');
  const choice = await vscode.window.showInformationMessage(
    vscode.l10n.t('Exported to {0}', target.scheme === 'file' ? target.fsPath : target.toString(true)),
    open,
  );
  if (choice !== open) return;
  if (inBrowser) await vscode.env.openExternal(target);
  else await vscode.commands.executeCommand('vscode.open', target);
}
