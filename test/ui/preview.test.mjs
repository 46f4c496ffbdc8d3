// What a person sees in the preview of a real workbench: the seed note rendered with numbered
// equations, \eqref jumps with a way back, the equation card, copy TeX, typing reaching the page,
// and the preview coming back after a reload. Screenshots go to test-artifacts/ui/.
import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import {
  EXAMPLES_DIR,
  openFile,
  openWorkbench,
  previewFrame,
  runCommand,
  screenshot,
  test,
  waitForWorkbench,
  sharedPath,
} from './helpers.mjs';

const SEED = sharedPath('seeds', '000_54c0bddacf9bba72.txt');
const EXAMPLE = '光滑近似漫谈（一）：从最大值到Softmax.md';

/** Is the element's box inside the preview's viewport? */
async function inView(locator) {
  return locator.evaluate((el) => {
    const r = el.getBoundingClientRect();
    return r.top >= 0 && r.bottom <= window.innerHeight;
  });
}

test('palette → Open Preview on a seed note shows every post with numbered equations', async () => {
  // The seed is read from ../shared at test time, into a throw-away workspace.
  const ws = mkdtempSync(path.join(tmpdir(), 'mn-seed-'));
  try {
    cpSync(SEED, path.join(ws, path.basename(SEED)));
    const { page } = await openWorkbench({ workspace: ws });
    await openFile(page, path.basename(SEED));
    await runCommand(page, 'Math Notes: Open Preview to the Side');
    const frame = previewFrame(page);
    await frame.locator('.katex-display').first().waitFor({ state: 'visible', timeout: 60_000 });
    assert.equal(await frame.locator('article.mn-post').count(), 8);
    assert.equal(await frame.locator('.katex-error').count(), 0);
    const tags = await frame.locator('.katex-tag').allInnerTexts();
    assert.ok(tags.length >= 5, `${tags.length} equation numbers`);
    assert.ok(tags.map((t) => t.replace(/[\s\u200b]/g, '')).includes('(1)'), tags.join(' '));
    // Titles and bylines as the blog shows them.
    assert.ok((await frame.locator('.mn-byline').count()) >= 7);
    await frame.locator('.mn-display.mn-numbered').first().scrollIntoViewIfNeeded();
    await screenshot(page, 'seed-000-preview');
  } finally {
    rmSync(ws, { recursive: true, force: true });
  }
});

