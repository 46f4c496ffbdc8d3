// A long note's preview shows the reader's screen first (issue #21): opened with the editor in the
// middle of a ~1 MB note made of corpus notes, the page shows formulas at that place while the
// rest of the note is still placeholders; when the rest streams in, what the reader sees does not move.
// Lint as you type is off here: it would render the note in the same worker first (and so warm
// every block), which is not the path under test.
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { markTopBlock, openFile, openWorkbench, previewFrame, runCommand, screenshot, sharedPath, test } from './helpers.mjs';

const KEXUE = sharedPath('corpus', 'kexue-md');

/** Corpus notes one after another, up to ~1 MB: long enough that the rest takes seconds to come. */
function longNote() {
  let text = '';
  for (const f of readdirSync(KEXUE)
    .filter((n) => n.endsWith('.md'))
    .sort()) {
    const note = readFileSync(path.join(KEXUE, f), 'utf8');
    if (Buffer.byteLength(text + note) > 1_000_000) break;
    text += note + '\n\n';
  }
  return text;
}

async function goToLine(page, line) {
  await page.keyboard.press('Control+1');
  await page.keyboard.press('Control+G');
  await page.locator('.quick-input-widget input').waitFor({ state: 'visible', timeout: 10_000 });
  await page.keyboard.type(String(line));
  await page.keyboard.press('Enter');
}

test(
  "a long note opens at the reader's screen first; the rest streams in without moving it",
  async () => {
    const ws = mkdtempSync(path.join(tmpdir(), 'mn-first-'));
    try {
      const text = longNote();
      const lines = text.split('\n').length;
      writeFileSync(path.join(ws, 'long.md'), text);
      const settings = { 'editor.stickyScroll.enabled': false, 'mathNotes.lint.enabled': false };
      const { page } = await openWorkbench({ workspace: ws, viewport: { width: 1600, height: 1000 }, settings });
      await openFile(page, 'long.md');
      const target = Math.round(lines * 0.6);
      await goToLine(page, target);
      await page.waitForTimeout(800);
      const t0 = Date.now();
      await runCommand(page, 'Math Notes: Open Preview to the Side');
      const frame = previewFrame(page);
      await frame.locator('.katex').first().waitFor({ state: 'attached', timeout: 90_000 });
      const firstFormulaMs = Date.now() - t0;
      // The first page: formulas around the editor's line, placeholders for the rest.
      const first = await frame.locator('html').evaluate(() => ({
        pending: document.querySelectorAll('.mn-pending').length,
        formulas: document.querySelectorAll('.katex').length,
        lines: [...document.querySelectorAll('.mn-block > [data-line]:not(.mn-pending)')].map(
          (e) => Number(e.getAttribute('data-line')) + Number(e.closest('.mn-block')?.getAttribute('data-base') ?? 0),
        ), // a block's stamps count from its data-base
      }));
      assert.ok(first.pending >= 1, `placeholders on the first page: ${JSON.stringify(first).slice(0, 200)}`);
      assert.ok(
        first.lines.some((l) => Math.abs(l - (target - 1)) < 200),
        `rendered blocks near line ${target}: ${first.lines.slice(0, 20)}`,
      );
      // Once the page has settled at the editor's line (the same block on top three times running),
      // note the block at the top of the view.
      let before;
      for (let same = 0, last; same < 3;) {
        await page.waitForTimeout(150);
        before = await markTopBlock(frame.locator('html'));
        same = before && last && before.line === last.line && Math.abs(before.top - last.top) < 1 ? same + 1 : 0;
        last = before;
      }
      assert.ok(await frame.locator('.mn-pending').count(), 'the rest was still to come when the page settled');
      assert.ok(before && !before.pending, `a rendered block at the top: ${JSON.stringify(before)}`);
      assert.ok(Math.abs(before.line - (target - 1)) < 40, `the page opened near the editor's line ${target}: ${before.line + 1}`);
      // The rest arrives: no placeholder left, and the same block is still where it was.
      await frame.locator('.mn-pending').first().waitFor({ state: 'detached', timeout: 120_000 });
      const wholeMs = Date.now() - t0;
      await page.waitForTimeout(500);
      const after = await frame
        .locator('[data-probe]')
        .evaluate((el) => ({ top: el.getBoundingClientRect().top, formulas: document.querySelectorAll('.katex').length }));
      console.log(
        `    ${(Buffer.byteLength(text) / 1e6).toFixed(2)} MB, ${lines} lines: first formula after ${firstFormulaMs} ms (${first.formulas} formulas, ${first.pending} placeholders), whole page after ${wholeMs} ms (${after.formulas} formulas); top block moved ${Math.round(after.top - before.top)} px`,
      );
      assert.ok(after.formulas > first.formulas * 3, `the rest rendered: ${after.formulas} formulas`);
      assert.ok(Math.abs(after.top - before.top) <= 4, `the top block moved ${after.top - before.top} px`);
      await screenshot(page, 'first-screen-long-note');
    } finally {
      rmSync(ws, { recursive: true, force: true });
    }
  },
  { timeout: 300_000 },
);
