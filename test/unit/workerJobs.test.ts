// What the extension asks the render workers besides pages: a long note's snippets (found there,
// off the host's thread, exactly as on the host) and the warm-up of the preview's worker.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { WorkerMessage } from '../../src/core/preview/renderRequests';
import { RenderService } from '../../src/core/preview/renderService';
import { findSnippets } from '../../src/core/snippets/snippets';
import { InProcessRenderWorker } from '../../src/web/inProcessRenderWorker';

/** An in-process worker that keeps what it was sent. */
class CountingWorker extends InProcessRenderWorker {
  sent: WorkerMessage[] = [];
  override postMessage(message: WorkerMessage): void {
    this.sent.push(message);
    super.postMessage(message);
  }
}

const NOTE = [
  '# 验算',
  '',
  '$$x^2 \\label{a}$$',
  '',
  '1. 列表里的代码：',
  '',
  '   ```python',
  '   print(1 + 1)',
  '   ```',
  '',
  '```output',
  '2',
  '```',
  '',
  '> ```js {skip}',
  '> console.log(3)',
  '> ```',
  '',
  '~~~python',
  'print("未闭合")',
].join('\n');

test('snippets found in the worker are the ones the host finds', async () => {
  const service = new RenderService(() => new InProcessRenderWorker());
  try {
    const r = await service.snippets('snippets:a', NOTE, '/notes/a.md');
    assert.ok('ok' in r && r.ok, JSON.stringify(r));
    const expected = findSnippets(NOTE, '/notes/a.md');
    assert.equal(expected.length, 3);
    assert.deepEqual(r.snippets, expected);
    const none = await service.snippets('snippets:b', '# 无代码\n\n$x$\n', '/notes/b.md');
    assert.ok('ok' in none && none.ok && none.snippets.length === 0);
  } finally {
    service.dispose();
  }
});

test('warm() starts the worker with a small render once; a page asked for then renders as usual', async () => {
  const workers: CountingWorker[] = [];
  const service = new RenderService(() => {
    const w = new CountingWorker();
    workers.push(w);
    return w;
  });
  try {
    service.warm();
    service.warm();
    assert.equal(workers.length, 1, 'one worker started');
    const page = await service.render({ channel: 'p', text: NOTE, fileName: '/notes/a.md', macros: {}, reset: true });
    assert.ok('ok' in page && page.ok && 'pageJson' in page);
    assert.match(page.pageJson + page.chunks.join(''), /katex/);
    const modes = workers[0].sent.map((m) => ('dispose' in m ? 'dispose' : (m.mode ?? 'page')));
    assert.deepEqual(modes, ['html', 'page'], 'the warm-up ran once, before the page');
    service.warm(); // a worker that runs already needs none
    assert.equal(workers[0].sent.length, 2);
  } finally {
    service.dispose();
  }
});
