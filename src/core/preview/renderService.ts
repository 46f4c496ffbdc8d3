// The extension host's side of the render worker: one request in flight per channel, later
// requests replace a waiting one (typing fast renders only the newest text), and a worker that
// hangs on hostile input is killed and replaced. The worker comes from the host: a worker thread
// on the desktop (src/node/renderWorker.ts), the web extension host's own worker on the web.

import type { EquationsData } from '../editor/equationsData';
import type { FormulaSvg, FormulaSvgOptions } from '../math/formulaSvg';
import type { PageCounts, RenderStats } from './protocol';
import type { LintOptions } from '../lint/lintNote';
import type { LintDiagnostic } from '../lint/types';
import type { PostSummary } from '../series/noteSummary';
import type { Snippet } from '../snippets/snippets';
import type { Locale } from '../l10n/message';
import type { RenderRequest, RenderResponse, WorkerMessage } from './renderRequests';
import { MirrorSender } from '../text/textMirror';

/** What RenderService needs of a worker (a subset of Node's worker_threads.Worker). */
export interface RenderWorker {
  postMessage(message: WorkerMessage): void;
  on(event: 'message', listener: (response: RenderResponse) => void): unknown;
  on(event: 'error', listener: (err: Error) => void): unknown;
  on(event: 'exit', listener: (code: number) => void): unknown;
  terminate(): unknown;
  /** Node: the worker does not keep the process alive. */
  unref?(): void;
}

/** A rendered page (as JSON, for the webview): `chunks` (JSON too) hold the HTML of the blocks it names without HTML. */
/** Why a render failed: the note itself, too long (killed), more heap than the worker may take, or the worker died. */
export type RenderFailure = 'error' | 'timeout' | 'memory' | 'crashed';

export type RenderResult =
  | { ok: true; page: PageCounts; pageJson: string; chunks: string[]; stats: RenderStats }
  | { ok: true; html: string; title: string | undefined; stats: RenderStats }
  | { ok: true; diagnostics: LintDiagnostic[]; omitted: number; milliseconds: number }
  | { ok: true; posts: PostSummary[] }
  | { ok: true; equations: EquationsData }
  | { ok: true; drawn: FormulaSvg }
  | { ok: true; snippets: Snippet[] }
  | { ok: false; reason: RenderFailure; message: string }
  | { superseded: true };

interface Waiting {
  request: Omit<RenderRequest, 'id'>;
  resolve: (r: RenderResult) => void;
  /** When its channel began to wait (a newer request for it keeps the time): how long it has yielded. */
  since: number;
}

/**
 * How long background work (lint, summaries, the equation analysis) waits, at most, for the
 * preview's page renders it yields to (see yieldTo): while a reader types without pause the
 * preview renders back to back, and lint and the Outline must still follow now and then.
 */
export const MAX_YIELD_MS = 1500;

export class RenderService {
  private worker: RenderWorker | undefined;
  private nextId = 1;
  private readonly inFlight = new Map<
    number,
    {
      channel: string;
      request: Omit<RenderRequest, 'id'>;
      done: (r: RenderResult) => void;
      timer: ReturnType<typeof setTimeout> | undefined;
      chunks: string[];
    }
  >();
  private readonly waiting = new Map<string, Waiting>();

  constructor(
    private readonly spawnWorker: () => RenderWorker,
    /**
     * A render that takes longer is abandoned and its worker replaced. Infinity: never (a worker
     * that runs on the caller's own thread cannot be stopped from outside, and its queue is shared).
     */
    private readonly timeoutMs = 60_000,
    /** The language of lint messages and of the messages in rendered pages. */
    private readonly locale: Locale = 'en',
    /**
     * The worker gets a copy of each message (a worker thread): a long note's text is then sent
     * once, and as edits after that (core/text/textMirror.ts). Not for a worker on the same thread.
     */
    mirrorTexts = false,
  ) {
    this.mirrors = mirrorTexts ? new MirrorSender() : undefined;
  }

  private readonly mirrors: MirrorSender | undefined;

  render(request: Omit<RenderRequest, 'id'>): Promise<RenderResult> {
    return new Promise((resolve) => {
      const previous = this.waiting.get(request.channel);
      if (previous) {
        // Its text is stale; a reset it asked for still has to happen.
        request = { ...request, reset: request.reset || previous.request.reset };
        previous.resolve({ superseded: true });
      }
      this.waiting.set(request.channel, { request, resolve, since: previous?.since ?? Date.now() });
      this.pump();
    });
  }

