// The series bar in a preview beside the editor (issue #18, point 6): one row when the preview is
// wide, at most two when it is half of a 1280–1400 px window or narrower; the series name cut with
// an ellipsis (the whole name in its tooltip), the parts one sideways-scrolling strip that shows
// the current part, and ← / → always on screen. The workspace is a generated 30-part series with a
// long name, opened at part 15, so neither the name nor the parts fit a narrow preview, and a
// 3-part series with a short name, whose bar is one row there.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { openFile, openWorkbench, previewFrame, runCommand, screenshot, test } from './helpers.mjs';

const NAME = '一个名字特别长的用来检验预览窄窗口里导航条如何截断标题的测试系列漫谈';
const PARTS = 30;
const CURRENT = 15;
const DIGITS = ['', '一', '二', '三', '四', '五', '六', '七', '八', '九'];
/** 1 → 一, 15 → 十五, 30 → 三十. */
const numeral = (n) => (n < 10 ? DIGITS[n] : `${n >= 20 ? DIGITS[Math.floor(n / 10)] : ''}十${DIGITS[n % 10]}`);
const fileOf = (n) => `${NAME}（${numeral(n)}）：第${n}部分.md`;
/** A short series with a short name: one row even in a half-width preview. */
const SHORT = '短系列';
const shortFileOf = (n) => `${SHORT}（${numeral(n)}）.md`;

/**
 * The bar as laid out: its rows (its visible boxes — name, number, ←, →, each part — grouped by
 * vertical overlap, not by equal tops: boxes of one row that are aligned differently still meet),
 * its height against the height of that many rows, the name's cut, and what the strip shows.
 */
function measureBar(frame) {
  return frame
    .locator('.mn-series-bar')
    .first()
    .evaluate((bar) => {
      const box = (el) => el.getBoundingClientRect();
      const cs = getComputedStyle(bar);
      const leaves = [...bar.querySelectorAll('.mn-series-name, .mn-series-number, .mn-series-prev, .mn-series-next, .mn-series-part')];
      const rows = [];
      for (const r of leaves
        .map(box)
        .filter((r) => r.width > 0 && r.height > 0)
        .sort((a, b) => a.top - b.top)) {
        const row = rows.find((g) => r.top < g.bottom - 1 && r.bottom > g.top + 1);
        if (row) {
          row.top = Math.min(row.top, r.top);
          row.bottom = Math.max(row.bottom, r.bottom);
        } else rows.push({ top: r.top, bottom: r.bottom });
      }
      const lineHeight = Math.max(...leaves.map((el) => box(el).height));
      const contentHeight = bar.clientHeight - parseFloat(cs.paddingTop) - parseFloat(cs.paddingBottom);
      const name = bar.querySelector('.mn-series-name');
      const strip = bar.querySelector('.mn-series-parts');
      const current = bar.querySelector('.mn-series-current');
      const inside = (inner, outer) =>
        inner.width > 0 &&
        inner.left >= outer.left - 1 &&
        inner.right <= outer.right + 1 &&
        inner.top >= outer.top - 1 &&
        inner.bottom <= outer.bottom + 1;
      return {
        previewWidth: innerWidth,
        barWidth: Math.round(box(bar).width),
        barHeight: Math.round(box(bar).height),
        contentHeight,
        rowGap: parseFloat(cs.rowGap) || 0,
        lineHeight,
        rows: rows.length,
        nameTitle: name.title,
        nameCut: name.scrollWidth > name.clientWidth + 1 && getComputedStyle(name).textOverflow === 'ellipsis',
        nameInside: inside(box(name), box(bar)),
        stripScrolls: strip.scrollWidth > strip.clientWidth + 1,
        currentShown: inside(box(current), box(strip)),
        prevShown: inside(box(bar.querySelector('.mn-series-prev')), box(bar)),
        nextShown: inside(box(bar.querySelector('.mn-series-next')), box(bar)),
      };
    });
}

/** `rows` rows of the bar's tallest box with the row gap between, plus a slim scrollbar under the strip. */
const rowsHigh = (m, rows) => rows * m.lineHeight + (rows - 1) * m.rowGap + 8;

