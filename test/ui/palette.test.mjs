// The extension's commands reach the command palette of a real workbench.
import assert from 'node:assert/strict';
import { findPaletteCommand, openFile, openWorkbench, screenshot, test } from './helpers.mjs';

test('palette offers "Math Notes: Export" with a note open', async () => {
  const { page } = await openWorkbench();
  // The command is shown only for notes (its palette `when` clause), so open one first.
  await openFile(page, '光滑近似漫谈（一）：从最大值到Softmax.md');
  const row = await findPaletteCommand(page, 'Math Notes: Export');
  assert.match(await row.innerText(), /Math Notes: Export/);
  await screenshot(page, 'palette-export');
});

test('the exact title "Open Preview to the Side" runs the unlocked preview; its title button has its own icon', async () => {
  const { page } = await openWorkbench();
  await openFile(page, '光滑近似漫谈（一）：从最大值到Softmax.md');
  // The palette lists matches in alphabetical order: the locked variant's old title ("Open Locked
  // Preview to the Side") came first and Enter opened a locked preview.
  await findPaletteCommand(page, 'Math Notes: Open Preview to the Side');
  const first = page.locator('.quick-input-widget .quick-input-list .monaco-list-row').first();
  assert.match(await first.innerText(), /^Math Notes: Open Preview to the Side(\s|$)/);
  await page.keyboard.press('Enter');
  const tab = page.locator('.tabs-container .tab', { hasText: 'Preview 光滑近似漫谈' }).first();
  await tab.waitFor({ state: 'visible', timeout: 30_000 });
  assert.doesNotMatch(await tab.innerText(), /Locked|锁定/);

  // Back in the note: two "Open Preview to the Side" buttons (ours and the built-in Markdown
  // extension's), told apart by their icons — the built-in's codicon, ours a picture of its own.
  await page.locator('.tabs-container .tab[data-resource-name="光滑近似漫谈（一）：从最大值到Softmax.md"]').click();
  const buttons = page.locator('.editor-actions .action-label[aria-label^="Open Preview to the Side"]');
  await buttons.nth(1).waitFor({ state: 'visible', timeout: 15_000 });
  const looks = await buttons.evaluateAll((els) =>
    els.map((el) => ({ codicon: [...el.classList].some((c) => c.startsWith('codicon-')), image: getComputedStyle(el).backgroundImage })),
  );
  assert.equal(looks.length, 2, JSON.stringify(looks));
  assert.equal(looks.filter((l) => l.codicon).length, 1, `one codicon button, one of ours: ${JSON.stringify(looks)}`);
  assert.ok(
    looks.some((l) => !l.codicon && /preview-math/.test(l.image)),
    JSON.stringify(looks),
  );
  await screenshot(page, 'editor-title-preview-buttons');
});
