// The workspace's series index: every note matching `mathNotes.series.include` (and not `files.exclude`),
// summarised by the core and kept current by file-system events and by open editors' unsaved
// text. Built in slices so the extension host never stalls; a build that takes a while shows
// progress. Everything series-related (preview, editor features, tree) reads from here.
import * as vscode from 'vscode';
import { enabledGlobs, noteFileFilter, type NoteFileFilter, type NoteFileRules } from '../../core/series/noteFiles';
import { summarizeText, type PostSummary } from '../../core/series/noteSummary';
import { SeriesIndex } from '../../core/series/seriesIndex';
import { LatestRead } from '../../core/series/latestRead';
import type { IndexService } from '../../node/indexService';
import { decodeNote } from '../../core/note/decodeNote';
import { documentText } from '../documentText';

export const DEFAULT_INCLUDE = '**/*.{md,markdown,txt}';
/** A slice of work on the extension host before yielding to other events. */
const SLICE_MS = 12;
/**
 * File events within one burst from which the folders they touched are listed again once it has
 * settled: VS Code's watcher coalesces or drops events in a big burst (measured in the test bed: 46
 * of 5 000 created files never reported).
 */
const BURST_EVENTS = 200;
const BURST_SETTLE_MS = 1000;
/** Created paths kept per burst to look for new folders in (a bigger burst is reconciled by its folders). */
const MAX_CREATED_PATHS = 500;
/** Files set at once past which the derived indexes are dropped and rebuilt rather than updated per file. */
const BULK_FILES = 200;
/**
 * Text longer than this is summarised off the host's thread when a summarizer is given: a 1 MB
 * listing export takes 55–110 ms to summarise (plain Node), which stalled the host while typing.
 */
export const LARGE_NOTE_CHARS = 100_000;

/** Summarises a note's text elsewhere (a worker); undefined when it could not (then it is done here). */
export type Summarizer = (key: string, path: string, text: string) => Promise<PostSummary[] | undefined>;

export interface IndexBuildReport {
  files: number;
  ms: number;
  /** Of which listing the files (findFiles). */
  listMs: number;
  /** When the last worker result came (ms from the start). */
  workersDone?: number;
  /** Time spent on the host taking in the workers' results, in all and the longest batch. */
  hostMs?: number;
  longestBatchMs?: number;
}

export class WorkspaceIndex implements vscode.Disposable {
  readonly index = new SeriesIndex();
  private readonly changeEmitter = new vscode.EventEmitter<void>();
  /** Fires (coalesced) after the index changed. */
  readonly onDidChange = this.changeEmitter.event;
  private readonly disposables: vscode.Disposable[] = [this.changeEmitter];
  /** File-system watchers, per workspace folder (see watch). */
  private watchers: vscode.Disposable[] = [];
  /** The include glob and folders the watchers were made for. */
  private watching?: string;
  private building?: Promise<IndexBuildReport>;
  private buildGeneration = 0;
  private notifyTimer?: ReturnType<typeof setTimeout>;
  private readonly typingTimers = new Map<string, ReturnType<typeof setTimeout>>();
  private include = DEFAULT_INCLUDE;
  /** Stamps of the files the workers indexed (a file event that finds the same stamp is ours; see fileStamp). */
  private readonly stamps = new Map<string, string>();
  /** Of overlapping reads of one file, the one started last goes in. */
  private readonly reads = new LatestRead();
  /** While a build runs, listeners wait for its end (one refresh, not one per batch). */
  private buildsRunning = 0;
  /** The last build's numbers (tests and the bench read them). */
  lastBuild?: IndexBuildReport;

  /** Open documents' posts as of a version (see documentPosts). */
  private readonly documentSummaries = new WeakMap<vscode.TextDocument, { version: number; posts: Promise<readonly PostSummary[]> }>();