test('series bar: one row in a wide preview, two in a half-width one, name cut, current part in view', async () => {
  const ws = mkdtempSync(path.join(tmpdir(), 'mn-series-bar-'));
  const measured = [];
  try {
    for (let n = 1; n <= PARTS; n++)
      writeFileSync(path.join(ws, fileOf(n)), `# ${NAME}（${numeral(n)}）：第${n}部分\n\n第 ${n} 部分的正文，$x_{${n}}$。\n`);
    for (let n = 1; n <= 3; n++) writeFileSync(path.join(ws, shortFileOf(n)), `# ${SHORT}（${numeral(n)}）\n\n正文。\n`);
    const { page } = await openWorkbench({ workspace: ws, viewport: { width: 1400, height: 900 } });
    await openFile(page, fileOf(CURRENT));
    await runCommand(page, 'Math Notes: Open Preview to the Side');
    const frame = previewFrame(page);
    await frame.locator('.mn-series-bar .mn-series-current').waitFor({ state: 'visible', timeout: 60_000 });
    assert.equal(await frame.locator('.mn-series-bar .mn-series-part').count(), PARTS);

    // Half of a 1400 and of a 1280 px window (the preview beside the editor and the Explorer), and
    // narrower still: two rows at most.
    for (const width of [1400, 1280, 1100]) {
      await page.setViewportSize({ width, height: 900 });
      await page.waitForTimeout(1_000); // the workbench lays out the webview again
      const m = await measureBar(frame);
      measured.push({ window: width, ...m });
      const what = `window ${width}: ${JSON.stringify(m)}`;
      assert.ok(m.rows <= 2, `${m.rows} rows, ${what}`);
      assert.ok(m.contentHeight <= rowsHigh(m, 2), `higher than two rows, ${what}`);
      assert.equal(m.nameTitle, NAME, what);
      assert.ok(m.nameCut, `name not cut with an ellipsis, ${what}`);
      assert.ok(m.nameInside, `name overflows the bar, ${what}`);
      assert.ok(m.stripScrolls, `parts do not scroll sideways, ${what}`);
      assert.ok(m.currentShown, `current part out of view, ${what}`);
      assert.ok(m.prevShown && m.nextShown, `← or → out of view, ${what}`);
      if (width === 1280) await screenshot(page, 'series-bar-narrow', { docs: true });
    }

    // A wide preview (the webview 726 px, just above where the bar goes to two rows, and 1026 px): one row.
    for (const width of [1800, 2400]) {
      await page.setViewportSize({ width, height: 900 });
      await page.waitForTimeout(1_000);
      const m = await measureBar(frame);
      measured.push({ window: width, ...m });
      const what = `window ${width}: ${JSON.stringify(m)}`;
      assert.equal(m.rows, 1, what);
      assert.ok(m.contentHeight <= rowsHigh(m, 1), `higher than one row, ${what}`);
      assert.ok(m.nameInside && m.currentShown && m.prevShown && m.nextShown, what);
    }

    // Keyboard: Tab from ← reaches the parts; a part scrolled out of the strip comes into view when focused.
    await page.setViewportSize({ width: 1280, height: 900 });
    await page.waitForTimeout(1_000);
    const last = frame.locator('.mn-series-bar a.mn-series-part').last();
    await last.focus();
    await page.keyboard.press('Shift+Tab');
    await page.keyboard.press('Tab');
    assert.ok(
      await last.evaluate((a) => {
        const r = a.getBoundingClientRect();
        const s = a.closest('.mn-series-parts').getBoundingClientRect();
        return document.activeElement === a && r.left >= s.left - 1 && r.right <= s.right + 1;
      }),
      'the focused last part is not in view',
    );

    // Where the name and a few parts fit beside each other, one row even at half of a 1400 px window.
    await page.setViewportSize({ width: 1400, height: 900 });
    await page.locator('.editor-instance .monaco-editor').first().click(); // the editor's group, not the preview's
    await openFile(page, shortFileOf(2));
    await frame.locator('.mn-series-bar .mn-series-name', { hasText: SHORT }).waitFor({ state: 'visible', timeout: 30_000 });
    await page.waitForTimeout(500);
    const short = await measureBar(frame);
    measured.push({ window: 1400, short: true, ...short });
    assert.equal(short.rows, 1, `short series, window 1400: ${JSON.stringify(short)}`);
    assert.ok(short.contentHeight <= rowsHigh(short, 1) && !short.nameCut && !short.stripScrolls && short.nextShown, JSON.stringify(short));
  } finally {
    console.log(
      `    measured: ${JSON.stringify(measured.map(({ window, short, previewWidth, barWidth, barHeight, rows }) => ({ window, short, previewWidth, barWidth, barHeight, rows })))}`,
    );
    rmSync(ws, { recursive: true, force: true });
  }
});
