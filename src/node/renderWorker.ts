// The render worker thread (desktop): owns the render caches so that rendering a large note never
// blocks the extension host. What it does with a request: src/core/preview/renderRequests.ts.

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parentPort, workerData } from 'node:worker_threads';
import { createRenderHandler, type LoadFormulaSvg, type ThreadClock } from '../core/preview/renderRequests';
import type * as FormulaSvgModule from '../core/math/formulaSvg';
import { lowerThisThread } from './threadPriority';

/** What the host tells a render worker when it starts it. */
export interface RenderWorkerData {
  /** How far below the host this thread runs (see threadPriority.ts). */
  niceness?: number;
}

lowerThisThread((workerData as RenderWorkerData | undefined)?.niceness ?? 0);

/** MathJax's drawer for hovers, dist/formulaSvg.js beside this bundle, read on the first drawing. */
const loadFormulaSvg: LoadFormulaSvg = async () => {
  return require(join(__dirname, 'formulaSvg.js')) as typeof FormulaSvgModule;
};

/** This thread's time on a core and waiting for one (ms), from Linux's /proc/thread-self/schedstat; elsewhere none. */
const threadClock: ThreadClock = () => {
  try {
    const [run, waited] = readFileSync('/proc/thread-self/schedstat', 'utf8').split(' ').map(Number);
    return Number.isFinite(run) && Number.isFinite(waited) ? { run: run / 1e6, waited: waited / 1e6 } : undefined;
  } catch {
    return undefined;
  }
};

const handle = createRenderHandler((response) => parentPort!.postMessage(response), loadFormulaSvg, threadClock);
parentPort?.on('message', handle);
