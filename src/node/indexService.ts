// Client of the index workers: splits a list of files between up to two threads and hands back
// summaries in batches as they come. The threads end when idle, so an indexed workspace costs none.

import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import type { IndexRequest, IndexResponse, ListRequest, ListResponse } from './indexWorker';

export class IndexService {
  private nextId = 0;
  /** Threads started ahead of work (warmUp), so their start-up overlaps listing the files. */
  private spare: Worker[] = [];
  private spareTimer?: ReturnType<typeof setTimeout>;

  constructor(private readonly workerPath: string) {}

  /** Starts the threads a big job will use; unused ones end after a few seconds. */
  warmUp(): void {
    while (this.spare.length < Math.min(2, availableParallelism())) {
      const worker = new Worker(this.workerPath);
      worker.on('error', () => (this.spare = this.spare.filter((w) => w !== worker)));
      this.spare.push(worker);
    }
    clearTimeout(this.spareTimer);
    this.spareTimer = setTimeout(() => this.dropSpare(), 10_000);
    this.spareTimer.unref?.();
  }

  private dropSpare(): void {
    for (const w of this.spare) void w.terminate();
    this.spare = [];
  }

  dispose(): void {
    clearTimeout(this.spareTimer);
    this.dropSpare();
  }

  /**
   * The notes under each root by its rules, listed by a thread (which then stays ready to
   * summarise). Undefined when the thread fails: the caller lists another way.
   */
  list(roots: ListRequest['roots']): Promise<string[][] | undefined> {
    this.warmUp();
    const worker = this.spare[0];
    const id = ++this.nextId;
    return new Promise((resolve) => {
      const onMessage = (m: ListResponse) => {
        if (m.id !== id) return;
        worker.off('message', onMessage);
        worker.off('error', onError);
        resolve(m.paths);
      };
      const onError = () => resolve(undefined);
      worker.on('message', onMessage);
      worker.on('error', onError);
      worker.postMessage({ kind: 'list', id, roots } satisfies ListRequest);
    });
  }

  /**
   * Summarises `files`, calling `onBatch` as results arrive; resolves when all are done or
   * `cancelled()` turns true (checked per batch). Files that cannot be read come back without posts.
   */
  async summarize(
    files: IndexRequest['files'],
    onBatch: (results: IndexResponse['results']) => void,
    cancelled: () => boolean = () => false,
  ): Promise<void> {
    if (files.length === 0) return;
    const threads = Math.max(1, Math.min(2, availableParallelism(), Math.ceil(files.length / 200)));
    const shares = Array.from({ length: threads }, (_, t) => files.filter((_, i) => i % threads === t));
    await Promise.all(shares.map((share) => this.run(share, onBatch, cancelled)));
  }

  private run(files: IndexRequest['files'], onBatch: (r: IndexResponse['results']) => void, cancelled: () => boolean): Promise<void> {
    return new Promise((resolve) => {
      const worker = this.spare.pop() ?? new Worker(this.workerPath);
      const id = ++this.nextId;
      const finish = () => {
        void worker.terminate();
        resolve();
      };
      worker.on('message', (m: IndexResponse) => {
        if (m.id !== id) return;
        if (cancelled()) return finish();
        onBatch(m.results);
        if (m.done) finish();
      });
      // A thread that dies leaves its files out of the index; the rest goes on.
      worker.on('error', finish);
      worker.on('exit', () => resolve());
      worker.postMessage({ kind: 'summarize', id, files } satisfies IndexRequest);
    });
  }
}
