// The render worker thread (desktop): owns the render caches so that rendering a large note never
// blocks the extension host. What it does with a request: src/core/preview/renderRequests.ts.

import { parentPort } from 'node:worker_threads';
import { createRenderHandler } from '../core/preview/renderRequests';

const handle = createRenderHandler((response) => parentPort!.postMessage(response));
parentPort?.on('message', handle);