  /**
   * `workers`: summarise files on disk in worker threads (desktop); without it, in slices here
   * (web). `summarizer`: where large open notes are summarised as they are typed.
   */
  constructor(
    private readonly workers?: IndexService,
    private readonly summarizer?: Summarizer,
  ) {
    this.disposables.push(
      vscode.workspace.onDidChangeTextDocument((e) => this.onTyping(e.document)),
      vscode.workspace.onDidOpenTextDocument((d) => this.onTyping(d)),
      // Unsaved changes thrown away: the file on disk is the truth again.
      vscode.workspace.onDidCloseTextDocument((d) => {
        if (this.matches(d.uri)) void this.refreshFile(d.uri);
      }),
      vscode.workspace.onDidRenameFiles((e) => void this.onRenamed(e.files)),
      vscode.workspace.onDidChangeConfiguration((e) => {
        const excludes = e.affectsConfiguration('files.exclude') || e.affectsConfiguration('search.exclude');
        if (excludes || e.affectsConfiguration('mathNotes.series.include')) {
          this.filters.clear();
          void this.rebuild();
        }
      }),
      vscode.workspace.onDidChangeWorkspaceFolders(() => {
        this.filters.clear();
        void this.rebuild();
      }),
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
    this.buildsRunning++;
    try {
      return await this.buildNow(generation);
    } finally {
      this.buildsRunning--;
      this.notify();
    }
  }

  /**
   * One build, in steps: list the notes; summarise those on disk in the workers and the rest (open
   * documents, virtual file systems) here in slices, showing progress when it takes a while; then
   * drop what was indexed before and is no longer there.
   */
  private async buildNow(generation: number): Promise<IndexBuildReport> {
    const started = Date.now();
    // What this build may take out at its end: files indexed before it started (with the entry
    // they had then). A note created meanwhile is missing from the listing but comes in through
    // the watcher, and one a file event re-read meanwhile is current: both stay.
    const before = new Map(this.index.files().map((f) => [f, this.index.postsOf(f)]));
    this.include = vscode.workspace.getConfiguration('mathNotes').get<string>('series.include') || DEFAULT_INCLUDE;
    this.watch();
    this.workers?.warmUp();
    const uris = await this.listNotes();
    const listMs = Date.now() - started;
    if (uris.length > BULK_FILES) this.index.dropDerivedIndexes();
    const cancelled = () => generation !== this.buildGeneration;
    const build: BuildRun = { seen: new Set(), done: 0, hostMs: 0, longestBatchMs: 0, ticket: this.reads.start(), cancelled };
    const progress = delayedProgress(uris.length, () => cancelled() || build.done === uris.length);
    build.progress = progress.report;
    const openDocs = new Map(vscode.workspace.textDocuments.map((d) => [d.uri.toString(), d]));
    // Open documents (their unsaved text) here; files on disk in the workers when there are any.
    const onDisk = this.workers ? uris.filter((u) => u.scheme === 'file' && !openDocs.has(u.toString())) : [];
    const workerKeys = new Set(onDisk.map((u) => u.toString()));
    const fromWorkers = this.summarizeInWorkers(onDisk, build);
    await this.summarizeHere(
      uris.filter((u) => !workerKeys.has(u.toString())),
      openDocs,
      build,
    );
    await fromWorkers;
    const workersDone = Date.now() - started;
    progress.finish();
    if (!cancelled()) this.dropUnseen(before, build.seen);
    const report = {
      files: build.seen.size,
      ms: Date.now() - started,
      listMs,
      workersDone,
      hostMs: build.hostMs,
      longestBatchMs: build.longestBatchMs,
    };
    if (!cancelled()) this.lastBuild = report;
    return report;
  }

  /** Notes on disk, read and summarised by the index workers; their results taken in batches. */
  private async summarizeInWorkers(onDisk: readonly vscode.Uri[], build: BuildRun): Promise<void> {
    await this.workers?.summarize(
      onDisk.map((u) => ({ key: u.toString(), path: u.fsPath })),
      (results) => {
        const t0 = Date.now();
        for (const r of results) {
          build.done++;
          if (!r.posts) continue;
          build.seen.add(r.key);
          if (!this.reads.admit(r.key, build.ticket)) continue;
          this.index.setFile(r.key, r.posts);
          this.setStamp(r.key, r.stamp);
        }
        build.progress?.(build.done);
        const took = Date.now() - t0;
        build.hostMs += took;
        build.longestBatchMs = Math.max(build.longestBatchMs, took);
      },
      build.cancelled,
    );
  }

  /** Open documents (their unsaved text) and notes the workers cannot read: read ahead, summarised here in slices. */
  private async summarizeHere(
    uris: readonly vscode.Uri[],
    openDocs: ReadonlyMap<string, vscode.TextDocument>,
    build: BuildRun,
  ): Promise<void> {
    const queue = [...uris];
    const texts: Array<{ uri: vscode.Uri; text: string }> = [];
    // Reading runs ahead (32 at a time) while summarising runs in slices.
    const readers = Array.from({ length: 32 }, async () => {
      for (let uri = queue.shift(); uri; uri = queue.shift()) {
        const open = openDocs.get(uri.toString());
        if (open && !open.isClosed) {
          // Its unsaved text, summarised once per version (a large one off this thread).
          const posts = await this.documentPosts(open);
          if (build.cancelled()) return;
          build.seen.add(uri.toString());
          if (this.reads.admit(uri.toString(), build.ticket)) this.index.setFile(uri.toString(), posts);
          build.done++;
          continue;
        }
        const text = await readText(uri);
        if (text !== undefined) texts.push({ uri, text });
        else build.done++;
      }
    });
    let readingDone = false;
    void Promise.all(readers).then(() => (readingDone = true));
    while (!readingDone || texts.length) {
      if (build.cancelled()) break;
      const sliceStart = Date.now();
      while (texts.length && Date.now() - sliceStart < SLICE_MS) {
        const { uri, text } = texts.shift()!;
        const key = uri.toString();
        build.seen.add(key);
        if (this.reads.admit(key, build.ticket)) {
          this.index.setFile(key, summarizeText(key, uri.path, text));
          this.stamps.delete(key);
        }
        build.done++;
      }
      build.progress?.(build.done);
      await new Promise<void>((resolve) => setTimeout(resolve, texts.length ? 0 : 5));
    }
  }

  /** Whatever was indexed before the build and is no longer there (excluded, deleted meanwhile). */
  private dropUnseen(before: ReadonlyMap<string, readonly PostSummary[]>, seen: ReadonlySet<string>): void {
    for (const [file, posts] of before) {
      if (seen.has(file) || this.index.postsOf(file) !== posts) continue;
      this.index.removeFile(file);
      this.stamps.delete(file);
    }
  }

  /**
   * Watchers per workspace folder, with the globs relative to it as findFiles reads them (a plain
   * string glob is matched against absolute paths: `notes/**\/*.md` would never fire). Made anew
   * only when the include glob or the folders change: events between disposing the old watchers and
   * the new ones starting would be lost (a note written while a rebuild starts).
   */
  private watch(): void {
    const folders = vscode.workspace.workspaceFolders ?? [];
    const watching = JSON.stringify([this.include, ...folders.map((f) => f.uri.toString())]);
    if (watching === this.watching) return;
    this.watching = watching;
    for (const w of this.watchers) w.dispose();
    this.watchers = [];
    for (const folder of folders) {
      const notes = vscode.workspace.createFileSystemWatcher(new vscode.RelativePattern(folder, this.include), false, false, true);
      notes.onDidCreate((uri) => {
        this.queueRefresh(uri);
        this.noteBurst(uri);
      });
      notes.onDidChange((uri) => {
        // An open document's text is fresher than the disk (and the editor reports it itself).
        if (!vscode.workspace.textDocuments.some((d) => d.uri.toString() === uri.toString() && d.isDirty)) this.queueRefresh(uri);
        this.noteBurst(uri);
      });
      // A deleted folder is one event for the folder, whose name the include glob does not match:
      // deletions are watched for every path, and take every indexed file under it. Creations too:
      // a note written into a folder just made may never be reported (the watcher watches a new
      // folder only once told of it; parcel-bundler/watcher#243), so new folders are listed.
      const paths = vscode.workspace.createFileSystemWatcher(new vscode.RelativePattern(folder, '**/*'), false, true, false);
      paths.onDidDelete((uri) => {
        this.forget(uri);
        this.noteBurst(uri);
      });
      paths.onDidCreate((uri) => {
        if (this.matches(uri)) return; // a note: the notes watcher has it
        if (this.createdPaths.size < MAX_CREATED_PATHS) this.createdPaths.set(uri.toString(), uri);
        this.settleLater();
      });
      this.watchers.push(notes, paths);
    }
  }

  /**
   * Files or folders renamed or moved in the workbench. A folder's rename is one event for the
   * folder: everything indexed under its old path goes (the deletion watcher would forget it
   * anyway), and its notes are listed and read at the new path, which no watcher reports.
   */
  private async onRenamed(files: ReadonlyArray<{ readonly oldUri: vscode.Uri; readonly newUri: vscode.Uri }>): Promise<void> {
    for (const { oldUri, newUri } of files) {
      this.forget(oldUri);
      const stat = await vscode.workspace.fs.stat(newUri).then(
        (s) => s,
        () => undefined, // renamed again or deleted meanwhile
      );
      if (!stat) continue;
      if (stat.type & vscode.FileType.Directory) {
        // The include glob is relative to a workspace folder, not to this one: list everything, and
        // flushRefreshes keeps what matches.
        for (const uri of await vscode.workspace.findFiles(new vscode.RelativePattern(newUri, '**/*'))) this.queueRefresh(uri);
      } else if (this.matches(newUri)) {
        await this.refreshFile(newUri);
      }
    }
  }

  /** A file or folder is gone (or renamed): so is everything indexed at or under it. */
  private forget(uri: vscode.Uri): void {
    const key = uri.toString();
    // A read started before the deletion must not bring the note back (nor add one never indexed).
    const ticket = this.reads.start();
    this.reads.admit(key, ticket);
    this.stamps.delete(key);
    // An indexed file holds no other: a burst of deleted notes costs one lookup each, not a walk
    // over every indexed file (808 events after 5 000 notes went took a second that way).
    let changed = this.index.removeFile(key);
    if (!changed) {
      for (const f of this.index.filesUnder(key.replace(/\/?$/, '/'))) {
        this.reads.admit(f, ticket);
        changed = this.index.removeFile(f) || changed;
        this.stamps.delete(f);
      }
    }
    if (changed) this.notify();
  }

  /** The note filter per workspace folder: it runs for every file event (thousands in a burst). */
  private readonly filters = new Map<string, NoteFileFilter>();

  /** Which files of this folder are notes: mathNotes.series.include, minus files.exclude and search.exclude. */
  private rulesFor(folder: vscode.WorkspaceFolder): NoteFileRules {
    const setting = (section: string) => vscode.workspace.getConfiguration(section, folder.uri).get<Record<string, unknown>>('exclude');
    return { include: this.include, exclude: [...enabledGlobs(setting('files')), ...enabledGlobs(setting('search'))] };
  }

  /** Is this file a note of a workspace folder by the rules? */
  matches(uri: vscode.Uri): boolean {
    const folder = vscode.workspace.getWorkspaceFolder(uri);
    if (!folder) return false;
    let filter = this.filters.get(folder.uri.toString());
    if (!filter) {
      filter = noteFileFilter(this.rulesFor(folder));
      this.filters.set(folder.uri.toString(), filter);
    }
    const root = folder.uri.path.replace(/\/$/, '');
    return uri.path.startsWith(root + '/') && filter.isNote(uri.path.slice(root.length + 1));
  }

  /**
   * Every note of the workspace. Folders on disk are walked by a worker thread (listing 5 000 notes
   * there takes tens of milliseconds; findFiles, through the search process, about 300); others
   * (a virtual file system on the web) through findFiles, filtered by the same rules.
   */
  private async listNotes(): Promise<vscode.Uri[]> {
    const folders = vscode.workspace.workspaceFolders ?? [];
    const notes: vscode.Uri[] = [];
    let sliceStart = Date.now();
    if (this.workers && folders.every((f) => f.uri.scheme === 'file')) {
      const listed = await this.workers.list(folders.map((f) => ({ path: f.uri.fsPath, rules: this.rulesFor(f) })));
      if (listed) {
        // In slices: a URI's string (its key in the index, computed once and kept) takes a while for 5 000.
        for (const path of listed.flat()) {
          const uri = vscode.Uri.file(path);
          uri.toString();
          notes.push(uri);
          if (Date.now() - sliceStart > SLICE_MS) {
            await new Promise((resolve) => setTimeout(resolve, 0));
            sliceStart = Date.now();
          }
        }
        return notes;
      }
    }
    for (const uri of await vscode.workspace.findFiles(this.include)) {
      if (this.matches(uri)) notes.push(uri);
      if (Date.now() - sliceStart > SLICE_MS) {
        await new Promise((resolve) => setTimeout(resolve, 0));
        sliceStart = Date.now();
      }
    }
    return notes;
  }

  private refreshQueue = new Map<string, vscode.Uri>();
  private refreshTimer?: ReturnType<typeof setTimeout>;

  /**
   * File events come in bursts (a checkout, a copy of a folder): gather them, then re-read a few
   * here or many in the worker threads.
   */
  private queueRefresh(uri: vscode.Uri): void {
    this.refreshQueue.set(uri.toString(), uri);
    this.refreshTimer ??= setTimeout(() => void this.flushRefreshes(), 100);
  }

  private async flushRefreshes(): Promise<void> {
    const queued = [...this.refreshQueue.values()];
    this.refreshQueue.clear();
    this.refreshTimer = undefined;
    // Notes only: the watchers also report files that files.exclude hides (and a renamed folder
    // lists every file). One that no longer matches (a setting changed) leaves the index.
    // Checked in slices: a burst can be thousands of files.
    const uris: vscode.Uri[] = [];
    let dropped = false;
    let sliceStart = Date.now();
    for (const uri of queued) {
      if (this.matches(uri)) uris.push(uri);
      else if (this.index.removeFile(uri.toString())) {
        this.stamps.delete(uri.toString());
        dropped = true;
      }
      if (Date.now() - sliceStart > SLICE_MS) {
        await new Promise((resolve) => setTimeout(resolve, 0));
        sliceStart = Date.now();
      }
    }
    if (dropped) this.notify();
    if (uris.length > BULK_FILES) this.index.dropDerivedIndexes();
    const onDisk =
      this.workers && uris.length > 20
        ? uris.filter((u) => u.scheme === 'file' && !vscode.workspace.textDocuments.some((d) => d.uri.toString() === u.toString()))
        : [];
    const inWorkers = new Set(onDisk.map((u) => u.toString()));
    const ticket = this.reads.start();
    for (const uri of uris) if (!inWorkers.has(uri.toString())) await this.refreshFile(uri);
    // The workers skip files whose stamp is the one indexed (events for our own build).
    await this.workers?.summarize(
      onDisk.map((u) => ({ key: u.toString(), path: u.fsPath, stamp: this.stamps.get(u.toString()) })),
      (results) => {
        let changed = false;
        for (const r of results) {
          if (r.unchanged || !this.reads.admit(r.key, ticket)) continue;
          changed = true;
          if (r.posts) {
            this.index.setFile(r.key, r.posts);
            this.setStamp(r.key, r.stamp);
          } else {
            this.index.removeFile(r.key);
            this.stamps.delete(r.key);
          }
        }
        if (changed) this.notify();
      },
    );
  }

  /** Paths created in this burst that are not notes: folders among them are listed when it settles. */
  private readonly createdPaths = new Map<string, vscode.Uri>();
  private burstEvents = 0;
  private readonly burstFolders = new Map<string, vscode.Uri>();
  private burstTimer?: ReturnType<typeof setTimeout>;

  /** Count a file event; a burst big enough to lose events is checked against the disk once it settles. */
  private noteBurst(uri: vscode.Uri): void {
    this.burstEvents++;
    const folder = uri.with({ path: uri.path.replace(/\/[^/]*$/, '') || '/' });
    if (this.burstFolders.size < 10_000) this.burstFolders.set(folder.toString(), folder);
    this.settleLater();
  }

  /** Reconcile once the events have settled. */
  private settleLater(): void {
    if (this.burstTimer) clearTimeout(this.burstTimer);
    this.burstTimer = setTimeout(() => void this.reconcileBurst(), BURST_SETTLE_MS);
  }

  /**
   * After a big burst, the folders it touched as they are on disk: notes no event reported come in
   * (the workers skip the ones already indexed at their modification time), notes no longer there go.
   */
  private async reconcileBurst(): Promise<void> {
    const events = this.burstEvents;
    const folders = [...this.burstFolders.values()];
    const created = [...this.createdPaths.values()];
    this.burstEvents = 0;
    this.burstFolders.clear();
    this.createdPaths.clear();
    this.burstTimer = undefined;
    await this.listNewFolders(created);
    if (events < BURST_EVENTS) {
      if (this.refreshQueue.size) this.refreshTimer ??= setTimeout(() => void this.flushRefreshes(), 0);
      return;
    }
    const indexedIn = new Map<string, string[]>(); // indexed files by the folder they are directly in
    for (const f of this.index.files()) {
      const parent = f.slice(0, f.lastIndexOf('/') + 1);
      const list = indexedIn.get(parent);
      if (list) list.push(f);
      else indexedIn.set(parent, [f]);
    }
    for (const folder of folders) {
      const entries = await vscode.workspace.fs.readDirectory(folder).then(
        (e) => e,
        () => undefined, // the folder itself is gone: its deletion event took its notes
      );
      if (!entries) continue;
      const present = new Set<string>();
      for (const [name, type] of entries) {
        if (!(type & vscode.FileType.File)) continue;
        const uri = vscode.Uri.joinPath(folder, name);
        present.add(uri.toString());
        this.refreshQueue.set(uri.toString(), uri);
      }
      for (const f of indexedIn.get(folder.toString().replace(/\/?$/, '/')) ?? []) if (!present.has(f)) this.forget(vscode.Uri.parse(f));
    }
    this.refreshTimer ??= setTimeout(() => void this.flushRefreshes(), 0);
  }

  /**
   * Folders created in a burst, as they are now: their notes are read (the outermost folder only;
   * files and paths gone meanwhile are skipped).
   */
  private async listNewFolders(created: vscode.Uri[]): Promise<void> {
    const keys = new Set(created.map((u) => u.toString()));
    const outermost = created.filter((u) => !hasAncestorIn(u.toString(), keys));
    for (const uri of outermost) {
      const stat = await vscode.workspace.fs.stat(uri).then(
        (s) => s,
        () => undefined,
      );
      if (!stat || !(stat.type & vscode.FileType.Directory)) continue;
      // flushRefreshes keeps what matches the rules.
      for (const f of await vscode.workspace.findFiles(new vscode.RelativePattern(uri, '**/*'))) this.refreshQueue.set(f.toString(), f);
    }
  }

  /**
   * A document's posts with their citations as of its current text (the index's copy of an open
   * note lags typing by 150 ms; editor features need ranges that match the text on screen).
   * Once per version; a large note off the host's thread.
   */
  documentPosts(doc: vscode.TextDocument): Promise<readonly PostSummary[]> {
    const cached = this.documentSummaries.get(doc);
    if (cached?.version === doc.version) return cached.posts;
    const version = doc.version;
    const [key, path, text] = [doc.uri.toString(), doc.uri.path, documentText(doc)];
    const posts = this.summarizeElsewhere(key, path, text).then((elsewhere) => {
      if (elsewhere) return elsewhere;
      // Replaced by a newer text's request: that one's answer is the one to give.
      if (doc.version !== version && !doc.isClosed) return this.documentPosts(doc);
      return this.hereOrNothing(key, path, text);
    });
    this.documentSummaries.set(doc, { version, posts });
    return posts;
  }

  /** A note's posts from its text: here when it is short, else by the summarizer. */
  async summarize(key: string, path: string, text: string): Promise<PostSummary[]> {
    return (await this.summarizeElsewhere(key, path, text)) ?? this.hereOrNothing(key, path, text);
  }

  /**
   * A short note summarised here; a large one the summarizer did not do (it failed on it, or newer
   * text took its place) has no posts until it does: summarised here, it would hold the host's
   * thread (a 1 MB note: a second).
   */
  private hereOrNothing(key: string, path: string, text: string): PostSummary[] {
    return text.length > LARGE_NOTE_CHARS && this.summarizer ? [] : summarizeText(key, path, text);
  }

  /** Undefined when the text is short (summarised faster here), or the summarizer did not do it. */
  private async summarizeElsewhere(key: string, path: string, text: string): Promise<PostSummary[] | undefined> {
    return text.length > LARGE_NOTE_CHARS && this.summarizer ? this.summarizer(key, path, text) : undefined;
  }

  /** Re-read one file (created, changed on disk, closed unsaved); callers check that it matches. */
  async refreshFile(uri: vscode.Uri): Promise<void> {
    const key = uri.toString();
    const ticket = this.reads.start();
    const open = vscode.workspace.textDocuments.find((d) => d.uri.toString() === key);
    // An open document's text is the note unless the file is gone and the text unchanged: a file
    // deleted behind an editor stays open, and a late event for it (a rename's creation arrives
    // seconds late in a burst) must not bring it back. Unsaved text stays: saving writes it back.
    if (open && !open.isClosed && (open.isDirty || (await exists(uri)))) {
      const posts = await this.documentPosts(open);
      if (!this.reads.admit(key, ticket)) return;
      this.index.setFile(key, posts);
      this.stamps.delete(key);
      this.notify();
      return;
    }
    const text = await readText(uri);
    const posts = text === undefined ? undefined : await this.summarize(key, uri.path, text);
    if (!this.reads.admit(key, ticket)) return;
    this.stamps.delete(key);
    if (!posts) {
      if (this.index.removeFile(key)) this.notify();
      return;
    }
    this.index.setFile(key, posts);
    this.notify();
  }

  /** Follow an open note as it is typed: at most one summary per document every 150 ms. */
  private onTyping(doc: vscode.TextDocument): void {
    // Any file system a workspace folder lives on (file, vscode-vfs on vscode.dev, vscode-remote …);
    // untitled, git and output documents belong to no folder.
    if (doc.uri.scheme === 'git' || !this.matches(doc.uri)) return;
    const key = doc.uri.toString();
    if (this.typingTimers.has(key)) return;
    this.typingTimers.set(
      key,
      setTimeout(async () => {
        this.typingTimers.delete(key);
        if (doc.isClosed) return;
        // Opened, not typed in: the file is the note (gone if it was deleted), as refreshFile reads it.
        if (!doc.isDirty) return this.refreshFile(doc.uri);
        const ticket = this.reads.start();
        const posts = await this.documentPosts(doc);
        // Closed meanwhile: the file on disk is the truth again (onDidCloseTextDocument read it).
        if (doc.isClosed || !this.reads.admit(key, ticket)) return;
        this.index.setFile(key, posts);
        this.notify();
      }, 150),
    );
  }

  private setStamp(key: string, stamp: string | undefined): void {
    if (stamp === undefined) this.stamps.delete(key);
    else this.stamps.set(key, stamp);
  }

  /** Listeners hear once per burst of changes, after the backlinks are ready (built in slices). */
  private notify(): void {
    if (this.notifyTimer || this.buildsRunning > 0) return;
    this.notifyTimer = setTimeout(async () => {
      while (!this.index.warmBacklinks(SLICE_MS)) await new Promise((resolve) => setTimeout(resolve, 0));
      this.notifyTimer = undefined;
      this.changeEmitter.fire();
    }, 50);
  }

  dispose(): void {
    this.buildGeneration++;
    this.workers?.dispose();
    for (const t of this.typingTimers.values()) clearTimeout(t);
    if (this.notifyTimer) clearTimeout(this.notifyTimer);
    if (this.refreshTimer) clearTimeout(this.refreshTimer);
    if (this.burstTimer) clearTimeout(this.burstTimer);
    for (const d of [...this.disposables, ...this.watchers]) d.dispose();
  }
}

/** Whether a parent folder of `key` (a URI string) is among `keys`. */
function hasAncestorIn(key: string, keys: Set<string>): boolean {
  for (let at = key.lastIndexOf('/'); at > 0; at = key.lastIndexOf('/', at - 1)) if (keys.has(key.slice(0, at))) return true;
  return false;
}

async function exists(uri: vscode.Uri): Promise<boolean> {
  return vscode.workspace.fs.stat(uri).then(
    () => true,
    () => false,
  );
}

async function readText(uri: vscode.Uri): Promise<string | undefined> {
  try {
    const bytes = await vscode.workspace.fs.readFile(uri);
    return decodeNote(bytes).text;
  } catch {
    return undefined; // deleted meanwhile, binary, unreadable: not a note
  }
}

/** One build's shared account: what it saw, how far it is, what it cost the host. */
interface BuildRun {
  seen: Set<string>;
  done: number;
  hostMs: number;
  longestBatchMs: number;
  /** Everything this build reads is as of its start: a file event from then on reads it again, and wins. */
  ticket: number;
  cancelled: () => boolean;
  progress?: (done: number) => void;
}

/**
 * Progress for a build of `total` notes: nothing for a quick one; after 400 ms a notification with
 * counts, closed by `finish` (or at once when `over` already holds by then).
 */
function delayedProgress(total: number, over: () => boolean): { report: (done: number) => void; finish: () => void } {
  let report: ((n: number) => void) | undefined;
  let finish: (() => void) | undefined;
  const show = setTimeout(() => {
    void vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: vscode.l10n.t('Math Notes: indexing notes') },
      (progress) =>
        new Promise<void>((resolve) => {
          let last = 0;
          report = (n) => {
            progress.report({ message: vscode.l10n.t('{0} of {1}', n, total), increment: ((n - last) / total) * 100 });
            last = n;
          };
          finish = resolve;
          if (over()) resolve();
        }),
    );
  }, 400);
  return {
    report: (n) => report?.(n),
    finish: () => {
      clearTimeout(show);
      finish?.();
    },
  };
}
