// Snippets in a real workbench: ▶ Run (CodeLens) on an example note's Python block → its output and
// the expected-output check under the block in the preview; the preview's own Run button on a
// JavaScript block; Run All with a failing check's diff and Cancel; and in Restricted Mode nothing
// runs and both places say why.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openFile, openWorkbench, previewFrame, runCommand, screenshot, test } from './helpers.mjs';

const PART_1 = '光滑近似漫谈（一）：从最大值到Softmax.md';
const PART_2 = '光滑近似漫谈（二）：Top-k的光滑近似.md';

test('CodeLens ▶ Run shows the output and the check under the block in the preview; the preview runs JS too', async () => {
  const { page } = await openWorkbench();
  await openFile(page, PART_1);
  await runCommand(page, 'Math Notes: Open Preview to the Side');
  const frame = previewFrame(page);
  await frame.locator('.mn-run').first().waitFor({ state: 'visible', timeout: 60_000 });
  // The CodeLens above the fence, in the editor (scrolled to it: Go to Line).
  await page.keyboard.press('Control+1');
  await page.keyboard.press('Control+g');
  await page.keyboard.type('40');
  await page.keyboard.press('Enter');
  const lens = page.locator('.codelens-decoration a', { hasText: '▶ Run' }).first();
  await lens.waitFor({ state: 'visible', timeout: 30_000 });
  const clicked = Date.now();
  await lens.click();
  const result = frame.locator('.mn-run-result[data-status="ok"]');
  await result.waitFor({ state: 'visible', timeout: 30_000 });
  // A figure for the "within a second" (printed, not asserted: timings belong in the bench).
  console.log(`      ▶ Run click → output under the block in the preview: ${Date.now() - clicked} ms`);
  assert.match(await result.locator('.mn-run-stdout').innerText(), /^1\.0\s*$/);
  assert.match(await result.locator('.mn-run-check').innerText(), /✓/);
  // The inline hint after the closing fence.
  await page
    .locator('.view-lines', { hasText: '✓' })
    .first()
    .waitFor({ state: 'visible', timeout: 10_000 })
    .catch(() => {});
  await result.scrollIntoViewIfNeeded();
  await screenshot(page, 'snippet-run-python', { docs: true });

  // The JavaScript block of part 2, run from the preview's own button.
  // From the explorer, with the editor group active (quick open raced the inline hint's repaint).
  await page.keyboard.press('Control+1');
  await page.locator('.explorer-folders-view .monaco-list-row', { hasText: PART_2 }).click();
  await page.locator('.tabs-container .tab.active', { hasText: PART_2 }).waitFor({ state: 'visible', timeout: 30_000 });
  const run = frame.locator('.mn-code:has(code.language-js) > .mn-run');
  await run.waitFor({ state: 'visible', timeout: 30_000 });
  await run.click();
  const js = frame.locator('.mn-run-result[data-status="ok"] .mn-run-stdout');
  await js.waitFor({ state: 'visible', timeout: 30_000 });
  assert.match(await js.innerText(), /0\.993 0\.007 0\.000 1\.000/);
});

test('Restricted Mode: no snippet runs; the CodeLens and the preview button say why', async () => {
  const { page } = await openWorkbench({ trust: true });
  await page.getByRole('button', { name: "No, I don't trust the authors" }).click({ timeout: 30_000 });
  await openFile(page, PART_1);
  const lens = page.locator('.codelens-decoration a', { hasText: 'Restricted Mode' }).first();
  await lens.waitFor({ state: 'visible', timeout: 30_000 });
  await runCommand(page, 'Math Notes: Open Preview to the Side');
  const frame = previewFrame(page);
  const button = frame.locator('.mn-run').first();
  await button.waitFor({ state: 'visible', timeout: 60_000 });
  assert.equal(await button.isDisabled(), true);
  assert.match((await button.getAttribute('title')) ?? '', /Restricted Mode/);
  await screenshot(page, 'snippet-restricted');
  assert.equal(await frame.locator('.mn-run-result').count(), 0);
});

test('Run All: a failing check shows its diff in the preview; Cancel in the progress notification stops the run', async () => {
  const ws = mkdtempSync(join(tmpdir(), 'mn-ui-runall-'));
  try {
    writeFileSync(
      join(ws, '全部运行.md'),
      [
        '# 全部运行',
        '',
        '```python',
        'print(1 + 1)',
        '```',
        '',
        '```output',
        '3',
        '```',
        '',
        '```python',
        'import time; time.sleep(20); print("slow")',
        '```',
        '',
        '```python',
        'print("third")',
        '```',
        '',
      ].join('\n'),
    );
    const { page } = await openWorkbench({ workspace: ws });
    await openFile(page, '全部运行.md');
    await runCommand(page, 'Math Notes: Open Preview to the Side');
    const frame = previewFrame(page);
    await frame.locator('.mn-run').first().waitFor({ state: 'visible', timeout: 60_000 });
    await page.keyboard.press('Control+1');
    await runCommand(page, 'Math Notes: Run All Snippets of the Note');
    // The first snippet's check fails: the diff under it, expected line first.
    const failed = frame.locator('.mn-run-result:has(.mn-fail)');
    await failed.waitFor({ state: 'visible', timeout: 30_000 });
    assert.equal(await failed.getAttribute('data-check'), 'fail', 'marked failed (red), though the process exited 0');
    assert.match(await failed.locator('.mn-run-head').innerText(), /^✗ ok/);
    assert.deepEqual(await failed.locator('.mn-run-diff span').allInnerTexts(), ['- 3\n', '+ 2\n'], 'the diff lines');
    // The second one runs (20 s); the notification's Cancel stops it.
    await frame.locator('.mn-run', { hasText: '⏳' }).waitFor({ state: 'visible', timeout: 30_000 });
    const notification = page.locator('.notification-toast', { hasText: 'running the snippets of 全部运行.md' });
    await notification.waitFor({ state: 'visible', timeout: 30_000 });
    await screenshot(page, 'snippet-run-all');
    const started = Date.now();
    await notification.getByRole('button', { name: 'Cancel' }).click();
    const cancelled = frame.locator('.mn-run-result[data-status="cancelled"]');
    await cancelled.waitFor({ state: 'visible', timeout: 10_000 });
    assert.ok(Date.now() - started < 5000, 'cancelled promptly');
    await notification.waitFor({ state: 'hidden', timeout: 10_000 });
    // The third never started.
    assert.equal(await frame.locator('.mn-run-result').count(), 2);
    assert.equal(await frame.locator('.mn-run', { hasText: '⏳' }).count(), 0);
  } finally {
    rmSync(ws, { recursive: true, force: true });
  }
});