test('example note: \\eqref jumps and comes back, hover card, copy TeX, typing, reload', async () => {
  const { page } = await openWorkbench({ workspace: EXAMPLES_DIR });
  await page.context().grantPermissions(['clipboard-read', 'clipboard-write']);
  await openFile(page, EXAMPLE);
  await runCommand(page, 'Math Notes: Open Preview to the Side');
  const frame = previewFrame(page);
  await frame.locator('.katex-display').first().waitFor({ state: 'visible', timeout: 60_000 });

  // The last \eqref of the note points back up to an equation out of view.
  const ref = frame.locator('a.mn-eqref').last();
  await ref.scrollIntoViewIfNeeded();
  const href = await ref.getAttribute('href');
  const target = frame
    .locator(`[id="${decodeURIComponent(href.slice(1))}"]`)
    .locator('xpath=ancestor-or-self::*[contains(@class,"mn-display")][1]');
  await ref.hover();
  await frame.locator('.mn-eq-card .katex').first().waitFor({ state: 'visible', timeout: 5_000 });
  await screenshot(page, 'example-eqref-hover', { docs: true });
  const before = await frame.locator('html').evaluate(() => window.scrollY);
  await ref.click();
  await frame.locator('.mn-display.mn-flash').first().waitFor({ timeout: 5_000 });
  assert.ok(await inView(target), 'the referenced equation is in view');
  await frame.locator('.mn-back').waitFor({ state: 'visible' });
  await screenshot(page, 'example-eqref-jump');
  await frame.locator('.mn-back').click();
  const after = await frame.locator('html').evaluate(() => window.scrollY);
  assert.ok(Math.abs(after - before) < 2, `back to ${before}, at ${after}`);

  // Copy TeX puts the author's TeX on the clipboard.
  const display = frame.locator('.mn-display[data-tex]').first();
  await display.scrollIntoViewIfNeeded();
  await display.hover();
  await display.locator('.mn-copy-tex').click();
  const expected = await display.getAttribute('data-tex');
  let copied = '';
  for (let i = 0; i < 20 && copied !== expected; i++) {
    copied = await page.evaluate(() => navigator.clipboard.readText()).catch(() => '');
    await page.waitForTimeout(100);
  }
  assert.equal(copied, expected);

  // Typing in the editor reaches the page, and the math already there is not typeset again:
  // the first equation is still the very same DOM node afterwards.
  const formulas = await frame.locator('.katex').count();
  await frame
    .locator('.mn-display')
    .first()
    .evaluate((el) => (el.__mnKept = true));
  await page.locator('.editor-instance .monaco-editor .view-lines').first().click();
  await page.keyboard.press('Control+End');
  await page.keyboard.type('\n\n$$\\alpha+\\beta=\\gamma$$\n');
  await frame.locator('annotation', { hasText: '\\alpha+\\beta=\\gamma' }).first().waitFor({ state: 'attached', timeout: 15_000 });
  assert.equal(await frame.locator('.katex').count(), formulas + 1);
  assert.equal(
    await frame
      .locator('.mn-display')
      .first()
      .evaluate((el) => el.__mnKept === true),
    true,
    'the first equation was rebuilt',
  );
  await screenshot(page, 'example-typed');

  // After a reload the preview is restored (WebviewPanelSerializer) with its content.
  // "Developer: Reload Window", as a person would: the workbench saves its layout before it goes
  // (a bare page reload may not give it the time).
  await page.keyboard.press('Control+S');
  await runCommand(page, 'Developer: Reload Window');
  await page.waitForTimeout(2000);
  await waitForWorkbench(page);
  await frame.locator('.katex-display').first().waitFor({ state: 'visible', timeout: 60_000 });
  await frame.locator('annotation', { hasText: '\\alpha+\\beta=\\gamma' }).first().waitFor({ state: 'attached', timeout: 15_000 });
  await screenshot(page, 'example-restored');
});

/** The first line number the editor shows (1-based). */
async function editorTopLine(page) {
  const numbers = await page
    .locator('.editor-instance .monaco-editor .margin-view-overlays .line-numbers')
    .evaluateAll((els) => els.map((e) => ({ n: Number(e.textContent), top: e.getBoundingClientRect().top })).filter((x) => x.n > 0));
  numbers.sort((a, b) => a.top - b.top);
  return numbers[0]?.n ?? 0;
}

