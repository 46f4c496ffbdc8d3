// The render "worker" of the web extension host, which is itself a web worker (the UI never waits
// on it) but has no worker threads to give: requests run here one task at a time, through the same
// handler as the desktop's worker thread, so RenderService's queueing and replies are unchanged.
import { createRenderHandler, type LoadFormulaSvg, type RenderResponse, type WorkerMessage } from '../core/preview/renderRequests';
import type { RenderWorker } from '../core/preview/renderService';

export class InProcessRenderWorker implements RenderWorker {
  private readonly messageListeners: Array<(response: RenderResponse) => void> = [];
  private readonly queue: WorkerMessage[] = [];
  private scheduled = false;
  private terminated = false;
  private readonly handle: (msg: WorkerMessage) => void;

  constructor(loadFormulaSvg?: LoadFormulaSvg) {
    this.handle = createRenderHandler((response) => {
      if (!this.terminated) for (const listener of this.messageListeners) listener(response);
    }, loadFormulaSvg);
  }

  postMessage(message: WorkerMessage): void {
    if (this.terminated) return;
    this.queue.push(message);
    this.schedule();
  }

  on(
    event: 'message' | 'error' | 'exit',
    listener: ((response: RenderResponse) => void) | ((err: Error) => void) | ((code: number) => void),
  ): this {
    // Nothing here can crash or exit apart from its caller: only replies are heard.
    if (event === 'message') this.messageListeners.push(listener as (response: RenderResponse) => void);
    return this;
  }

  terminate(): void {
    this.terminated = true;
    this.queue.length = 0;
  }

  /** One request per task: the extension host handles its other events between renders. */
  private schedule(): void {
    if (this.scheduled) return;
    this.scheduled = true;
    setTimeout(() => {
      this.scheduled = false;
      const next = this.queue.shift();
      if (next && !this.terminated) this.handle(next);
      if (this.queue.length) this.schedule();
    }, 0);
  }
}