  /** The whole HTML fragment of a note (export), rendered off the caller's thread. */
  async renderHtml(
    text: string,
    fileName: string,
    macros: Record<string, string>,
  ): Promise<{ ok: true; html: string; title: string | undefined } | { ok: false; message: string }> {
    const channel = `html-${this.nextId}`;
    const r = await this.render({ channel, text, fileName, macros, reset: true, mode: 'html' });
    this.disposeChannel(channel);
    if ('superseded' in r) return { ok: false, message: 'superseded' };
    if (!r.ok) return { ok: false, message: r.message };
    return 'html' in r ? { ok: true, html: r.html, title: r.title } : { ok: false, message: 'unexpected page update' };
  }

  /**
   * A note's lint diagnostics (the most severe MAX_SHOWN_DIAGNOSTICS, and how many more there
   * are), computed in the worker. One per channel
   * at a time: newer text replaces a waiting request (typing fast lints only the newest text).
   */
  async lint(
    channel: string,
    text: string,
    fileName: string,
    macros: Record<string, string>,
    severity?: LintOptions['severity'],
  ): Promise<
    | { ok: true; diagnostics: LintDiagnostic[]; omitted: number; milliseconds: number }
    | { ok: false; message: string }
    | { superseded: true }
  > {
    const r = await this.render({ channel, text, fileName, macros, reset: false, mode: 'lint', severity });
    if ('superseded' in r) return r;
    if (!r.ok) return { ok: false, message: r.message };
    return 'diagnostics' in r ? r : { ok: false, message: 'unexpected render result' };
  }

  /**
   * A note's posts for the series index (summarizeText), in the worker. One per channel at a
   * time; newer text replaces a waiting request.
   */
  async summarize(
    channel: string,
    key: string,
    text: string,
    fileName: string,
  ): Promise<{ ok: true; posts: PostSummary[] } | { ok: false; message: string } | { superseded: true }> {
    const r = await this.render({ channel, text, fileName, key, macros: {}, reset: false, mode: 'summary' });
    if ('superseded' in r) return r;
    if (!r.ok) return { ok: false, message: r.message };
    return 'posts' in r ? r : { ok: false, message: 'unexpected render result' };
  }

  /**
   * A note's equation analysis for the editor's features (core/editor), made in the worker: the
   * host only rebuilds it from data. One per channel at a time; newer text replaces a waiting request.
   */
  async equations(
    channel: string,
    text: string,
    fileName: string,
    macros: Record<string, string>,
  ): Promise<{ ok: true; equations: EquationsData } | { ok: false; message: string } | { superseded: true }> {
    const r = await this.render({ channel, text, fileName, macros, reset: false, mode: 'equations' });
    if ('superseded' in r) return r;
    if (!r.ok) return { ok: false, message: r.message };
    return 'equations' in r ? r : { ok: false, message: 'unexpected render result' };
  }

  /** A formula drawn as an SVG image in the worker (MathJax, off the host's thread). One per channel at a time. */
  async draw(
    channel: string,
    draw: FormulaSvgOptions & { tex: string },
  ): Promise<{ ok: true; drawn: FormulaSvg } | { ok: false; message: string } | { superseded: true }> {
    const r = await this.render({ channel, text: '', fileName: '', macros: {}, reset: false, mode: 'draw', draw });
    if ('superseded' in r) return r;
    if (!r.ok) return { ok: false, message: r.message };
    return 'drawn' in r ? r : { ok: false, message: 'unexpected render result' };
  }

  /**
   * Starts the worker and runs a small note through it: its renderers load and its parse and render
   * paths are compiled before the first page is asked for (a cold worker took a first screen of
   * 0.2 s to 1.3 s in the test bed). A page asked for meanwhile goes next.
   */
  warm(): void {
    if (this.worker || this.inFlight.size || this.waiting.size) return;
    void this.render({ channel: 'warm', text: WARM_NOTE, fileName: 'warm.md', macros: {}, reset: true, mode: 'html' });
  }

  /** A note's runnable snippets, found in the worker (a long note's parse, off the host). One per channel at a time. */
  async snippets(
    channel: string,
    text: string,
    fileName: string,
  ): Promise<{ ok: true; snippets: Snippet[] } | { ok: false; message: string } | { superseded: true }> {
    const r = await this.render({ channel, text, fileName, macros: {}, reset: false, mode: 'snippets' });
    if ('superseded' in r) return r;
    if (!r.ok) return { ok: false, message: r.message };
    return 'snippets' in r ? r : { ok: false, message: 'unexpected render result' };
  }

