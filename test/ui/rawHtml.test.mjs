// Raw HTML in a note, in the real preview: what authors write (center, sup/sub, br, img width,
// details, font/span colours, comments, <a id> anchors) shows as elements; a link to #anchor
// scrolls to it; the attacks in the same note set no canary and become no element.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { openFile, openWorkbench, previewFrame, runCommand, screenshot, test } from './helpers.mjs';

/** A 2×2 red PNG: the note's image, next to it in the workspace. */
const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAIAAAACCAIAAAD91JpzAAAAEElEQVR4nGP4z8AARAwQCgAf7gP9i18U1AAAAABJRU5ErkJggg==', 'base64');

const NOTE = `# 原始 HTML

<center>居中的标题 $E=mc^2$</center>

质能方程 E = mc<sup>2</sup>，水是 H<sub>2</sub>O。第一行<br>第二行。

<div align="center"><img src="图/点.png" width="120" alt="点"></div>

<details>
<summary>点击展开：证明 $a^2+b^2=c^2$</summary>
<p>折叠起来的内容。</p>
</details>

<details>
<summary>点击展开：推导</summary>

折叠内的推导 $x^2$，下式：

$$\\int_0^1 x\\,dx = \\frac12$$

</details>

<font color="red">红字</font>与<span style="color:blue">蓝字</span>。

<!-- more -->

[跳到结论](#conclusion)

${Array.from({ length: 60 }, (_, i) => `填充段落 ${i + 1}：让结论远在视野之外。`).join('\n\n')}

<a id="conclusion"></a>

## 结论

结论在这里。

<img src=x onerror="window.__mnCanary='img'"> <svg onload="window.__mnCanary='svg'"></svg> <a href="javascript:window.__mnCanary='a'">坏链接</a>

<script>window.__mnCanary='script'</script>

<div style="position:fixed;top:0;left:0;width:100%;height:100%;background:white;z-index:999">遮罩</div>

<iframe srcdoc="<script>parent.__mnCanary='frame'</script>"></iframe>
`;

