// How the extension starts a render worker thread: its priority (threadPriority.ts) and the most
// heap it may take. Node ends a worker that reaches its heap limit (ERR_WORKER_OUT_OF_MEMORY) and the
// host lives; RenderService then fails that render with the reason and starts a fresh worker. Without
// a limit of its own a worker may take the process's (~4 GB here): two of them, 8 GB.
import type { WorkerOptions } from 'node:worker_threads';
import type { RenderWorkerData } from './renderWorker';

/**
 * Heap per render worker. A 5 MB note of the blog's posts rendered whole reaches 1.2 GB (it is
 * rendered only around the reader: ~0.3 GB); 2 MB of dense math, ~1 GB.
 */
export const RENDER_WORKER_HEAP_MB = 2048;

export function renderWorkerOptions(niceness: number, heapMb = RENDER_WORKER_HEAP_MB): WorkerOptions {
  return { workerData: { niceness } satisfies RenderWorkerData, resourceLimits: { maxOldGenerationSizeMb: heapMb } };
}
