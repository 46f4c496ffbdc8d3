// Lint in the real workbench: an author types a formula with an unclosed brace and a full-width
// comma; the squiggles sit under exactly those characters, the Problems panel lists them, and
// the quick-fix menu (Ctrl+.) repairs the brace in one edit.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openFile, openWorkbench, screenshot, test } from './helpers.mjs';

test('typing \\frac{a}{b and ， in math: squiggles on those characters, Problems lists them, Ctrl+. fixes the brace', async () => {
  const ws = mkdtempSync(join(tmpdir(), 'mn-ui-lint-'));
  try {
    writeFileSync(join(ws, '检查.md'), '# 检查\n\n');
    const { page } = await openWorkbench({ workspace: ws });
    await openFile(page, '检查.md');
    const editor = page.locator('.editor-instance .monaco-editor').first();
    await editor.click();
    await page.keyboard.press('Control+End');
    // Typed as an author would. (VS Code auto-closes the `{` of `{b`; its `}` ends up after the
    // formula, at the line's end, so inside the formula the brace stays open.)
    await page.keyboard.type('分式$\\frac{a}{b$，逗号$a，b$。');
    const errors = page.locator('.squiggly-error');
    await errors.first().waitFor({ state: 'visible', timeout: 20_000 });
    await page.locator('.squiggly-warning').first().waitFor({ state: 'visible', timeout: 20_000 });
    // Each squiggle is one character wide (a monospace-ish column each; CJK glyphs are wider, so compare with `{`).
    const [brace] = await errors.evaluateAll((els) => els.map((e) => e.getBoundingClientRect().width));
    assert.ok(brace > 2 && brace < 20, `the error squiggle is one character wide (${brace}px)`);
    await page.keyboard.press('Control+Shift+M'); // Problems
    const problems = page.locator('.markers-panel .monaco-list-row');
    await problems.filter({ hasText: '`{` is never closed.' }).first().waitFor({ state: 'visible', timeout: 10_000 });
    await problems.filter({ hasText: 'Full-width punctuation' }).first().waitFor({ state: 'visible', timeout: 10_000 });
    await screenshot(page, 'lint-squiggles');
    // Cursor onto the `{` of `{b`, then the quick-fix menu.
    await editor.click();
    await page.keyboard.press('Home');
    for (let i = 0; i < '分式$\\frac{a}'.length; i++) await page.keyboard.press('ArrowRight');
    await page.keyboard.press('Control+.');
    const fix = page.locator('.action-widget .monaco-list-row', { hasText: 'Close it with `}`' });
    await fix.waitFor({ state: 'visible', timeout: 10_000 });
    await screenshot(page, 'lint-quick-fix', { docs: true });
    // The menu takes keys (a click is caught by its pointer guard): down to the fix, Enter.
    const rows = await page.locator('.action-widget .monaco-list-row').allInnerTexts();
    const at = rows.findIndex((t) => t.includes('Close it with `}`'));
    const focused = await page
      .locator('.action-widget .monaco-list-row.focused')
      .innerText()
      .catch(() => rows[0]);
    const from = Math.max(0, rows.indexOf(focused));
    for (let i = from; i < at; i++) await page.keyboard.press('ArrowDown');
    for (let i = from; i > at; i--) await page.keyboard.press('ArrowUp');
    await page.keyboard.press('Enter');
    await page.locator('.view-lines', { hasText: '{b}$' }).waitFor({ state: 'visible', timeout: 10_000 });
    await page.locator('.squiggly-error').waitFor({ state: 'detached', timeout: 20_000 });
  } finally {
    rmSync(ws, { recursive: true, force: true });
  }
});
