// One preview webview: which note it shows, whether it is locked to it, and the traffic with its
// page. Rendering happens in the render worker; this class only debounces, forwards and reacts.
import * as vscode from 'vscode';
import type { FromWebview, ToWebview, WebviewState } from '../../core/preview/protocol';
import type { RenderFailure, RenderService } from '../../core/preview/renderService';
import type { MacroSettings } from '../macros';
import { seriesPageSteps, type SeriesTarget } from '../../core/series/pageSeries';
import type { PostSummary } from '../../core/series/noteSummary';
import type { WorkspaceIndex } from '../series/workspaceIndex';
import type { SnippetRuns } from '../snippets/snippetRuns';
import { NoteFileWatcher } from './noteFileWatcher';
import { basename } from '../uris';
import { openLink, openSeriesTarget, openSourceAt } from './previewNavigation';
import { allowRemoteImages, previewHtml } from './previewHtml';
import { encodingWarning } from '../noteEncoding';
import { withinLimit } from '../noteSize';
import { rendersAroundReader } from '../../core/render/firstScreen';
import { debounceMs, previewLabels, previewSettings } from './previewSettings';
import type { PreviewObserver } from './previewObserver';
import { documentText } from '../documentText';

export const PREVIEW_VIEW_TYPE = 'mathNotes.preview';

export interface PreviewHost {
  extensionUri: vscode.Uri;
  renderer: RenderService;
  macros: MacroSettings;
  series: WorkspaceIndex;
  snippets: SnippetRuns;
  onDidDispose(panel: PreviewPanel): void;
  onDidChangeLock(panel: PreviewPanel): void;
  /** Only while the extension runs its tests. */
  observer: PreviewObserver | undefined;
}

/** What the page showed of series (bars, backlink lists, linked and unresolved citations, gaps). */
export type SeriesReport = Omit<Extract<FromWebview, { type: 'seriesRendered' }>, 'type'>;

/** What the page counted after applying an update (for the tests' observer; `warnings`: the notices above the posts, `pending`: placeholders left). */
export type PageReport = Omit<Extract<FromWebview, { type: 'rendered' }>, 'type'>;

let nextChannel = 1;
/** How late the editor's event for a reveal of ours may come and still be taken for its echo. */
const ECHO_MS = 2000;

export class PreviewPanel {
  readonly channel = `preview-${nextChannel++}`;
  private readonly subscriptions: vscode.Disposable[] = [];
  private version = 0;
  /** Bumped when the page reloads: a render started before that has no page to patch. */
  private pageGeneration = 0;
  private pageHasContent = false;
  private remoteImages = false;
  private timer: NodeJS.Timeout | undefined;
  private disposed = false;
  private topLine = 0;
  /** The lines the page last said the reader sees (with a screen's margin each way). */
  private view: { line: number; lastLine: number } | undefined;
  /** The note is long enough to be rendered only around the reader (rendersAroundReader). */
  private lazy = false;
  private changedAt = 0;
  /** When the panel was made: the open bench's first stage (the command reached the host). */
  private readonly openedAt = Date.now();
  /** Scroll events we caused ourselves are not echoed back. */
  private quietEditorScrollUntil = 0;
  /**
   * Editor scrolls sent to the page, counted: a `revealLine` the page sent before it had followed the
   * latest one is stale (the editor has moved since, maybe to its cursor) and is dropped.
   */
  private editorSeq = 0;
  /** Lines this panel recently brought to the top of the editor for the preview's reader, and when. */
  private readonly revealedLines = new Map<number, number>();
  /** The note's text as last rendered (for series info of a note the index does not cover). */
  private lastText: string | undefined;
  /** Target tables handed to the page, by generation (the last few: the page may lag a message). */
  private targets = new Map<number, SeriesTarget[]>();
  private targetGeneration = 0;

