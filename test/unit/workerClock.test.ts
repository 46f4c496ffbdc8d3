// A render in the worker thread says how much of its time was work and how much a wait for a core
// (Linux's per-thread schedstat): the latency bench reads it to tell a slow render from a starved one.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { Worker } from 'node:worker_threads';
import { RenderService } from '../../src/core/preview/renderService';
import { renderWorkerOptions } from '../../src/node/renderWorkerOptions';

const root = join(__dirname, '../../..');
const example = readFileSync(join(root, 'examples/光滑近似漫谈（一）：从最大值到Softmax.md'), 'utf8');

test(
  'a page render in the worker thread reports its time on a core and waiting for one (Linux)',
  { skip: process.platform !== 'linux' },
  async () => {
    const service = new RenderService(() => new Worker(join(root, 'dist/renderWorker.js'), renderWorkerOptions(0)));
    try {
      const r = await service.render({ channel: 'c', text: example, fileName: 'a.md', macros: {}, reset: true, mode: 'page' });
      assert.ok('stats' in r, 'a page came back');
      const { milliseconds, onCpu, waited } = r.stats;
      assert.equal(typeof onCpu, 'number');
      assert.equal(typeof waited, 'number');
      // Rendering the example takes tens of ms of work; work and waiting fit in the render's wall time,
      // give or take a scheduler tick: the kernel adds a running slice to schedstat when it accounts
      // it, so the first reading may lack a few ms the thread had already run (CI once: 52 + 0 in 49 ms).
      assert.ok(onCpu! > 0, `on a core ${onCpu} ms`);
      assert.ok(waited! >= 0);
      assert.ok(onCpu! + waited! <= milliseconds + 10, `${onCpu} + ${waited} within ${milliseconds} ms`);
    } finally {
      service.dispose();
    }
  },
);
