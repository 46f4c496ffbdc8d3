// Running a note's snippets from VS Code: only on an explicit action, never in Restricted Mode;
// one run per snippet at a time (a re-run cancels the previous), at most N runs at once; results
// kept per note for the preview, the editor's inline hints and the Output channel.
import * as vscode from 'vscode';
import type { SnippetResultView } from '../../core/preview/protocol';
import { compareOutput, DEFAULT_TOLERANCE } from '../../core/snippets/compare';
import { findSnippets, type Snippet } from '../../core/snippets/snippets';
import { stderrForReader } from '../../core/snippets/tracebacks';
import type { SnippetHost } from '../../node/snippets/snippetHost';
import type { RunResult } from '../../node/snippets/snippetRunner';
import { basename } from '../uris';
import { documentText } from '../documentText';
import type { RenderService } from '../../core/preview/renderService';

/**
 * Longer notes have their snippets found in a worker. Finding them is a block parse of the note:
 * on a 1 MB note 280 ms the first time (measured in Node; 680 ms on the host of the test bed,
 * asked for by the CodeLens as the note opened), then ~30 ms per version.
 */
const FIND_ON_HOST_MAX_CHARS = 64_000;

export class SnippetRuns implements vscode.Disposable {
  private readonly results = new Map<string, Map<number, SnippetResultView>>();
  private readonly running = new Map<string, AbortController>();
  private readonly changeEmitter = new vscode.EventEmitter<vscode.Uri>();
  /** A note's results changed (a run started or ended). */
  readonly onDidChange = this.changeEmitter.event;
  private readonly output = vscode.window.createOutputChannel(vscode.l10n.t('Math Notes Snippets'));
  private active = 0;
  private readonly waiting: Array<() => void> = [];
  private readonly found = new WeakMap<vscode.TextDocument, { version: number; snippets: Promise<Snippet[]> }>();

  /** `finder`: where a long note's snippets are found (a worker), its parse off the host's thread. */
  constructor(
    private readonly host: SnippetHost | undefined,
    private readonly finder?: RenderService,
  ) {}

  /** The results shown for a note, by the snippet's fence line. */
  resultsFor(uri: vscode.Uri): SnippetResultView[] {
    return [...(this.results.get(uri.toString())?.values() ?? [])];
  }

  /** A note's snippets, found once per version (CodeLens, hints and the preview all ask). */
  snippetsOf(doc: vscode.TextDocument): Promise<Snippet[]> {
    const known = this.found.get(doc);
    if (known?.version === doc.version) return known.snippets;
    const text = documentText(doc);
    const entry = {
      version: doc.version,
      snippets:
        this.finder && text.length >= FIND_ON_HOST_MAX_CHARS
          ? this.findInWorker(this.finder, doc, text)
          : Promise.resolve(findSnippets(text, doc.uri.path)),
    };
    this.found.set(doc, entry);
    return entry.snippets;
  }

  /** A long note's snippets from the worker; none when it failed or newer text took its turn (that search is not kept). */
  private async findInWorker(finder: RenderService, doc: vscode.TextDocument, text: string): Promise<Snippet[]> {
    const version = doc.version;
    const r = await finder.snippets(`snippets:${doc.uri.toString()}`, text, doc.uri.path);
    if ('ok' in r && r.ok) return r.snippets;
    if (this.found.get(doc)?.version === version) this.found.delete(doc);
    return [];
  }

  /** Why running is not possible here, or undefined when it is. */
  refusal(): string | undefined {
    if (!this.host)
      return vscode.l10n.t(
        'Running snippets needs VS Code on a desktop or a remote host: this VS Code (in a browser) cannot start processes.',
      );
    return vscode.workspace.isTrusted
      ? undefined
      : vscode.l10n.t('Running snippets is disabled in Restricted Mode: trust this workspace to run them.');
  }

