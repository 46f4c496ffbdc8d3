// The web build (dist/web/extension.js, the manifest's `browser` entry) in the browser's own
// extension host, as on vscode.dev: `remote.extensionKind` makes the workbench run Math Notes there
// instead of on the server. No Node API is reachable (the bundle is built for the browser).
import assert from 'node:assert/strict';
import { openFile, openWorkbench, previewFrame, runCommand, screenshot, test } from './helpers.mjs';

test('web extension host: the preview of an example note renders, numbers and links; snippets say they need a desktop', async () => {
  const { page } = await openWorkbench({ settings: { 'remote.extensionKind': { 'mathnotes.math-notes': ['web'] } } });
  await openFile(page, '光滑近似漫谈（一）：从最大值到Softmax.md');
  await runCommand(page, 'Math Notes: Open Preview to the Side');
  const preview = previewFrame(page);
  await preview.locator('.katex-display').first().waitFor({ timeout: 60_000 });
  await preview.locator('a.mn-eqref').nth(2).waitFor();
  const text = await preview.locator('body').innerText();
  for (const n of ['(1)', '(2)', '(3)', '(4)']) assert.ok(text.includes(n), `equation ${n} is numbered`);
  assert.ok((await preview.locator('a.mn-eqref').count()) >= 3);
  assert.equal(await preview.locator('.katex-error').count(), 0);
  // Series: the index was built through workspace.fs (no worker threads here): part 2 is linked.
  assert.match(await preview.locator('.mn-series-bar').first().innerText(), /Part 1[\s\S]*2[\s\S]*Next/);
  await screenshot(page, 'web-preview');
  // Lint as you type: a misspelt command gets its squiggle.
  await page.locator('.editor-instance .monaco-editor').first().click();
  await page.keyboard.press('Control+End');
  await page.keyboard.type('\n\n$\\sigam$\n');
  await page.locator('.editor-instance .squiggly-error').first().waitFor({ timeout: 30_000 });
  // The preview's run buttons: the web host has no processes; they are off and say why (which also
  // shows this is the web build: the server's Node host would run them).
  const run = preview.locator('button.mn-run').first();
  assert.equal(await run.isDisabled(), true);
  assert.match((await run.getAttribute('title')) ?? '', /needs VS Code on a desktop or a remote host/);
  // The walkthrough's first step on the web: the browser's storage is no folder to open, so the main
  // example opens as an untitled note.
  await runCommand(page, 'Math Notes: Open the Example Notes');
  await page.locator('.editor-instance .view-lines', { hasText: 'title: 光滑近似漫谈（二）' }).first().waitFor({ timeout: 30_000 });
  assert.doesNotMatch(await page.locator('.tabs-container .tab.active').first().innerText(), /\.md/);
});
