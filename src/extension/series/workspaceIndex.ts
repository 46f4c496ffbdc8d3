// The workspace's series index: every note matching `mathNotes.include` (and not `files.exclude`),
// summarised by the core and kept current by file-system events and by open editors' unsaved
// text. Built in slices so the extension host never stalls; a build that takes a while shows
// progress. Everything series-related (preview, editor features, tree) reads from here.
import * as vscode from 'vscode';
import { parseNote } from '../../core/note/parseNote';
import { summarizeNote, type PostSummary } from '../../core/series/noteSummary';
import { SeriesIndex } from '../../core/series/seriesIndex';
import { decodeNote } from '../../node/readNoteFile';

export const DEFAULT_INCLUDE = '**/*.{md,markdown,txt}';
/** Notes bigger than this are summarised from their first part only: titles and early citations. */
const MAX_INDEXED_BYTES = 8 * 1024 * 1024;
/** A slice of work on the extension host before yielding to other events. */
const SLICE_MS = 12;

export interface IndexBuildReport {
  files: number;
  ms: number;
}

export class WorkspaceIndex implements vscode.Disposable {
  readonly index = new SeriesIndex();
  private readonly changeEmitter = new vscode.EventEmitter<void>();
  /** Fires (coalesced) after the index changed. */
  readonly onDidChange = this.changeEmitter.event;
  private readonly disposables: vscode.Disposable[] = [this.changeEmitter];
  private watcher?: vscode.FileSystemWatcher;
  private building?: Promise<IndexBuildReport>;
  private buildGeneration = 0;
  private notifyTimer?: ReturnType<typeof setTimeout>;
  private readonly typingTimers = new Map<string, ReturnType<typeof setTimeout>>();
  private include = DEFAULT_INCLUDE;
  /** The last build's numbers (tests and the bench read them). */
  lastBuild?: IndexBuildReport;