  /** Runs one snippet of a note (an explicit action: a CodeLens, a preview button, a command). */
  async run(doc: vscode.TextDocument, snippet: Snippet): Promise<SnippetResultView | undefined> {
    const refusal = this.refusal();
    if (refusal) {
      if (!this.host) void vscode.window.showWarningMessage(refusal);
      else
        void vscode.window
          .showWarningMessage(refusal, vscode.l10n.t('Manage Workspace Trust'))
          .then((b) => b && vscode.commands.executeCommand('workbench.trust.manage'));
      return undefined;
    }
    const key = `${doc.uri.toString()}#${snippet.fenceLine}`;
    this.running.get(key)?.abort(); // a re-run replaces the run in progress
    const controller = new AbortController();
    this.running.set(key, controller);
    const pending = (status: 'queued' | 'running' | 'cancelled'): SnippetResultView => ({
      line: snippet.fenceLine,
      endLine: snippet.endLine,
      status,
      stdout: '',
      stderr: '',
      ms: 0,
      truncated: false,
    });
    if (this.active >= this.maxRuns()) this.put(doc.uri, pending('queued'));
    if (!(await this.slot(controller.signal))) {
      // Cancelled (Run All's Cancel) or replaced (a re-run) before it started.
      if (this.running.get(key) === controller) {
        this.running.delete(key);
        this.put(doc.uri, { ...pending('cancelled'), message: vscode.l10n.t('Cancelled.') });
      }
      return undefined;
    }
    this.put(doc.uri, pending('running'));
    try {
      const view = await this.execute(doc, snippet, controller.signal);
      if (this.running.get(key) !== controller) return undefined; // replaced meanwhile
      this.put(doc.uri, view);
      return view;
    } finally {
      this.active--;
      this.waiting.shift()?.();
      if (this.running.get(key) === controller) this.running.delete(key);
    }
  }

  /** Runs every snippet of the note in order, with progress and Cancel. */
  async runAll(doc: vscode.TextDocument): Promise<void> {
    const found = await this.snippetsOf(doc);
    if (this.refusal()) return void this.run(doc, found[0]);
    const snippets = found.filter((s) => !s.attributes.skip);
    await vscode.window.withProgress(
      {
        location: vscode.ProgressLocation.Notification,
        title: vscode.l10n.t('Math Notes: running the snippets of {0}', basename(doc.uri)),
        cancellable: true,
      },
      async (progress, token) => {
        for (const [i, s] of snippets.entries()) {
          if (token.isCancellationRequested) break;
          progress.report({ message: vscode.l10n.t('{0} of {1}', i + 1, snippets.length), increment: 100 / snippets.length });
          const cancel = token.onCancellationRequested(() => this.running.get(`${doc.uri.toString()}#${s.fenceLine}`)?.abort());
          await this.run(doc, s);
          cancel.dispose();
        }
      },
    );
  }

  private maxRuns(): number {
    return Math.max(1, vscode.workspace.getConfiguration('mathNotes.snippets').get<number>('maxConcurrentRuns', 2));
  }

  /** Takes a free run slot (mathNotes.snippets.maxConcurrentRuns), waiting for one; false when aborted first. */
  private async slot(signal: AbortSignal): Promise<boolean> {
    while (this.active >= this.maxRuns()) {
      if (signal.aborted) return false;
      await new Promise<void>((resolve) => {
        const wake = () => {
          signal.removeEventListener('abort', wake);
          this.waiting.splice(this.waiting.indexOf(wake) >>> 0, 1);
          resolve();
        };
        this.waiting.push(wake);
        signal.addEventListener('abort', wake);
      });
    }
    if (signal.aborted) return false;
    this.active++;
    return true;
  }

  private async execute(doc: vscode.TextDocument, snippet: Snippet, signal: AbortSignal): Promise<SnippetResultView> {
    const host = this.host!; // run() refuses without one
    const config = vscode.workspace.getConfiguration('mathNotes.snippets', doc.uri);
    const base: Pick<SnippetResultView, 'line' | 'endLine'> = { line: snippet.fenceLine, endLine: snippet.endLine };
    const notRun = (message: string): SnippetResultView => ({
      ...base,
      status: 'error',
      stdout: '',
      stderr: '',
      ms: 0,
      truncated: false,
      message,
    });
    let code = snippet.code;
    if (snippet.attributes.file) {
      const target = vscode.Uri.joinPath(doc.uri, '..', snippet.attributes.file);
      const folder = doc.uri.path.slice(0, doc.uri.path.lastIndexOf('/') + 1);
      const linkedOut = doc.uri.scheme === 'file' && target.scheme === 'file' && host.escapesThroughLink(doc.uri.fsPath, target.fsPath);
      if (!vscode.workspace.getWorkspaceFolder(target) || !target.path.startsWith(folder) || linkedOut) {
        return notRun(vscode.l10n.t('The attached file {0} is outside the note’s folder: not run.', snippet.attributes.file));
      }
      try {
        code = new TextDecoder().decode(await vscode.workspace.fs.readFile(target));
      } catch {
        return notRun(vscode.l10n.t('Cannot read the attached file {0}.', snippet.attributes.file));
      }
    }
    const result = await host.run(
      { language: snippet.language, code, doctest: snippet.doctest },
      {
        timeoutMs: (snippet.attributes.timeout ?? config.get<number>('timeoutSeconds', 10)) * 1000,
        outputCap: Math.max(1, config.get<number>('outputCapKB', 1024)) * 1024,
        memoryMb: config.get<number>('memoryMB', 512),
        pythonPath: snippet.language === 'python' ? await pythonPath(doc.uri) : undefined,
        sandboxScript: host.sandboxScript,
        signal,
      },
    );
    const label = vscode.workspace.asRelativePath(doc.uri, false);
    // As the CLI shows it: the note's lines, an attached file's own, a traceback from the snippet on.
    const stderr = stderrForReader(result.stderr, snippet, label, snippet.attributes.file);
    const view: SnippetResultView = {
      ...base,
      status: result.status,
      stdout: result.stdout,
      stderr,
      ms: result.ms,
      truncated: result.truncated,
      message: messageFor(result, snippet),
    };
    if (snippet.expected && result.status === 'ok') {
      const tolerance = snippet.attributes.tolerance ?? DEFAULT_TOLERANCE;
      const c = compareOutput(snippet.expected.text, result.stdout, tolerance);
      view.check = { pass: c.pass, diff: c.pass ? [] : c.diff, tolerance };
    }
    this.log(label, snippet, view);
    if (result.status === 'missing-interpreter') {
      void vscode.window
        .showErrorMessage(view.message!, vscode.l10n.t('Open Settings'))
        .then((b) => b && vscode.commands.executeCommand('workbench.action.openSettings', 'mathNotes.snippets.pythonPath'));
    }
    return view;
  }