  /**
   * Lets `preview`'s page renders go first: this service's work, but for what someone waits for
   * (a hover's image, an export), starts only when that service has no page to render, or after
   * MAX_YIELD_MS. The two workers are two threads on the machine's few cores: a 5 MB note's lint and
   * equation analysis took ~1 s of a core per keystroke, during the very render the reader watches.
   */
  yieldTo(preview: RenderService): void {
    this.yieldingTo = preview;
    preview.idleListeners.add(this.resume);
  }

  private yieldingTo: RenderService | undefined;
  private readonly idleListeners = new Set<() => void>();
  private readonly resume = () => this.pump();
  private yieldTimer: ReturnType<typeof setTimeout> | undefined;

  /** Whether a page is being rendered or waits to be. */
  private get rendersPage(): boolean {
    for (const job of this.inFlight.values()) if (isPage(job.request)) return true;
    for (const w of this.waiting.values()) if (isPage(w.request)) return true;
    return false;
  }

  /** Forget what a closed webview holds. */
  disposeChannel(channel: string): void {
    this.waiting.get(channel)?.resolve({ superseded: true });
    this.waiting.delete(channel);
    this.worker?.postMessage({ id: 0, dispose: channel } satisfies WorkerMessage);
    this.notifyIdle();
  }

  dispose(): void {
    this.yieldingTo?.idleListeners.delete(this.resume);
    clearTimeout(this.yieldTimer);
    for (const w of this.waiting.values()) w.resolve({ superseded: true });
    this.waiting.clear();
    // A timer left running would restart a worker after the end.
    for (const job of this.inFlight.values()) {
      clearTimeout(job.timer);
      job.done({ superseded: true });
    }
    this.inFlight.clear();
    void this.worker?.terminate();
    this.worker = undefined;
  }

  /**
   * Starts the most urgent waiting request when the worker is free. One at a time: the worker
   * would run posted requests in order anyway, and holding the rest back lets a preview's page
   * (the reader waits for it) overtake a note's lint or a series summary asked for before it,
   * and starts each request's time limit when it starts to run.
   */
  private pump(): void {
    if (this.inFlight.size) return;
    clearTimeout(this.yieldTimer);
    this.yieldTimer = undefined;
    // While the preview renders a page, work that yields to it is passed over (not what waits
    // behind it: a hover's image goes first), each request for at most MAX_YIELD_MS.
    const now = Date.now();
    const holding = this.yieldingTo?.rendersPage === true;
    let held = Infinity; // when the longest-held request began to wait
    let next: [string, Waiting] | undefined;
    for (const entry of this.waiting) {
      if (holding && yields(entry[1].request) && now - entry[1].since < MAX_YIELD_MS) {
        held = Math.min(held, entry[1].since);
        continue;
      }
      if (!next || urgency(entry[1].request) < urgency(next[1].request)) next = entry;
    }
    if (!next) {
      // Resumed when the preview has no page left to render (finish), or when the wait is over.
      if (held < Infinity) this.yieldTimer = setTimeout(this.resume, MAX_YIELD_MS - (now - held));
      return;
    }
    const [channel, { request, resolve }] = next;
    this.waiting.delete(channel);
    const id = this.nextId++;
    const timer = Number.isFinite(this.timeoutMs)
      ? setTimeout(
          () => this.restart('timeout', `Rendering took longer than ${this.timeoutMs / 1000} s and was stopped.`, id),
          this.timeoutMs,
        )
      : undefined;
    this.inFlight.set(id, { channel, request, timer, chunks: [], done: resolve });
    const worker = this.ensureWorker();
    const sent = this.mirrors && request.mode !== 'draw' ? this.mirrors.encode(request.fileName, request.text) : { text: request.text };
    worker.postMessage({ locale: this.locale, ...request, ...sent, id } satisfies WorkerMessage);
  }

