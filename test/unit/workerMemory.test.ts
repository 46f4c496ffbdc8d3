// A render worker has a heap limit of its own: a note that needs more ends that worker, not the
// extension host's process; the render says why, and the next one runs on a fresh worker.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { Worker } from 'node:worker_threads';
import { RenderService } from '../../src/core/preview/renderService';
import { RENDER_WORKER_HEAP_MB, renderWorkerOptions } from '../../src/node/renderWorkerOptions';

const root = join(__dirname, '../../..');
const workerPath = join(root, 'dist/renderWorker.js');
const example = readFileSync(join(root, 'examples/光滑近似漫谈（一）：从最大值到Softmax.md'), 'utf8');

test('the extension starts its render workers with a heap limit', () => {
  assert.deepEqual(renderWorkerOptions(5).resourceLimits, { maxOldGenerationSizeMb: RENDER_WORKER_HEAP_MB });
  assert.ok(RENDER_WORKER_HEAP_MB >= 1024 && RENDER_WORKER_HEAP_MB <= 4096);
});

test('a note that needs more heap than the worker may take fails with the reason; the next render works', async () => {
  // The limit made small, so that a few MB of notes exceed it.
  const service = new RenderService(() => new Worker(workerPath, renderWorkerOptions(0, 64)));
  try {
    // 60 000 different formulas (the formula memo would share equal ones).
    const big = Array.from({ length: 60_000 }, (_, k) => `$$\\sum_{i=1}^{n} x_i^{${k}} + \\frac{${k}}{2}$$`).join('\n\n');
    const r = await service.render({ channel: 'c', text: big, fileName: 'big.md', macros: {}, reset: true, mode: 'html' });
    assert.ok('ok' in r && !r.ok, 'the render failed');
    assert.equal(r.reason, 'memory');
    assert.match(r.message, /memory/);
    const small = await service.render({ channel: 'c', text: example, fileName: 'a.md', macros: {}, reset: true, mode: 'html' });
    assert.ok('html' in small && small.html.includes('katex'));
  } finally {
    service.dispose();
  }
});