  constructor(
    readonly panel: vscode.WebviewPanel,
    private resourceUri: vscode.Uri,
    private isLocked: boolean,
    private readonly host: PreviewHost,
    initialLine = 0,
  ) {
    this.topLine = initialLine;
    host.observer?.opened(this);
    this.watchFile();
    panel.webview.options = { enableScripts: true, localResourceRoots: this.resourceRoots() };
    this.remoteImages = allowRemoteImages(this.resourceUri);
    this.loadPage();
    void this.renderAhead();
    panel.iconPath = vscode.Uri.joinPath(host.extensionUri, 'media', 'preview-icon.svg');
    this.updateTitle();
    this.subscriptions.push(
      panel.webview.onDidReceiveMessage((m: FromWebview) => this.onMessage(m)),
      panel.onDidDispose(() => this.dispose()),
      vscode.workspace.onDidChangeTextDocument((e) => {
        if (e.document.uri.toString() === this.resourceUri.toString() && e.contentChanges.length) {
          this.changedAt = Date.now();
          this.scheduleRender();
        }
      }),

      vscode.window.onDidChangeTextEditorVisibleRanges((e) => this.onEditorScrolled(e)),
      // Renamed or moved in the workbench (the note or a folder above it): the preview goes along.
      vscode.workspace.onDidRenameFiles((e) => {
        for (const { oldUri, newUri } of e.files) {
          const moved = movedTo(this.resourceUri, oldUri, newUri);
          if (moved) this.show(moved, this.topLine);
        }
      }),
      host.series.onDidChange(() => {
        if (this.pageHasContent) void this.postSeries();
      }),
      host.snippets.onDidChange((uri) => {
        if (uri.toString() === this.resourceUri.toString() && this.pageHasContent) this.postSnippets();
      }),
      vscode.workspace.onDidGrantWorkspaceTrust(() => {
        this.postSnippets();
        this.applyImagePolicy();
        this.scheduleRender(0); // the workspace's macros now apply
      }),
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (e.affectsConfiguration('mathNotes.preview.allowRemoteImages')) this.applyImagePolicy();
        if (e.affectsConfiguration('mathNotes.preview')) void this.post({ type: 'settings', settings: previewSettings(this.resourceUri) });
        if (e.affectsConfiguration('mathNotes.macros') || e.affectsConfiguration('mathNotes.macroFile')) this.scheduleRender(0);
      }),
    );
  }

  /** The image policy lives in the page's CSP: a change reloads the page (which then renders afresh). */
  private applyImagePolicy(): void {
    const allowed = allowRemoteImages(this.resourceUri);
    if (allowed === this.remoteImages) return;
    this.remoteImages = allowed;
    this.loadPage();
  }

  private loadPage(): void {
    this.panel.webview.html = previewHtml(this.panel.webview, this.host.extensionUri, this.remoteImages);
  }

  /**
   * While VS Code builds the new webview (~0.25 s on a desktop, seconds in the test bed), the
   * worker renders the reader's first screen into its caches, on a channel of its own: the page's
   * own request, once it says it is ready, finds that work done (the 5 MB note of the open bench
   * waited for its page, then 1.6–4 s for the worker). Nothing of it is shown.
   */
  private async renderAhead(): Promise<void> {
    const channel = `${this.channel}-ahead`;
    const resource = this.resourceUri;
    try {
      const text = await noteText(resource);
      const macros = await this.host.macros.get(resource);
      // Too late: the page's own render has started, or the panel shows another note now.
      if (this.disposed || this.version > 0 || resource.toString() !== this.resourceUri.toString()) return;
      const limited = withinLimit(text, resource);
      const line = this.topLine;
      await this.host.renderer.render({
        channel,
        text: limited.text,
        fileName: resource.path,
        macros,
        reset: true,
        view: { line, lastLine: line },
      });
    } catch {
      // Only ever a head start: the page's own render reports what fails.
    } finally {
      this.host.renderer.disposeChannel(channel);
    }
  }

  /** The note on disk (noteFileWatcher.ts): changed or written again by another program, or gone. */
  private watchFile(): void {
    this.fileWatcher?.dispose();
    this.fileWatcher = new NoteFileWatcher(this.resourceUri, {
      changed: () => this.scheduleRender(),
      deleted: (message) => this.fail(message),
    });
  }

  private fileWatcher: NoteFileWatcher | undefined;

  get resource(): vscode.Uri {
    return this.resourceUri;
  }

  get locked(): boolean {
    return this.isLocked;
  }

  get isDisposed(): boolean {
    return this.disposed;
  }

  setLocked(locked: boolean): void {
    this.isLocked = locked;
    this.updateTitle();
    this.host.onDidChangeLock(this);
  }

  /** Show another note (an unlocked preview follows the active editor). */
  show(resource: vscode.Uri, line?: number): void {
    if (resource.toString() === this.resourceUri.toString()) return;
    this.resourceUri = resource;
    this.topLine = line ?? 0;
    this.pageHasContent = false; // another note: the page starts afresh
    this.panel.webview.options = { enableScripts: true, localResourceRoots: this.resourceRoots() };
    this.updateTitle();
    this.watchFile();
    this.scheduleRender(0);
  }

  refresh(): void {
    this.scheduleRender(0);
  }

  private fail(message: string): void {
    this.host.observer?.saw(this, { failure: message });
    void this.post({ type: 'renderFailed', message });
  }

  /** Sends a message to the page; false when it is closed. */
  post(message: ToWebview): Thenable<boolean> {
    return this.disposed ? Promise.resolve(false) : this.panel.webview.postMessage(message);
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    clearTimeout(this.timer);
    this.fileWatcher?.dispose();
    this.host.renderer.disposeChannel(this.channel);
    for (const s of this.subscriptions) s.dispose();
    this.host.observer?.closed(this);
    this.host.onDidDispose(this);
    this.panel.dispose();
  }

  private scheduleRender(delay = debounceMs(this.resourceUri)): void {
    if (this.disposed) return;
    clearTimeout(this.timer);
    // No debounce: start now (the render service keeps only the newest text waiting anyway).
    if (delay === 0) void this.render();
    else this.timer = setTimeout(() => void this.render(), delay);
  }

  private async render(): Promise<void> {
    const resource = this.resourceUri;
    const generation = this.pageGeneration;
    const reset = !this.pageHasContent;
    const changedAt = this.changedAt;
    const startedAt = Date.now();
    const version = ++this.version;
    let text: string;
    try {
      text = await noteText(resource);
    } catch (err) {
      this.fail(vscode.l10n.t('Cannot read {0}: {1}', resource.fsPath, (err as Error).message));
      return;
    }
    const macros = await this.host.macros.get(resource);
    // A newer render started while this one read the text: its text is newer, let it go alone.
    if (version !== this.version) return;
    const limited = withinLimit(text, resource);
    const warnings = [await encodingWarning(text, resource), limited.warning].filter((w): w is string => w !== undefined);
    if (version !== this.version) return;
    // A new page of a long note shows the reader's screen first, the rest follows (below); a very
    // long note is only ever rendered around the reader (the page says where they are).
    const view = (!reset && this.view) || { line: this.topLine, lastLine: this.topLine };
    this.lazy = rendersAroundReader(limited.text.length);
    const requestedAt = Date.now();
    const pending = this.host.renderer.render({
      channel: this.channel,
      text: limited.text,
      fileName: resource.path,
      macros,
      reset,
      view,
      ...(warnings.length ? { warnings } : {}),
    });
    // Long renders (a large note, a cold start) show progress; short ones do not flash it.
    const slow = setTimeout(() => {
      void this.post({ type: 'busy', message: vscode.l10n.t('Rendering…') });
      void vscode.window.withProgress(
        { location: vscode.ProgressLocation.Notification, title: vscode.l10n.t('Math Notes: rendering {0}', basename(resource)) },
        () => pending,
      );
    }, 400);
    const result = await pending;
    clearTimeout(slow);
    if (this.disposed || 'superseded' in result) return;
    if (generation !== this.pageGeneration || resource.toString() !== this.resourceUri.toString()) {
      // The page reloaded or the note changed meanwhile: what we have does not fit it.
      this.scheduleRender(0);
      return;
    }
    if (!result.ok) {
      this.fail(failureMessage(result));
      return;
    }
    if (!('page' in result)) return;
    this.pageHasContent = true;
    this.lastText = text;
    this.host.observer?.saw(this, {
      failure: undefined,
      stats: result.stats,
      update: { changedBlocks: result.page.changedBlocks, totalBlocks: result.page.totalBlocks },
    });
    const update: ToWebview = {
      type: 'update',
      version,
      source: resource.toString(),
      baseHref: this.panel.webview.asWebviewUri(vscode.Uri.joinPath(resource, '..')).toString() + '/',
      page: result.pageJson,
      stats: result.stats,
      reset,
      line: reset ? this.topLine : undefined,
      locked: this.isLocked,
      timing: { openedAt: this.openedAt, changedAt, startedAt, requestedAt, renderedAt: Date.now(), postedAt: 0 },
    };
    // Updates go out in order, each after the chunks of the one before.
    const chunks = result.chunks;
    this.sending = this.sending.then(() => this.send(chunks, update));
    // The first screen is on its way: now the whole note, as a patch that fills in the placeholders.
    // (A very long note's too, when its first screen came from the note's first part: its later
    // references, and the page's placeholders for the rest, need the whole note.)
    if ((result.stats.pending > 0 && !this.lazy) || result.stats.partial) this.scheduleRender(0);
    // A new page (another note, a reload) needs its series info at once; while typing, the index
    // catches up within 150 ms and its change event posts it.
    if (reset) {
      void this.postSeries();
      this.postSnippets();
    }
  }

  /** Snippet results for the note on the page, and whether its Run buttons may run. */
  private postSnippets(): void {
    const refusal = this.host.snippets.refusal();
    const message: ToWebview = {
      type: 'snippets',
      source: this.resourceUri.toString(),
      runnable: !refusal,
      ...(refusal ? { refusal } : {}),
      results: this.host.snippets.resultsFor(this.resourceUri),
    };
    this.sending = this.sending.then(() => this.post(message).then(() => undefined));
  }

  private async runSnippetAt(line: number): Promise<void> {
    const doc = await vscode.workspace.openTextDocument(this.resourceUri);
    const snippet = (await this.host.snippets.snippetsOf(doc)).find((s) => s.fenceLine === line);
    if (snippet) await this.host.snippets.run(doc, snippet);
  }

  /** Series bars, backlinks and citation targets for the note on the page. */
  private async postSeries(): Promise<void> {
    const workspace = this.host.series;
    // Backlinks across a big workspace are built in slices (a restored preview may render while
    // the index is still cold): never in one long task on the extension host.
    while (!workspace.index.warmBacklinks(12)) await new Promise((resolve) => setTimeout(resolve, 0));
    if (this.disposed) return;
    const resource = this.resourceUri;
    const key = resource.toString();
    let posts: readonly PostSummary[] = workspace.index.postsOf(key);
    // A note outside the index (outside the workspace, not matching mathNotes.series.include): its own summary.
    if (!workspace.index.has(key) && this.lastText !== undefined) {
      posts = await workspace.summarize(key, resource.path, this.lastText);
      if (this.disposed || this.resourceUri.toString() !== key) return;
    }
    const generation = ++this.targetGeneration;
    // In steps, yielding between them: a long note cites thousands of times.
    const steps = seriesPageSteps(workspace.index, posts, {
      where: (file) => vscode.workspace.asRelativePath(vscode.Uri.parse(file), (vscode.workspace.workspaceFolders?.length ?? 0) > 1),
      generation,
    });
    let step = steps.next();
    while (!step.done) {
      await new Promise((resolve) => setTimeout(resolve, 0));
      if (this.disposed || generation !== this.targetGeneration) return;
      step = steps.next();
    }
    const info = step.value;
    this.targets.set(generation, info.targets);
    this.targets.delete(generation - 3);
    this.sending = this.sending.then(() => this.post({ type: 'series', source: key, info }).then(() => undefined));
  }

  private async openTarget(id: number, generation: number): Promise<void> {
    // The table the page clicked in, not the newest: ids shift when backlinks come and go.
    const target = Number.isInteger(id) ? this.targets.get(generation)?.[id] : undefined;
    if (!target) return;
    const uri = await openSeriesTarget(target, this.panel.viewColumn);
    if (!this.isLocked && uri.toString() === this.resourceUri.toString()) this.scrollPage(target.line);
  }

  private sending = Promise.resolve();

  /**
   * Posts an update after the chunks of block HTML it names, yielding between them: one 15 MB
   * message (a long note's first render) would hold the extension host for half a second.
   */
  private async send(chunks: string[], update: ToWebview): Promise<void> {
    for (const html of chunks) {
      void this.post({ type: 'blocks', version: update.type === 'update' ? update.version : 0, html });
      await yieldToHost();
    }
    if (update.type === 'update') update.timing.postedAt = Date.now();
    await this.post(update);
  }

  private onMessage(m: FromWebview): void {
    switch (m.type) {
      case 'ready':
        this.pageGeneration++;
        this.pageHasContent = false;
        void this.post({ type: 'labels', labels: previewLabels() });
        void this.post({ type: 'settings', settings: previewSettings(this.resourceUri) });
        if (this.host.observer) void this.post({ type: 'countForTests' });
        this.scheduleRender(0);
        break;
      case 'viewport':
        // Placeholders came near the reader: a very long note renders around them now.
        this.view = { line: m.line, lastLine: m.lastLine };
        if (this.lazy && this.pageHasContent) this.scheduleRender(0);
        break;
      case 'missingBlocks':
        this.pageHasContent = false;
        this.scheduleRender(0);
        break;
      case 'rendered': {
        const { type: _, ...report } = m;
        this.host.observer?.saw(this, { report });
        break;
      }
      case 'revealLine':
        if (m.seq !== this.editorSeq) break; // answers an editor position that is gone
        this.topLine = m.line;
        if (previewSettings(this.resourceUri).scrollEditorWithPreview) this.scrollEditors(m.line);
        break;
      case 'openLine':
        void openSourceAt(this.resourceUri, m.line, this.panel.viewColumn);
        break;
      case 'openLink':
        void openLink(m.href, this.resourceUri, this.panel.viewColumn);
        break;
      case 'openTarget':
        void this.openTarget(m.id, m.generation);
        break;
      case 'runSnippet':
        void this.runSnippetAt(m.line);
        break;
      case 'seriesRendered': {
        const { type: _, ...series } = m;
        this.host.observer?.saw(this, { series });
        break;
      }
      case 'copyTex':
        void vscode.env.clipboard.writeText(m.tex).then(() => vscode.window.setStatusBarMessage(vscode.l10n.t('TeX copied'), 2000));
        break;
      case 'reportError':
        this.host.observer?.saw(this, { failure: m.message });
        void vscode.window.showErrorMessage(vscode.l10n.t('Math Notes preview: {0}', m.message));
        break;
    }
  }

  private onEditorScrolled(e: vscode.TextEditorVisibleRangesChangeEvent): void {
    if (e.textEditor.document.uri.toString() !== this.resourceUri.toString() || !e.visibleRanges.length) return;
    if (Date.now() < this.quietEditorScrollUntil) return;
    // Our own reveal coming back late (a busy host; reveals overtake each other's events while the
    // reader wheels): the page is there already, and answering would bump the sequence under it.
    const revealedAt = this.revealedLines.get(e.visibleRanges[0].start.line);
    if (revealedAt !== undefined && Date.now() - revealedAt < ECHO_MS) return;
    if (!previewSettings(this.resourceUri).scrollPreviewWithEditor) return;
    this.scrollPage(e.visibleRanges[0].start.line);
  }

  /** The editor leads: the page brings `line` to its top. */
  private scrollPage(line: number): void {
    this.topLine = line;
    void this.post({ type: 'scrollToLine', line, seq: ++this.editorSeq });
  }

  private scrollEditors(line: number): void {
    for (const editor of vscode.window.visibleTextEditors) {
      if (editor.document.uri.toString() !== this.resourceUri.toString()) continue;
      this.quietEditorScrollUntil = Date.now() + 300;
      const pos = new vscode.Position(Math.min(line, editor.document.lineCount - 1), 0);
      const now = Date.now();
      for (const [l, t] of this.revealedLines) if (now - t >= ECHO_MS) this.revealedLines.delete(l);
      this.revealedLines.set(pos.line, now);
      editor.revealRange(new vscode.Range(pos, pos), vscode.TextEditorRevealType.AtTop);
    }
  }

  private updateTitle(): void {
    const name = basename(this.resourceUri);
    this.panel.title = this.isLocked ? vscode.l10n.t('[Locked] Preview {0}', name) : vscode.l10n.t('Preview {0}', name);
  }

  private resourceRoots(): vscode.Uri[] {
    const roots = [vscode.Uri.joinPath(this.host.extensionUri, 'media'), ...(vscode.workspace.workspaceFolders ?? []).map((f) => f.uri)];
    if (!vscode.workspace.getWorkspaceFolder(this.resourceUri)) roots.push(vscode.Uri.joinPath(this.resourceUri, '..'));
    return roots;
  }

  /** What the page keeps across reloads (see WebviewState). */
  state(): WebviewState {
    return { source: this.resourceUri.toString(), line: this.topLine, locked: this.isLocked };
  }
}

