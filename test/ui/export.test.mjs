// Export never overwrites a file without asking (issue #8, "nothing lost"): with an HTML file of the
// same name already there, the workbench's save dialog asks; Cancel leaves the file as it was, and
// only OK writes the export.
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { openFile, openWorkbench, runCommand, screenshot, test } from './helpers.mjs';

const NOTE = '光滑近似漫谈（一）：从最大值到Softmax';
const MINE = '<!doctype html><title>mine</title><p>A file the user wrote, not an export.</p>\n';

test('export to an existing file asks first: Cancel keeps the file, OK writes the export', async () => {
  const { page, workspacePath } = await openWorkbench();
  const target = path.join(workspacePath, `${NOTE}.html`);
  writeFileSync(target, MINE);
  await openFile(page, `${NOTE}.md`);

  const exportAndConfirm = async (button) => {
    await runCommand(page, 'Math Notes: Export Note to HTML');
    // The save dialog offers the note's name with .html: accept it as it is.
    const input = page.locator('.quick-input-widget input');
    await input.waitFor({ state: 'visible', timeout: 15_000 });
    await page.waitForFunction(() => /\.html$/.test(document.querySelector('.quick-input-widget input')?.value ?? ''), undefined, {
      timeout: 15_000,
    });
    await page.keyboard.press('Enter');
    // The workbench's save dialog (here its own, in the quick input) asks before it overwrites.
    const widget = page.locator('.quick-input-widget');
    await widget.filter({ hasText: /already exists/i }).waitFor({ state: 'visible', timeout: 15_000 });
    const message = await widget.innerText();
    assert.match(message, /already exists.*overwrite/is, `it asks: ${message}`);
    await screenshot(page, `export-overwrite-${button.toLowerCase()}`);
    await widget
      .locator('.monaco-button', { hasText: new RegExp(`^${button}$`) })
      .first()
      .click();
    // Cancel goes back to the name; Escape then closes the dialog without saving.
    if (button === 'Cancel') {
      await widget.filter({ hasText: /already exists/i }).waitFor({ state: 'hidden', timeout: 10_000 });
      await page.keyboard.press('Escape');
    }
    await widget.waitFor({ state: 'hidden', timeout: 10_000 });
  };

  await exportAndConfirm('Cancel');
  await page.waitForTimeout(2000);
  assert.equal(readFileSync(target, 'utf8'), MINE, 'Cancel leaves the file as it was');

  await exportAndConfirm('OK');
  const deadline = Date.now() + 30_000;
  // The workbench writes the file in more than one step (CI once read it empty between them):
  // wait for the whole export, up to its closing tag.
  const whole = () => {
    const text = readFileSync(target, 'utf8');
    return text !== MINE && /<\/html>\s*$/.test(text);
  };
  while (!whole() && Date.now() < deadline) await page.waitForTimeout(200);
  const written = readFileSync(target, 'utf8');
  assert.notEqual(written, MINE, 'OK writes the export over it');
  assert.match(written, /class="katex/);
  // Self-contained: KaTeX's fonts inlined (read through workspace.fs, as on the web), no font URL left.
  assert.ok((written.match(/url\(data:font\/woff2;base64,[A-Za-z0-9+/]{100}/g) ?? []).length >= 20);
  assert.doesNotMatch(written, /url\(fonts\//);

  // The notification says where it went and opens it (in a browser on the desktop; here, in the
  // web workbench, in an editor): it had no action.
  const toast = page.locator('.notifications-toasts .notification-toast', { hasText: 'Exported to' }).first();
  await toast.waitFor({ state: 'visible', timeout: 15_000 });
  await toast.locator('.monaco-button', { hasText: /^Open$/ }).click();
  await page.locator('.tabs-container .tab.active', { hasText: `${NOTE}.html` }).waitFor({ state: 'visible', timeout: 15_000 });
  await screenshot(page, 'export-opened');
});
