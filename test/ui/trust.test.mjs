// Restricted Mode and the workspace's macros (issue #16, finding 7): an untrusted folder's
// `mathNotes.macros` could redefine `\le` as `\ge` or `\pi` as `3` in every formula. In Restricted
// Mode only the user's own macros apply; once the folder is trusted, its macros apply at once.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openFile, openWorkbench, previewFrame, runCommand, screenshot, test } from './helpers.mjs';

test('Restricted Mode: the workspace’s macros do not apply, the user’s do; trusting the folder applies them', async () => {
  const ws = mkdtempSync(join(tmpdir(), 'mn-ui-trust-'));
  try {
    mkdirSync(join(ws, '.vscode'));
    writeFileSync(
      join(ws, '.vscode/settings.json'),
      JSON.stringify({ 'mathNotes.macros': { '\\le': '\\ge', '\\pi': '3', '\\wsonly': '\\heartsuit' } }, null, 2),
    );
    writeFileSync(join(ws, '宏.md'), ['# 宏', '', 'Order: $a \\le b$, circle: $\\pi r^2$, reals: $\\R$, mark: $\\wsonly$.', ''].join('\n'));
    const { page } = await openWorkbench({ workspace: ws, trust: true, settings: { 'mathNotes.macros': { '\\R': '\\mathbb{R}' } } });
    await page.getByRole('button', { name: "No, I don't trust the authors" }).click({ timeout: 30_000 });
    await openFile(page, '宏.md');
    await runCommand(page, 'Math Notes: Open Preview to the Side');
    const frame = previewFrame(page);
    const body = frame.locator('.mn-post-body');
    await frame.locator('.katex').first().waitFor({ state: 'visible', timeout: 60_000 });
    let text = await body.innerText();
    assert.match(text, /≤/, 'the real \\le');
    assert.doesNotMatch(text, /≥/);
    assert.match(text, /π/, 'the real \\pi');
    assert.equal(await frame.locator('.mathbb').count(), 1, "the user's \\R applies");
    // Unknown here: drawn by name, in red, inside its formula (as MathJax's noundefined does).
    assert.equal(await frame.locator('.mn-math-undefined .mnf-undefined').count(), 1, 'the workspace-only macro is unknown');
    assert.match(await frame.locator('.mnf-undefined').innerText(), /\\wsonly/);
    await screenshot(page, 'trust-restricted-macros');

    // Trust the folder: its macros apply to the open preview without a reload.
    await runCommand(page, 'Workspaces: Manage Workspace Trust');
    await page.getByRole('button', { name: 'Trust', exact: true }).first().click({ timeout: 30_000 });
    await frame.locator('.mnf-undefined').waitFor({ state: 'detached', timeout: 30_000 });
    text = await body.innerText();
    assert.match(text, /≥/, "the workspace's \\le now");
    assert.match(text, /♡/);
    assert.equal(await frame.locator('.mathbb').count(), 1);
  } finally {
    rmSync(ws, { recursive: true, force: true });
  }
});