/** Where `resource` is after `oldUri` (itself or a folder above it) became `newUri`; undefined if it was not moved. */
export function movedTo(resource: vscode.Uri, oldUri: vscode.Uri, newUri: vscode.Uri): vscode.Uri | undefined {
  if (resource.toString() === oldUri.toString()) return newUri;
  const folder = oldUri.toString().replace(/\/?$/, '/');
  if (!resource.toString().startsWith(folder)) return undefined;
  return vscode.Uri.parse(newUri.toString().replace(/\/?$/, '/') + resource.toString().slice(folder.length));
}

async function noteText(uri: vscode.Uri): Promise<string> {
  const open = vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString());
  if (open) return documentText(open);
  return documentText(await vscode.workspace.openTextDocument(uri));
}

/** The render service's failures, in the user's language. */
export function failureMessage(r: { reason: RenderFailure; message: string }): string {
  switch (r.reason) {
    case 'timeout':
      return vscode.l10n.t('Rendering took too long and was stopped. The note may hold a formula that expands without end.');
    case 'memory':
      return vscode.l10n.t(
        'This note needs more memory than the renderer may take. Split it into several notes, or render it with the command line (mathnotes render).',
      );
    case 'crashed':
      return vscode.l10n.t('The renderer stopped unexpectedly: {0}', r.message);
    default:
      return vscode.l10n.t('This note could not be rendered: {0}', r.message);
  }
}

/** Lets the extension host handle other events: setImmediate on Node, a task on the web (no setImmediate there). */
const yieldToHost = (): Promise<void> =>
  new Promise((resolve) => (typeof setImmediate === 'function' ? setImmediate(resolve) : setTimeout(resolve, 0)));
