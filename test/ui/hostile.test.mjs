// Hostile notes in the real preview (issue #8): every case of test/fixtures/hostile, as one note
// (plus the front-matter cases as notes of their own, and one blog listing), opened in the preview
// of a real workbench. A payload that ran would set window.__mnCanary (in the page, its webview
// frame or the workbench) or fetch http://127.0.0.1:9/…; neither may happen, the page renders, and
// every block of it stays in its place.
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { REPO_ROOT, openFile, openWorkbench, previewFrame, runCommand, screenshot, test } from './helpers.mjs';

const DIR = path.join(REPO_ROOT, 'test/fixtures/hostile');

function hostileCases() {
  const cases = [];
  for (const file of readdirSync(DIR)
    .filter((f) => f.endsWith('.cases'))
    .sort()) {
    for (const block of readFileSync(path.join(DIR, file), 'utf8').split(/^### /m).slice(1)) {
      const [id, , ...rest] = block.split('\n');
      cases.push({
        id: id.trim(),
        text: rest
          .join('\n')
          .trim()
          .replace(/\\u0000/g, '\u0000'),
      });
    }
  }
  return cases;
}

test('hostile notes in the real preview: no canary set, nothing fetched, every note rendered', async () => {
  const ws = mkdtempSync(path.join(tmpdir(), 'mn-ui-hostile-'));
  try {
    const cases = hostileCases();
    const inBody = cases.filter((c) => !c.id.startsWith('front-matter/'));
    const notes = {
      '敌意合集.md': `# 敌意合集\n\n${inBody.map((c) => `#### ${c.id}\n\n${c.text}`).join('\n\n')}\n`,
      '敌意列表.txt':
        inBody
          .filter((c) => !c.text.includes('```'))
          .map((c, i) => `敌意测试（${i + 1}）：${c.id}\nBy 作者 | 2024-01-01 | 3位读者 | 引用${c.text.replace(/\n+/g, ' ')}`)
          .join('\n\n') + '\n',
    };
    for (const c of cases.filter((c) => c.id.startsWith('front-matter/'))) notes[`${c.id.replace('/', '-')}.md`] = `${c.text}\n`;
    for (const [name, text] of Object.entries(notes)) writeFileSync(path.join(ws, name), text);

    const { page } = await openWorkbench({ workspace: ws });
    // The network: anything but the test server itself and VS Code's own resource host (the
    // webview's files, served locally through its service worker).
    const fetched = [];
    const outside = [];
    page.on('request', (r) => {
      const url = r.url();
      if (/^https?:\/\/[^/]*vscode-cdn\.net\//.test(url)) {
        if (/\/etc\//.test(url)) outside.push(r);
        return;
      }
      if (/^https:\/\/open-vsx\.org\//.test(url)) return; // the workbench's own marketplace query
      if (/^(https?|wss?):\/\/(?!localhost[:/]|127\.0\.0\.1:\d{4,5}\/)/.test(url)) fetched.push(r);
    });
    const canaries = async () => {
      const frame = previewFrame(page);
      const inner = await frame.locator('html').evaluate(() => window.__mnCanary ?? null);
      const outer = await page
        .frameLocator('iframe.webview.ready')
        .first()
        .locator('html')
        .evaluate(() => window.__mnCanary ?? null);
      const top = await page.evaluate(() => window.__mnCanary ?? null);
      return [inner, outer, top].filter((v) => v !== null);
    };
    let first = true;
    for (const name of Object.keys(notes)) {
      if (first) await openFile(page, name);
      else {
        // From the explorer, with the editor group active (quick open raced the preview's focus).
        await page.locator('.explorer-folders-view .monaco-list-row', { hasText: name }).first().click();
        await page.locator('.tabs-container .tab.active', { hasText: name }).first().waitFor({ state: 'visible', timeout: 30_000 });
      }
      if (first) {
        await runCommand(page, 'Math Notes: Open Preview to the Side');
        first = false;
      }
      const frame = previewFrame(page);
      // The preview follows the active note: wait for this one's posts.
      const marker = name.endsWith('.txt') ? '敌意测试（1）' : name === '敌意合集.md' ? '敌意合集' : null;
      if (marker) await frame.locator('article.mn-post', { hasText: marker }).first().waitFor({ state: 'attached', timeout: 60_000 });
      else await frame.locator('article.mn-post').first().waitFor({ state: 'attached', timeout: 60_000 });
      await page.waitForTimeout(500); // anything that would run on load has had its turn
      assert.deepEqual(await canaries(), [], `a payload ran in the preview of ${name}`);
      if (name === '敌意合集.md') {
        assert.ok((await frame.locator('.mn-post-body h4').count()) >= inBody.length - 5, 'the cases rendered');
        // Every block stayed in its place in the page the browser built (an element a note's HTML
        // left open, or an end tag closing more than its block opened, would move the ones after
        // it), and nothing of the note's HTML hides, covers or restyles the page.
        assert.equal(await frame.locator('.mn-block .mn-block').count(), 0, 'a block inside another');
        assert.equal(await frame.locator('.mn-post-body > :not(.mn-block)').count(), 0, 'content outside its block');
        assert.ok(await frame.locator('#mn-root').isVisible(), 'the page is visible');
        assert.equal(
          await frame
            .locator(
              '#mn-root :is(style, script, iframe, form, input, meta, base, link, object, embed, [name], [style*="fixed"], [style*="url"])',
            )
            .count(),
          0,
        );
        assert.equal(await frame.locator('#mn-root [id]:not([id^="mn-p"])').count(), 0, "an id outside the note's namespace");
        await screenshot(page, 'hostile-preview');
      }
      await page.keyboard.press('Control+1');
    }
    // Images and hovers: move over every element that has a title or could have had a handler.
    const frame = previewFrame(page);
    await frame.locator('html').evaluate(() => window.scrollTo(0, document.body.scrollHeight));
    await page.waitForTimeout(500);
    assert.deepEqual(await canaries(), []);
    // A request the page's policy blocks never leaves it (Chromium reports it, failed: blocked).
    const left = [];
    for (const r of fetched) {
      const failure = r.failure()?.errorText ?? '';
      if (!/BLOCKED|csp|blocked/i.test(failure)) left.push(`${r.url()} ${failure || 'sent'}`);
    }
    assert.deepEqual(left, [], 'nothing fetched from the network');
    // A relative image climbing out of the workspace (../../etc/hosts) is asked for, and refused:
    // the webview may read only the extension's media and the workspace folders.
    for (const r of outside) {
      const response = await r.response();
      assert.ok(!response || response.status() >= 400, `${r.url()} was served (${response?.status()})`);
    }
  } finally {
    rmSync(ws, { recursive: true, force: true });
  }
});