test('raw HTML in the preview: elements shown, #anchor links scroll, attacks inert', async () => {
  const ws = mkdtempSync(path.join(tmpdir(), 'mn-ui-rawhtml-'));
  try {
    writeFileSync(path.join(ws, '原始HTML.md'), NOTE);
    mkdirSync(path.join(ws, '图'));
    writeFileSync(path.join(ws, '图', '点.png'), PNG);
    const { page } = await openWorkbench({ workspace: ws });
    await openFile(page, '原始HTML.md');
    await runCommand(page, 'Math Notes: Open Preview to the Side');
    const frame = previewFrame(page);
    await frame.locator('center .katex').first().waitFor({ state: 'visible', timeout: 60_000 });

    // Elements, not text.
    assert.equal(await frame.locator('sup').first().innerText(), '2');
    assert.equal(await frame.locator('sub').first().innerText(), '2');
    assert.ok((await frame.locator('p br').count()) >= 1);
    const text = await frame.locator('#mn-root').innerText();
    assert.doesNotMatch(text, /<center>|<sup>|<br>|<img|<details>|<!--|more|<font/);
    // The image: loaded from the note's folder, at the width the note asked for, centred.
    const img = frame.locator('img[alt="点"]');
    await img.waitFor({ state: 'visible' });
    await frame
      .locator('html')
      .evaluate(() =>
        Promise.all(
          [...document.images].map((i) => (i.complete ? null : new Promise((r) => i.addEventListener('load', r, { once: true })))),
        ),
      );
    const box = await img.evaluate((el) => ({
      natural: el.naturalWidth,
      width: el.getBoundingClientRect().width,
      align: el.parentElement.getAttribute('align'),
    }));
    assert.deepEqual(box, { natural: 2, width: 120, align: 'center' });
    // Details fold, with math in the summary.
    const details = frame.locator('details').first();
    assert.equal(await details.evaluate((el) => el.open), false);
    assert.equal(await details.locator('summary .katex').count(), 1);
    await details.locator('summary').click();
    assert.equal(await details.evaluate((el) => el.open), true);
    // A <details> that wraps Markdown across blank lines: its paragraph and display are inside the
    // fold, hidden until it opens, and keep their source lines for scroll sync.
    const fold = frame.locator('details', { hasText: '推导' });
    assert.equal(await fold.count(), 1);
    assert.equal(await fold.locator('.katex-display').count(), 1);
    assert.equal(await fold.locator('.katex-display').isVisible(), false);
    await fold.locator('summary').click();
    await fold.locator('.katex-display').waitFor({ state: 'visible' });
    const lines = NOTE.split('\n');
    // A stamp counts from its block's first line (data-base).
    const stamped = await fold
      .locator('p', { hasText: '折叠内的推导' })
      .evaluate((e) => Number(e.getAttribute('data-line')) + Number(e.closest('.mn-block')?.getAttribute('data-base') ?? 0));
    assert.equal(
      stamped,
      lines.findIndex((l) => l.startsWith('折叠内的推导')),
    );
    assert.equal(await frame.locator('.mn-block', { hasText: '推导' }).count(), 1);
    // Colours.
    assert.equal(await frame.locator('font[color="red"]').evaluate((el) => getComputedStyle(el).color), 'rgb(255, 0, 0)');
    assert.equal(await frame.locator('span[style]', { hasText: '蓝字' }).evaluate((el) => getComputedStyle(el).color), 'rgb(0, 0, 255)');
    await screenshot(page, 'raw-html-preview');

    // The anchor link scrolls to the <a id> target.
    const target = frame.locator('[id$="-h-conclusion"]');
    assert.equal(await target.count(), 1);
    const link = frame.locator('a', { hasText: '跳到结论' });
    assert.equal(await link.getAttribute('href'), `#${await target.getAttribute('id')}`);
    await link.scrollIntoViewIfNeeded();
    const before = await frame.locator('html').evaluate(() => window.scrollY);
    await link.click();
    await page.waitForTimeout(300);
    const after = await frame.locator('html').evaluate(() => window.scrollY);
    assert.ok(after > before + 200, `scrolled from ${before} to ${after}`);
    const inView = await target.evaluate((el) => {
      const r = el.getBoundingClientRect();
      return r.top >= 0 && r.top <= window.innerHeight;
    });
    assert.ok(inView, 'the anchor is in view');
    await screenshot(page, 'raw-html-anchor');

    // No attack became an element, none ran, nothing covers the page.
    for (const selector of [
      'script:not([nonce])',
      'svg:not(.katex svg)',
      'iframe',
      '[onerror]',
      '[onload]',
      'a[href^="javascript"]',
      '[style*="fixed"]',
    ]) {
      assert.equal(await frame.locator(`#mn-root ${selector}`).count(), 0, selector);
    }
    await page.waitForTimeout(500);
    const canaries = [
      await frame.locator('html').evaluate(() => window.__mnCanary ?? null),
      await page
        .frameLocator('iframe.webview.ready')
        .first()
        .locator('html')
        .evaluate(() => window.__mnCanary ?? null),
      await page.evaluate(() => window.__mnCanary ?? null),
    ].filter((v) => v !== null);
    assert.deepEqual(canaries, []);
    // The refused link is no link at all (a span), and clicking its text does nothing.
    assert.equal(await frame.locator('a', { hasText: '坏链接' }).count(), 0);
    await frame.getByText('坏链接').click();
    await page.waitForTimeout(300);
    assert.equal(await frame.locator('html').evaluate(() => window.__mnCanary ?? null), null);
    // Every block sits in its post's body, none inside another.
    assert.equal(await frame.locator('.mn-block .mn-block').count(), 0);
    assert.equal(await frame.locator('.mn-post-body > :not(.mn-block)').count(), 0);
  } finally {
    rmSync(ws, { recursive: true, force: true });
  }
});
