// The preview page's own script and styles (media/dist/preview.js, media/*.css) in Chromium,
// without a workbench, fed the messages the render worker really makes (out/src/core): what the
// reader sees stays put while a patch goes in above it.
// - A long note opened at line 10 000: the first screen, then the rest (several MB of block HTML,
//   applied in slices) replaces the placeholders above and below it.
// - An edit above the view that adds a long block.
// Each time the block at the top of the view must not move by more than a pixel or two.
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import http from 'node:http';
import { createRequire } from 'node:module';
import path from 'node:path';
import { REPO_ROOT, markTopBlock, sharedPath, test } from './helpers.mjs';
import { launchBrowser } from '../../scripts/testbed/server.mjs';

const require = createRequire(path.join(REPO_ROOT, 'package.json'));
const { createRenderHandler } = require(path.join(REPO_ROOT, 'out/src/core/preview/renderRequests.js'));

/**
 * Corpus notes one after another (again from the first when all are in), up to `chars` characters;
 * `reversed`: from the last note (another note than the first test's: the render caches, shared
 * by the tests of this process, would otherwise already hold its blocks, and a very long note's
 * first page shows every block it holds rendered).
 */
function longNote(chars = 600_000, reversed = false) {
  const dir = sharedPath('corpus', 'kexue-md');
  const files = readdirSync(dir)
    .filter((n) => n.endsWith('.md'))
    .sort();
  if (reversed) files.reverse();
  let text = '';
  for (let i = 0; text.length < chars; i++) text += readFileSync(path.join(dir, files[i % files.length]), 'utf8') + '\n\n';
  return text;
}

const PAGE = `<!DOCTYPE html><html lang="zh-CN"><head><meta charset="utf-8">
<link rel="stylesheet" href="/media/katex/katex.min.css"><link rel="stylesheet" href="/media/preview.css"><link rel="stylesheet" href="/media/webview.css">
<script>window.__sent = []; function acquireVsCodeApi() { return { postMessage: (m) => window.__sent.push(m), getState: () => undefined, setState: () => {} }; }</script>
</head><body class="mn-preview"><div id="mn-status" class="mn-status" hidden></div><main class="mn-note" id="mn-root"></main>
<script src="/media/dist/preview.js"></script></body></html>`;

