// What the extension asks the render workers besides pages: a long note's snippets (found there,
// off the host's thread, exactly as on the host).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { RenderService } from '../../src/core/preview/renderService';
import { findSnippets } from '../../src/core/snippets/snippets';
import { InProcessRenderWorker } from '../../src/web/inProcessRenderWorker';

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
