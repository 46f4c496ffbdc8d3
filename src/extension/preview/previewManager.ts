// The previews of the window: opening one (or revealing it), an unlocked preview following the
// active note, locking, and restoring previews after a reload (WebviewPanelSerializer).
import * as vscode from 'vscode';
import type { WorkspaceIndex } from '../series/workspaceIndex';
import type { SnippetRuns } from '../snippets/snippetRuns';
import type { WebviewState } from '../../core/preview/protocol';
import type { RenderService } from '../../core/preview/renderService';
import type { MacroSettings } from '../macros';
import { PREVIEW_VIEW_TYPE, PreviewPanel } from './previewPanel';
import type { PreviewObserver } from './previewObserver';

/** Notes are Markdown files and the plain-text blog exports. */
export function isNote(doc: vscode.TextDocument): boolean {
  return doc.languageId === 'markdown' || doc.uri.path.toLowerCase().endsWith('.txt');
}

export class PreviewManager implements vscode.WebviewPanelSerializer<WebviewState> {
  private readonly panels = new Set<PreviewPanel>();
  private active: PreviewPanel | undefined;
  private readonly subscriptions: vscode.Disposable[] = [];
  private readonly shown = new vscode.EventEmitter<vscode.Uri>();
  /** A preview was opened or revealed for a note (by any command, the extension's own included). */
  readonly onDidShow = this.shown.event;

  constructor(
    private readonly extensionUri: vscode.Uri,
    private readonly renderer: RenderService,
    private readonly macros: MacroSettings,
    private readonly series: WorkspaceIndex,
    private readonly snippets: SnippetRuns,
    private readonly observer: PreviewObserver | undefined,
  ) {
    this.subscriptions.push(
      this.shown,
      vscode.window.registerWebviewPanelSerializer(PREVIEW_VIEW_TYPE, this),
      vscode.window.onDidChangeActiveTextEditor((editor) => {
        if (!editor || !isNote(editor.document)) return;
        const line = editor.visibleRanges[0]?.start.line;
        for (const p of this.panels) if (!p.locked) p.show(editor.document.uri, line);
      }),
    );
  }

  /** Opens (or reveals) the preview of a note; `beside` puts it in the next editor group. */
  show(resource: vscode.Uri, beside: boolean, locked = false): PreviewPanel {
    this.shown.fire(resource);
    const column = beside ? vscode.ViewColumn.Beside : (vscode.window.activeTextEditor?.viewColumn ?? vscode.ViewColumn.Active);
    const reusable = [...this.panels].find((p) => (locked ? p.locked && p.resource.toString() === resource.toString() : !p.locked));
    if (reusable) {
      reusable.show(resource);
      reusable.panel.reveal(beside ? undefined : column, beside);
      return reusable;
    }
    const panel = vscode.window.createWebviewPanel(
      PREVIEW_VIEW_TYPE,
      'Math Notes',
      { viewColumn: column, preserveFocus: beside },
      { enableScripts: true, enableFindWidget: true, localResourceRoots: [] },
    );
    const editor = vscode.window.visibleTextEditors.find((e) => e.document.uri.toString() === resource.toString());
    return this.adopt(new PreviewPanel(panel, resource, locked, this.host(), editor?.visibleRanges[0]?.start.line ?? 0));
  }

  /** The preview with focus, else the only one. */
  current(): PreviewPanel | undefined {
    const focused = [...this.panels].find((p) => p.panel.active);
    return focused ?? this.active ?? (this.panels.size === 1 ? [...this.panels][0] : undefined);
  }

  async deserializeWebviewPanel(panel: vscode.WebviewPanel, state: WebviewState | undefined): Promise<void> {
    if (!state?.source) {
      panel.dispose();
      return;
    }
    this.adopt(new PreviewPanel(panel, vscode.Uri.parse(state.source), !!state.locked, this.host(), state.line ?? 0));
  }

  panelsFor(resource: vscode.Uri): PreviewPanel[] {
    return [...this.panels].filter((p) => p.resource.toString() === resource.toString());
  }

  dispose(): void {
    for (const p of [...this.panels]) p.dispose();
    for (const s of this.subscriptions) s.dispose();
  }

  private adopt(preview: PreviewPanel): PreviewPanel {
    this.panels.add(preview);
    this.active = preview;
    preview.panel.onDidChangeViewState((e) => {
      if (e.webviewPanel.active) this.active = preview;
    });
    return preview;
  }

  private host() {
    return {
      extensionUri: this.extensionUri,
      renderer: this.renderer,
      macros: this.macros,
      series: this.series,
      snippets: this.snippets,
      onDidDispose: (p: PreviewPanel) => {
        this.panels.delete(p);
        if (this.active === p) this.active = undefined;
      },
      onDidChangeLock: () => {},
      observer: this.observer,
    };
  }
}

/**
 * Warms the preview's render worker when a note is first in front of the author, so that the
 * first preview's page does not wait for the worker to start and load its renderers.
 */
export function warmPreviewWorker(context: vscode.ExtensionContext, renderer: RenderService): void {
  const warm = (e: vscode.TextEditor | undefined) => {
    if (e && isNote(e.document)) {
      renderer.warm();
      warming.dispose();
    }
  };
  const warming = vscode.window.onDidChangeActiveTextEditor(warm);
  context.subscriptions.push(warming);
  warm(vscode.window.activeTextEditor);
}
