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