  constructor() {
    this.disposables.push(
      vscode.workspace.onDidChangeTextDocument((e) => this.onTyping(e.document)),
      vscode.workspace.onDidOpenTextDocument((d) => this.onTyping(d)),
      // Unsaved changes thrown away: the file on disk is the truth again.
      vscode.workspace.onDidCloseTextDocument((d) => {
        if (this.matches(d.uri)) void this.refreshFile(d.uri);
      }),
      vscode.workspace.onDidRenameFiles((e) => {
        for (const f of e.files) {
          this.index.removeFile(f.oldUri.toString());
          if (this.matches(f.newUri)) void this.refreshFile(f.newUri);
        }
        this.notify();
      }),
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (e.affectsConfiguration('mathNotes.include') || e.affectsConfiguration('files.exclude')) void this.rebuild();
      }),
      vscode.workspace.onDidChangeWorkspaceFolders(() => void this.rebuild()),
    );
  }

  /** The index after the current (or first) build. */
  async ready(): Promise<SeriesIndex> {
    await (this.building ?? this.rebuild());
    return this.index;
  }

  /** Index the whole workspace from scratch. */
  rebuild(): Promise<IndexBuildReport> {
    const generation = ++this.buildGeneration;
    const run = this.build(generation);
    this.building = run;
    return run;
  }

  private async build(generation: number): Promise<IndexBuildReport> {
    const started = Date.now();
    this.include = vscode.workspace.getConfiguration('mathNotes').get<string>('include') || DEFAULT_INCLUDE;
    this.watch();
    // `undefined` exclude: VS Code applies files.exclude.
    const uris = await vscode.workspace.findFiles(this.include);
    let done = 0;
    let reportProgress: ((n: number) => void) | undefined;
    let finish: (() => void) | undefined;
    // A quick build shows nothing; a long one shows a notification with counts.
    const showProgress = setTimeout(() => {
      void vscode.window.withProgress(
        { location: vscode.ProgressLocation.Notification, title: vscode.l10n.t('Math Notes: indexing notes') },
        (progress) =>
          new Promise<void>((resolve) => {
            let last = 0;
            reportProgress = (n) => {
              progress.report({ message: vscode.l10n.t('{0} of {1}', n, uris.length), increment: ((n - last) / uris.length) * 100 });
              last = n;
            };
            finish = resolve;
            if (generation !== this.buildGeneration || done === uris.length) resolve();
          }),
      );
    }, 400);
    const seen = new Set<string>();
    const openDocs = new Map(vscode.workspace.textDocuments.map((d) => [d.uri.toString(), d]));
    const queue = [...uris];
    const texts: Array<{ uri: vscode.Uri; text: string }> = [];
    // Reading runs ahead (32 at a time) while summarising runs in slices.
    const readers = Array.from({ length: 32 }, async () => {
      for (let uri = queue.shift(); uri; uri = queue.shift()) {
        const open = openDocs.get(uri.toString());
        const text = open ? open.getText() : await readText(uri);
        if (text !== undefined) texts.push({ uri, text });
        else done++;
      }
    });
    const reading = Promise.all(readers);
    let readingDone = false;
    void reading.then(() => (readingDone = true));
    while (!readingDone || texts.length) {
      if (generation !== this.buildGeneration) break;
      const sliceStart = Date.now();
      while (texts.length && Date.now() - sliceStart < SLICE_MS) {
        const { uri, text } = texts.shift()!;
        const key = uri.toString();
        seen.add(key);
        this.index.setFile(key, summarize(key, uri.path, text));
        done++;
      }
      reportProgress?.(done);
      await new Promise<void>((resolve) => setTimeout(resolve, texts.length ? 0 : 5));
    }
    clearTimeout(showProgress);
    finish?.();
    if (generation === this.buildGeneration) {
      // Whatever was indexed before and is no longer there (excluded, deleted meanwhile).
      for (const file of this.indexedFiles()) if (!seen.has(file)) this.index.removeFile(file);
    }
    const report = { files: seen.size, ms: Date.now() - started };
    if (generation === this.buildGeneration) this.lastBuild = report;
    this.notify();
    return report;
  }

  private indexedFiles(): string[] {
    return this.index.files();
  }

  private watch(): void {
    this.watcher?.dispose();
    const watcher = vscode.workspace.createFileSystemWatcher(this.include);
    this.watcher = watcher;
    watcher.onDidCreate((uri) => void this.refreshFile(uri));
    watcher.onDidChange((uri) => {
      // An open document's text is fresher than the disk (and the editor reports it itself).
      if (!vscode.workspace.textDocuments.some((d) => d.uri.toString() === uri.toString() && d.isDirty)) void this.refreshFile(uri);
    });
    watcher.onDidDelete((uri) => {
      // A folder deleted: every file under it.
      const prefix = uri.toString().replace(/\/?$/, '/');
      let changed = this.index.removeFile(uri.toString());
      for (const f of this.index.files()) if (f.startsWith(prefix)) changed = this.index.removeFile(f) || changed;
      if (changed) this.notify();
    });
    this.disposables.push(watcher);
  }

  /** Does the include glob cover this file, and files.exclude not cover it or a folder above it? */
  matches(uri: vscode.Uri): boolean {
    const folder = vscode.workspace.getWorkspaceFolder(uri);
    if (!folder || !globMatches(new vscode.RelativePattern(folder, this.include), uri)) return false;
    const excluded = vscode.workspace.getConfiguration('files', uri).get<Record<string, boolean>>('exclude') ?? {};
    const globs = Object.entries(excluded).filter(([, on]) => on).map(([glob]) => new vscode.RelativePattern(folder, glob));
    if (globs.length === 0) return true;
    const segments = uri.path.slice(folder.uri.path.replace(/\/$/, '').length + 1).split('/');
    for (let i = 1; i <= segments.length; i++) {
      const at = vscode.Uri.joinPath(folder.uri, ...segments.slice(0, i));
      if (globs.some((g) => globMatches(g, at))) return false;
    }
    return true;
  }

  /** Re-read one file (created, changed on disk, closed unsaved). */
  async refreshFile(uri: vscode.Uri): Promise<void> {
    const key = uri.toString();
    const open = vscode.workspace.textDocuments.find((d) => d.uri.toString() === key);
    const text = open && !open.isClosed ? open.getText() : await readText(uri);
    if (text === undefined) {
      if (this.index.removeFile(key)) this.notify();
      return;
    }
    this.index.setFile(key, summarize(key, uri.path, text));
    this.notify();
  }

  /** Follow an open note as it is typed: at most one summary per document every 150 ms. */
  private onTyping(doc: vscode.TextDocument): void {
    if (doc.uri.scheme !== 'file' && doc.uri.scheme !== 'vscode-vfs' && doc.uri.scheme !== 'vscode-test-web') return;
    if (!this.matches(doc.uri)) return;
    const key = doc.uri.toString();
    if (this.typingTimers.has(key)) return;
    this.typingTimers.set(
      key,
      setTimeout(() => {
        this.typingTimers.delete(key);
        if (doc.isClosed) return;
        this.index.setFile(key, summarize(key, doc.uri.path, doc.getText()));
        this.notify();
      }, 150),
    );
  }

  /** Listeners hear once per burst of changes. */
  private notify(): void {
    if (this.notifyTimer) return;
    this.notifyTimer = setTimeout(() => {
      this.notifyTimer = undefined;
      this.changeEmitter.fire();
    }, 50);
  }

  dispose(): void {
    this.buildGeneration++;
    for (const t of this.typingTimers.values()) clearTimeout(t);
    if (this.notifyTimer) clearTimeout(this.notifyTimer);
    for (const d of this.disposables) d.dispose();
  }
}

/** A note's posts for the index; a note that cannot be parsed counts as having none. */
export function summarize(key: string, path: string, text: string): PostSummary[] {
  try {
    const cut = text.length > MAX_INDEXED_BYTES ? text.slice(0, MAX_INDEXED_BYTES) : text;
    return summarizeNote(key, cut, parseNote(cut, path));
  } catch {
    return [];
  }
}

/** VS Code's own glob matching (the one findFiles uses), through a document filter. */
function globMatches(pattern: vscode.RelativePattern, uri: vscode.Uri): boolean {
  return vscode.languages.match({ pattern }, { uri, languageId: '', isClosed: false } as unknown as vscode.TextDocument) > 0;
}

async function readText(uri: vscode.Uri): Promise<string | undefined> {
  try {
    const bytes = await vscode.workspace.fs.readFile(uri);
    return decodeNote(bytes).text;
  } catch {
    return undefined; // deleted meanwhile, binary, unreadable: not a note
  }
}