/** Serves the page and the repository's media/ (nothing else). */
async function serve() {
  const server = http.createServer((req, res) => {
    const url = decodeURIComponent(new URL(req.url, 'http://x').pathname);
    if (url === '/') return (res.writeHead(200, { 'content-type': 'text/html' }), res.end(PAGE));
    const file = path.join(REPO_ROOT, path.normalize(url));
    if (!file.startsWith(path.join(REPO_ROOT, 'media'))) return (res.writeHead(404), res.end());
    try {
      const type = file.endsWith('.css') ? 'text/css' : file.endsWith('.js') ? 'text/javascript' : 'font/woff2';
      res.writeHead(200, { 'content-type': type }).end(readFileSync(file));
    } catch {
      res.writeHead(404).end();
    }
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, url: `http://127.0.0.1:${server.address().port}/` };
}

/** The render worker's handler, giving the messages the host would post for each request. */
function renderWorker() {
  let sink = [];
  const handler = createRenderHandler((r) => sink.push(r));
  return (request, version, line) => {
    sink = [];
    handler({ ...request, id: version });
    return sink.map((r) =>
      'chunk' in r
        ? { type: 'blocks', version, html: r.chunk }
        : {
            type: 'update',
            version,
            source: 'file:///long.md',
            baseHref: '/',
            page: r.pageJson,
            stats: r.stats,
            reset: request.reset,
            line: request.reset ? line : undefined,
            locked: false,
            timing: { changedAt: 0, renderedAt: 0, postedAt: 0 },
          },
    );
  };
}

/** The page in Chromium, served with media/; `use(page, post, errors)` runs against it. */
async function withPage(use) {
  const { server, url } = await serve();
  const browser = await launchBrowser();
  try {
    const page = await browser.newPage({ viewport: { width: 800, height: 900 } });
    const errors = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(url);
    const post = (messages) => page.evaluate((ms) => ms.forEach((m) => window.postMessage(m)), messages);
    await use(page, post, errors);
  } finally {
    await browser.close();
    server.close();
  }
}

const SETTINGS = {
  type: 'settings',
  settings: {
    fontSize: 14,
    lineHeight: 1.6,
    maxWidth: '50em',
    labels: {},
    scrollPreviewWithEditor: true,
    scrollEditorWithPreview: true,
    seriesBar: true,
    backlinks: true,
    doubleClickToSwitchToEditor: true,
  },
};

const markTop = (page) => markTopBlock(page.locator('html'));
const probeTop = (page) => page.evaluate(() => document.querySelector('[data-probe]')?.getBoundingClientRect().top);
const pendingCount = (page) => page.evaluate(() => document.querySelectorAll('.mn-pending').length);

test(
  "page patches keep the reader's place: the rest of a long note after its first screen, an edit above",
  async () => {
    const text = longNote();
    const line = 10_000;
    const render = renderWorker();
    const base = { channel: 'p', fileName: '/notes/long.md', macros: {} };
    const first = render({ ...base, text, reset: true, view: { line, lastLine: line } }, 1, line);
    const rest = render({ ...base, text, reset: false }, 2);
    await withPage(async (page, post, errors) => {
      await post([SETTINGS, ...first]);
      await page.waitForFunction(() => document.querySelector('.katex'));
      await page.waitForTimeout(2000); // the jump to the line settles
      assert.ok((await pendingCount(page)) >= 1, 'the first page has placeholders');
      const before = await markTop(page);
      assert.ok(
        before && !before.pending && Math.abs(before.line - (line - 1)) < 40,
        `the first screen at line ${line}: ${JSON.stringify(before)}`,
      );
      await post(rest);
      const moves = [];
      for (let i = 0; i < 240 && (await pendingCount(page)); i++) {
        moves.push((await probeTop(page)) - before.top);
        await page.waitForTimeout(250);
      }
      await page.waitForTimeout(500);
      moves.push((await probeTop(page)) - before.top);
      assert.equal(await pendingCount(page), 0, 'the rest came');
      const worst = Math.max(...moves.map(Math.abs));
      console.log(
        `    the rest of a ${(text.length / 1e6).toFixed(2)} M-character note: the top block moved at most ${worst.toFixed(1)} px over ${moves.length} looks`,
      );
      assert.ok(worst <= 2, `the top block moved: ${moves.map((m) => m.toFixed(0)).join(', ')}`);
      // An edit far above the view: a new long paragraph near the start.
      const at = text.indexOf('\n\n', 2000) + 2;
      const edited = text.slice(0, at) + '新加的一段，' + '很长的文字'.repeat(400) + '$x^2$。\n\n' + text.slice(at);
      const top = await markTop(page);
      await post(render({ ...base, text: edited, reset: false }, 3));
      await page.waitForFunction(() => [...document.querySelectorAll('p')].some((p) => p.textContent.startsWith('新加的一段')));
      await page.waitForTimeout(300);
      const moved = (await probeTop(page)) - top.top;
      assert.ok(Math.abs(moved) <= 2, `an edit above moved the view by ${moved} px`);
      assert.deepEqual(errors, []);
    });
  },
  { timeout: 300_000 },
);

test(
  'a very long note: placeholders the reader scrolls to are asked for, rendered, and patched in place',
  async () => {
    const text = longNote(1_600_000, true);
    const render = renderWorker();
    const base = { channel: 'lazy', fileName: '/notes/long.md', macros: {} };
    await withPage(async (page, post, errors) => {
      await post([SETTINGS, ...render({ ...base, text, reset: true, view: { line: 0, lastLine: 0 } }, 1, 0)]);
      await page.waitForFunction(() => document.querySelector('.mn-block > [data-line]:not(.mn-pending)'));
      const views = () => page.evaluate(() => window.__sent.filter((m) => m.type === 'viewport'));
      // Far down, into the placeholder: the page says where the reader is.
      // The wheel (reader input: it also ends the opening jump's settling).
      await page.mouse.move(400, 450);
      for (let i = 0; i < 60; i++) await page.mouse.wheel(0, 900);
      await page.waitForFunction(() => window.__sent.some((m) => m.type === 'viewport' && m.line > 0));
      const view = (await views()).at(-1);
      assert.ok(view.lastLine > view.line, JSON.stringify(view));
      const pendingBefore = await pendingCount(page);
      const top = await markTop(page);
      assert.ok(top?.pending, `the reader is on a placeholder: ${JSON.stringify(top)}`);
      await post(render({ ...base, text, reset: false, view }, 2));
      // The view now shows rendered blocks, of the stretch the reader went to.
      await page.waitForFunction(
        () =>
          [...document.querySelectorAll('.mn-block > [data-line]:not(.mn-pending)')].some((k) => {
            const r = k.getBoundingClientRect();
            return r.top >= 0 && r.bottom <= window.innerHeight;
          }),
        null,
        { timeout: 30_000 },
      );
      const now = await markTop(page);
      assert.ok(
        !now.pending && now.line >= view.line && now.line <= view.lastLine,
        `the reader's stretch rendered: ${JSON.stringify({ view, now })}`,
      );
      assert.ok((await pendingCount(page)) >= 1, 'the rest of the note still waits');
      console.log(
        `    ${(text.length / 1e6).toFixed(2)} M characters: ${pendingBefore} placeholders, the reader at lines ${view.line + 1}–${view.lastLine + 1} asked for and shown (line ${now.line + 1} on top)`,
      );
      assert.deepEqual(errors, []);
    });
  },
  { timeout: 300_000 },
);