test('scroll sync both ways, double-click to the source line, a note link opens the note', async () => {
  const { page } = await openWorkbench({ workspace: EXAMPLES_DIR });
  await openFile(page, EXAMPLE);
  await runCommand(page, 'Math Notes: Open Preview to the Side');
  const frame = previewFrame(page);
  await frame.locator('.katex-display').first().waitFor({ state: 'visible', timeout: 60_000 });
  const scrollY = () => frame.locator('html').evaluate(() => window.scrollY);

  // Editor → preview: go to a line far down; the preview follows.
  assert.equal(await scrollY(), 0);
  await page.locator('.editor-instance .monaco-editor .view-lines').first().click();
  await page.keyboard.press('Control+End');
  await page.waitForTimeout(1000);
  assert.ok((await scrollY()) > 200, `preview scrolled to ${await scrollY()}`);

  // Preview → editor: the reader wheels the preview down from the top; the editor follows.
  await page.keyboard.press('Control+Home');
  await page.waitForTimeout(800);
  const topBefore = await editorTopLine(page);
  const box = await page.locator('iframe.webview.ready').first().boundingBox();
  await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
  for (let i = 0; i < 12; i++) {
    await page.mouse.wheel(0, 100);
    await page.waitForTimeout(30);
  }
  await page.waitForTimeout(1000);
  const topAfter = await editorTopLine(page);
  assert.ok(topAfter > topBefore + 5, `editor top line ${topBefore} → ${topAfter}`);
  // A scroll the reader did not make (a script, a layout shift) leaves the editor where it is.
  await frame.locator('html').evaluate(() => window.scrollTo(0, 0));
  await page.waitForTimeout(1000);
  assert.equal(await editorTopLine(page), topAfter, 'a programmatic scroll of the preview moved the editor');

  // Double-click a display equation: the cursor goes to its source line.
  const display = frame.locator('.mn-display[data-line]').nth(2);
  await display.scrollIntoViewIfNeeded();
  // Its stamp counts from its block's first line (data-base).
  const line = await display.evaluate(
    (e) => Number(e.getAttribute('data-line')) + Number(e.closest('.mn-block')?.getAttribute('data-base') ?? 0),
  );
  await display.dblclick();
  await page
    .locator('.statusbar-item', { hasText: `Ln ${line + 1},` })
    .first()
    .waitFor({ timeout: 5_000 });
  await screenshot(page, 'example-scroll-sync');

  // A relative link to another note opens it, and the (unlocked) preview follows.
  // The double-click left the preview's group active: go back to the editor group first (Ctrl+1),
  // or the note would open over the preview.
  await page.locator('.editor-instance .monaco-editor .view-lines').first().click();
  await page.keyboard.press('Control+1');
  await page.locator('.explorer-folders-view .monaco-list-row', { hasText: '光滑近似漫谈（二）' }).first().click();
  await page.locator('.tabs-container .tab.active', { hasText: '光滑近似漫谈（二）' }).first().waitFor({ timeout: 15_000 });
  await page.locator('.tab', { hasText: 'Preview 光滑近似漫谈（二）' }).waitFor({ timeout: 15_000 });
  await frame.locator('a', { hasText: '上一篇' }).click();
  await page.locator('.tabs-container .tab.active', { hasText: EXAMPLE }).waitFor({ timeout: 15_000 });
  await page.locator('.tab', { hasText: `Preview ${EXAMPLE}` }).waitFor({ timeout: 15_000 });
  // The page now is the other note, whole: its post frame, its title, every formula rendered.
  await frame.locator('article.mn-post .mn-post-body h1', { hasText: '（一）' }).waitFor({ timeout: 15_000 });
  assert.equal(await frame.locator('article.mn-post').count(), 1);
  assert.equal(await frame.locator('.mn-block:empty').count(), 0, 'no empty blocks after switching notes');
  assert.equal(await frame.locator('.katex-error').count(), 0);
  await screenshot(page, 'example-link-followed');

  // Themes: the page takes VS Code's colours, also in high contrast.
  const colours = () =>
    frame.locator('.mn-note').evaluate((el) => ({
      fg: getComputedStyle(el).color,
      bg: getComputedStyle(document.body).backgroundColor,
      hc: document.body.classList.contains('vscode-high-contrast'),
    }));
  const light = await colours();
  await runCommand(page, 'Preferences: Color Theme');
  await page.keyboard.type('Dark High Contrast');
  await page.locator('.quick-input-widget .monaco-list-row', { hasText: 'Dark High Contrast' }).first().waitFor();
  await page.keyboard.press('Enter');
  await frame.locator('body.vscode-high-contrast').waitFor({ timeout: 10_000 });
  const hc = await colours();
  assert.equal(hc.hc, true);
  assert.notEqual(hc.fg, light.fg);
  assert.equal(hc.bg, 'rgb(0, 0, 0)');
  await screenshot(page, 'example-high-contrast');
});