  private ensureWorker(): RenderWorker {
    if (this.worker) return this.worker;
    const worker = this.spawnWorker();
    this.mirrors?.reset(); // a new worker keeps no text
    worker.on('message', (msg: RenderResponse) => {
      const job = this.inFlight.get(msg.id);
      if (!job) return;
      if ('chunk' in msg) {
        job.chunks.push(msg.chunk);
        return;
      }
      if (!msg.ok && msg.resend) this.resend(msg.id);
      else if (!msg.ok) this.finish(msg.id, { ok: false, reason: 'error', message: msg.message });
      else if ('html' in msg) this.finish(msg.id, { ok: true, html: msg.html, title: msg.title, stats: msg.stats });
      else if ('diagnostics' in msg)
        this.finish(msg.id, { ok: true, diagnostics: msg.diagnostics, omitted: msg.omitted, milliseconds: msg.milliseconds });
      else if ('posts' in msg) this.finish(msg.id, { ok: true, posts: msg.posts });
      else if ('equations' in msg) this.finish(msg.id, { ok: true, equations: msg.equations });
      else if ('drawn' in msg) this.finish(msg.id, { ok: true, drawn: msg.drawn });
      else if ('snippets' in msg) this.finish(msg.id, { ok: true, snippets: msg.snippets });
      else this.finish(msg.id, { ok: true, page: msg.page, pageJson: msg.pageJson, chunks: job.chunks, stats: msg.stats });
    });
    worker.on('error', (err: Error & { code?: string }) =>
      this.restart(err.code === 'ERR_WORKER_OUT_OF_MEMORY' ? 'memory' : 'crashed', err.message),
    );
    worker.on('exit', (code: number) => {
      if (this.worker === worker) this.restart('crashed', `exit code ${code}`);
    });
    // The worker must not keep a CLI or test process alive.
    worker.unref?.();
    this.worker = worker;
    return worker;
  }

  /** A render in flight ends: its caller hears, and its channel's next request starts. */
  private finish(id: number, result: RenderResult): void {
    const job = this.inFlight.get(id);
    if (!job) return;
    this.inFlight.delete(id);
    clearTimeout(job.timer);
    job.done(result);
    this.pump();
    this.notifyIdle();
  }

  /** Tells the services that yield to this one when it has no page left to render. */
  private notifyIdle(): void {
    if (this.idleListeners.size && !this.rendersPage) for (const listener of this.idleListeners) listener();
  }

  /** The worker lacked the text a request's edit applied to: the request goes again, its text whole. */
  private resend(id: number): void {
    const job = this.inFlight.get(id);
    if (!job) return;
    this.mirrors?.drop(job.request.fileName);
    this.requeue(id, job.request);
  }

  /**
   * Replaces the worker. The render that caused it (`culprit`, or all of them when the worker
   * died) fails; the others are queued again on the new worker, which knows no page: all reset.
   */
  private restart(reason: RenderFailure, message: string, culprit?: number): void {
    const old = this.worker;
    this.worker = undefined;
    void old?.terminate();
    for (const [id, job] of [...this.inFlight.entries()]) {
      if (culprit === undefined || id === culprit) this.finish(id, { ok: false, reason, message });
      else this.requeue(id, { ...job.request, reset: true });
    }
  }

  /** A request in flight goes back to wait (unless newer text for its channel waits already), and the next starts. */
  private requeue(id: number, request: Omit<RenderRequest, 'id'>): void {
    const job = this.inFlight.get(id)!;
    this.inFlight.delete(id);
    clearTimeout(job.timer);
    if (this.waiting.has(job.channel)) job.done({ superseded: true });
    // It had started: it does not yield again (since 0).
    else this.waiting.set(job.channel, { request, resolve: job.done, since: 0 });
    this.pump();
  }
}

/** What warm() renders: a heading, prose, inline and display math with a number, a reference, code. */
const WARM_NOTE =
  '# Warm\n\nText with $x^2$ and\n\n$$\n\\int_0^1 f(x)\\,dx \\label{w}\\tag{1}\n$$\n\nSee \\eqref{w}.\n\n```python\nprint(1)\n```\n';

const isPage = (request: Omit<RenderRequest, 'id'>) => (request.mode ?? 'page') === 'page';

/** Whether a request waits for another service's page renders (yieldTo): not what someone waits for now. */
function yields(request: Omit<RenderRequest, 'id'>): boolean {
  return request.mode !== 'draw' && request.mode !== 'html' && !isPage(request);
}

/** Which waiting request runs first: what a reader or a hover waits for, then background work. */
function urgency(request: Omit<RenderRequest, 'id'>): number {
  switch (request.mode ?? 'page') {
    case 'page':
      return 0;
    case 'draw':
    case 'equations':
    case 'html':
    case 'snippets':
      return 1;
    default:
      return 2; // lint, summary
  }
}
