// Two render workers share the machine's cores: the background one (lint, summaries, the equation
// analysis) waits while the preview's worker renders a page the reader watches, and never longer
// than MAX_YIELD_MS.
import assert from 'node:assert/strict';
import { test, type TestContext } from 'node:test';
import type { RenderRequest, RenderResponse, WorkerMessage } from '../../src/core/preview/renderRequests';
import { MAX_YIELD_MS, RenderService, type RenderWorker } from '../../src/core/preview/renderService';

/** A worker that answers only when told to: what it was sent, and a way to answer each. */
class HeldWorker implements RenderWorker {
  sent: RenderRequest[] = [];
  private listener?: (r: RenderResponse) => void;
  postMessage(message: WorkerMessage): void {
    if (!('dispose' in message)) this.sent.push(message);
  }
  on(event: string, listener: (r: never) => void): this {
    if (event === 'message') this.listener = listener as (r: RenderResponse) => void;
    return this;
  }
  terminate(): void {}
  /** Answers the request sent `nth` (a lint's or a page's answer, as the worker would post it). */
  answer(nth: number): void {
    const m = this.sent[nth];
    this.listener!(
      m.mode === 'lint'
        ? { id: m.id, ok: true, diagnostics: [], omitted: 0, milliseconds: 1 }
        : ({ id: m.id, ok: true, page: { changedBlocks: 0, totalBlocks: 0 }, pageJson: '{}', stats: {} } as unknown as RenderResponse),
    );
  }
}

const settle = (ms = 20) => new Promise((resolve) => setTimeout(resolve, ms));

/** A preview's service and a background one that yields to it, each on a held worker; disposed after the test. */
function yieldingPair(t: TestContext) {
  const pageWorker = new HeldWorker();
  const lintWorker = new HeldWorker();
  const preview = new RenderService(() => pageWorker);
  const background = new RenderService(() => lintWorker);
  background.yieldTo(preview);
  t.after(() => {
    preview.dispose();
    background.dispose();
  });
  return { pageWorker, lintWorker, preview, background };
}

test('background work waits while the preview renders a page, then runs', async (t) => {
  const { pageWorker, lintWorker, preview, background } = yieldingPair(t);
  const page = preview.render({ channel: 'p', text: '# a', fileName: '/a.md', macros: {}, reset: true });
  await settle();
  assert.equal(pageWorker.sent.length, 1);
  const lint = background.lint('lint:a', '# a', '/a.md', {});
  await settle();
  assert.equal(lintWorker.sent.length, 0, 'lint waits while the page renders');
  // A newer page waiting behind the one in flight: lint still waits.
  const next = preview.render({ channel: 'p', text: '# ab', fileName: '/a.md', macros: {}, reset: false });
  pageWorker.answer(0);
  await page;
  await settle();
  assert.equal(lintWorker.sent.length, 0, 'a page still waits to render');
  pageWorker.answer(1);
  await next;
  await settle();
  assert.deepEqual(
    lintWorker.sent.map((m) => m.mode),
    ['lint'],
    'lint starts once no page is left',
  );
  lintWorker.answer(0);
  assert.ok('ok' in (await lint));
  // A hover's image does not wait, not even behind an analysis asked for before it.
  const page3 = preview.render({ channel: 'p', text: '# abc', fileName: '/a.md', macros: {}, reset: false });
  void background.equations('equations:a', '# abc', '/a.md', {});
  await settle();
  void background.draw('draw', { tex: 'x', display: false });
  await settle();
  assert.deepEqual(
    lintWorker.sent.map((m) => m.mode),
    ['lint', 'draw'],
  );
  pageWorker.answer(2);
  await page3;
  lintWorker.answer(1);
  await settle();
  assert.deepEqual(
    lintWorker.sent.map((m) => m.mode),
    ['lint', 'draw', 'equations'],
    'the analysis follows once the page is done',
  );
});

test('background work waits at most MAX_YIELD_MS for a preview that keeps rendering', async (t) => {
  const { lintWorker, preview, background } = yieldingPair(t);
  void preview.render({ channel: 'p', text: '# a', fileName: '/a.md', macros: {}, reset: true });
  const asked = Date.now();
  void background.lint('lint:a', '# a', '/a.md', {});
  // Newer text for the same note keeps the first request's place in time.
  await settle(MAX_YIELD_MS / 2);
  void background.lint('lint:a', '# ab', '/a.md', {});
  while (!lintWorker.sent.length && Date.now() - asked < MAX_YIELD_MS * 3) await settle(10);
  const waited = Date.now() - asked;
  assert.equal(lintWorker.sent.length, 1);
  assert.equal(lintWorker.sent[0].text, '# ab', 'the newest text is linted');
  assert.ok(waited >= MAX_YIELD_MS - 20 && waited < MAX_YIELD_MS + 500, `waited ${waited} ms`);
});