  private put(uri: vscode.Uri, view: SnippetResultView): void {
    const key = uri.toString();
    if (!this.results.has(key)) this.results.set(key, new Map());
    this.results.get(key)!.set(view.line, view);
    this.changeEmitter.fire(uri);
  }

  private log(label: string, snippet: Snippet, v: SnippetResultView): void {
    this.output.appendLine(
      `── ${label}:${snippet.fenceLine + 1} ${snippet.language}: ${v.status} in ${v.ms} ms${v.check ? (v.check.pass ? ' · ✓ expected output' : ' · ✗ differs from the expected output') : ''}`,
    );
    if (v.stdout) this.output.append(v.stdout.endsWith('\n') ? v.stdout : v.stdout + '\n');
    if (v.stderr) this.output.append(v.stderr.endsWith('\n') ? v.stderr : v.stderr + '\n');
    if (v.message) this.output.appendLine(`[${v.message}]`);
    if (v.check && !v.check.pass) for (const d of v.check.diff) this.output.appendLine(`${d.kind} ${d.text}`);
  }

  /** Forget a note's results (it closed, or its snippets changed place). */
  clear(uri: vscode.Uri): void {
    if (this.results.delete(uri.toString())) this.changeEmitter.fire(uri);
  }

  dispose(): void {
    for (const c of this.running.values()) c.abort();
    this.output.dispose();
    this.changeEmitter.dispose();
  }
}

function messageFor(r: RunResult, snippet: Snippet): string | undefined {
  switch (r.status) {
    case 'timeout':
      return vscode.l10n.t(
        'Stopped after {0} s, the time limit (set timeout=… on the fence, or mathNotes.snippets.timeoutSeconds).',
        Math.round(snippet.attributes.timeout ?? vscode.workspace.getConfiguration('mathNotes.snippets').get<number>('timeoutSeconds', 10)),
      );
    case 'output-capped':
      return vscode.l10n.t('Stopped: the output passed the cap (mathNotes.snippets.outputCapKB); what came before is shown.');
    case 'out-of-memory':
      return vscode.l10n.t('Stopped: the snippet ran out of memory (mathNotes.snippets.memoryMB).');
    case 'cancelled':
      return vscode.l10n.t('Cancelled.');
    case 'missing-interpreter':
      return vscode.l10n.t('Python was not found ({0}). Set mathNotes.snippets.pythonPath to a Python 3 interpreter.', r.message ?? '');
    default:
      return r.message;
  }
}

/** mathNotes.snippets.pythonPath, else the Python extension's selected interpreter, else python3. */
async function pythonPath(resource: vscode.Uri): Promise<string> {
  const configured = vscode.workspace.getConfiguration('mathNotes.snippets', resource).get<string>('pythonPath', '').trim();
  if (configured) return configured;
  const ext = vscode.extensions.getExtension<{ environments?: { getActiveEnvironmentPath(r?: vscode.Uri): { path: string } } }>(
    'ms-python.python',
  );
  if (ext) {
    try {
      const api = ext.isActive ? ext.exports : await ext.activate();
      const found = api?.environments?.getActiveEnvironmentPath(resource)?.path;
      if (found) return found;
    } catch {
      /* the Python extension could not say: fall back */
    }
  }
  return 'python3';
}
