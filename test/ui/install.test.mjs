// The Done-when of shipping: a user whose VS Code speaks Chinese installs the .vsix the way users do
// (`code --install-extension`), is greeted by the walkthrough in Chinese when they open a note,
// opens the example notes from it and sees their preview. The test bed has no Marketplace language
// pack, so a fixture pack (test/fixtures/zh-language-pack) makes zh-cn the display language; VS
// Code's own strings stay English, ours must all be Chinese.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { REPO_ROOT, openFile, openWorkbench, previewFrame, screenshot, test, waitForWorkbench } from './helpers.mjs';

function pack(cwd, out) {
  const vsce = path.join(REPO_ROOT, 'node_modules/@vscode/vsce/vsce');
  const r = spawnSync(process.execPath, [vsce, 'package', '--skip-license', '--allow-missing-repository', '--out', out], {
    cwd,
    encoding: 'utf8',
  });
  assert.equal(r.status, 0, r.stdout + r.stderr);
  return out;
}

test('installed from its .vsix in a Chinese VS Code: greeted by the walkthrough in Chinese, examples open with their preview', async () => {
  const tmp = mkdtempSync(path.join(os.tmpdir(), 'mn-install-'));
  const vsix = path.join(tmp, 'math-notes.vsix');
  const r = spawnSync(process.execPath, [path.join(REPO_ROOT, 'scripts/package.mjs'), '--no-build', '--out', vsix], {
    cwd: REPO_ROOT,
    encoding: 'utf8',
  });
  assert.equal(r.status, 0, r.stdout + r.stderr);
  const languagePack = pack(path.join(REPO_ROOT, 'test/fixtures/zh-language-pack'), path.join(tmp, 'zh.vsix'));
  // Installed as `code --install-extension math-notes.vsix` does, before VS Code starts.
  const { page } = await openWorkbench({ extension: false, locale: 'zh-cn', installExtensions: [languagePack, vsix] });
  assert.equal(await page.evaluate(() => globalThis._VSCODE_NLS_LANGUAGE), 'zh-cn');

  // Opening a note activates Math Notes (if nothing did before), and its first activation greets with
  // the walkthrough. A click in the Explorer: typing into Quick Open could race the greeting's new group.
  await page.locator('.explorer-folders-view .monaco-list-row', { hasText: '光滑近似漫谈（一）' }).first().click();
  const walkthrough = page.locator('.gettingStartedContainer');
  await walkthrough.locator('.getting-started-category', { hasText: 'Math Notes 入门' }).first().waitFor({ timeout: 60_000 });
  await screenshot(page, 'walkthrough-zh-cn', { docs: true });
  const text = await walkthrough.innerText();
  for (const title of ['Math Notes 入门', '打开示例笔记', '预览笔记', '浏览系列文章', '运行代码片段', '修正公式', '按需调整']) {
    assert.ok(text.includes(title), `the walkthrough shows "${title}":\n${text}`);
  }
  assert.doesNotMatch(text, /Open the example notes|Preview a note|Follow a series|Run a snippet|Fix a formula/);
  // The Series view's name, in the Explorer.
  await page.locator('.pane-header', { hasText: '系列' }).first().waitFor();

  // "打开示例笔记" copies the examples into the extension's storage and opens them in a new window.
  const [examplesPage] = await Promise.all([
    page.context().waitForEvent('page', { timeout: 60_000 }),
    (async () => {
      await walkthrough.locator('.getting-started-step', { hasText: '打开示例笔记' }).first().click();
      await walkthrough
        .locator('a, .monaco-button', { hasText: /^打开示例笔记$/ })
        .last()
        .click();
      const modal = page.locator('.monaco-dialog-box');
      await modal.waitFor();
      assert.match(await modal.innerText(), /示例笔记会作为单独的文件夹打开/);
      await modal.locator('.monaco-button', { hasText: '在新窗口中打开' }).click();
    })(),
  ]);
  try {
    await waitForWorkbench(examplesPage);
    await examplesPage.locator('.tabs-container .tab', { hasText: '光滑近似漫谈（二）' }).first().waitFor({ timeout: 60_000 });
    const preview = previewFrame(examplesPage);
    await preview.locator('.katex').first().waitFor({ timeout: 60_000 });
    await preview.locator('.mn-eqref').first().waitFor();
    // The preview's own labels are Chinese too: the series bar, the run buttons, the tab's title.
    const bar = await preview.locator('.mn-series-bar').first().innerText();
    assert.match(bar, /上一篇/);
    assert.match(bar, /第 2 篇/);
    assert.match(await preview.locator('button.mn-run').first().innerText(), /运行/);
    await examplesPage.locator('.tabs-container .tab', { hasText: '预览 光滑近似漫谈（二）' }).first().waitFor();
    await screenshot(examplesPage, 'examples-preview-zh-cn', { docs: true });
  } catch (err) {
    await screenshot(examplesPage, 'FAILED-examples-window');
    throw err;
  }
});
