// Equation hovers in the real workbench, on the desktop (Node) and the web extension host: the cursor
// on `\eqref{eq:lse}` of an example note and Show Hover (Ctrl+K Ctrl+I) open the hover widget with
// the referenced equation drawn as an image (MathJax SVG, loaded on first use), its number and line.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { EXAMPLES_DIR, openFile, openWorkbench, screenshot, test } from './helpers.mjs';

const NOTE = '光滑近似漫谈（一）：从最大值到Softmax.md';

async function hoverReference(page, shot) {
  await openFile(page, NOTE);
  const lines = readFileSync(path.join(EXAMPLES_DIR, NOTE), 'utf8').split('\n');
  const line = lines.findIndex((l) => l.includes('\\eqref{eq:lse}'));
  const column = lines[line].indexOf('eq:lse') + 2;
  await page.locator('.editor-instance .monaco-editor').first().click();
  await page.keyboard.press('Control+G');
  await page.keyboard.type(`${line + 1}:${column}`);
  await page.keyboard.press('Enter');
  const hover = page.locator('.monaco-hover:not(.hidden)').filter({ hasText: 'eq:lse' }).first();
  // The first analysis may still be on its way: ask again until the widget shows ours.
  for (let tries = 0; tries < 10 && !(await hover.isVisible()); tries++) {
    await page.keyboard.press('Control+K');
    await page.keyboard.press('Control+I');
    await hover.waitFor({ state: 'visible', timeout: 3_000 }).catch(() => {});
  }
  const text = await hover.innerText();
  assert.match(text, /\\eqref\{eq:lse\}` → \(1\), line 17|\\eqref\{eq:lse\} → \(1\), line 17/);
  // The equation as a picture, loaded and drawn (not its TeX in a code block).
  const img = hover.locator('img[src^="data:image/svg+xml"]').first();
  await img.waitFor({ state: 'visible', timeout: 10_000 });
  // The widget may lay the image out a frame after it shows: measure until it has its width.
  let size = { w: 0, h: 0, shown: 0 };
  for (let tries = 0; tries < 50 && !(size.shown > 50); tries++) {
    size = await img.evaluate((el) => ({ w: el.naturalWidth, h: el.naturalHeight, shown: el.getBoundingClientRect().width }));
    if (!(size.shown > 50)) await page.waitForTimeout(100);
  }
  console.log(`    hover image: ${size.w}×${size.h} px, shown ${Math.round(size.shown)} px wide`);
  assert.ok(size.w > 50 && size.h > 10 && size.shown > 50, JSON.stringify(size));
  assert.doesNotMatch(text, /logsumexp/, 'the TeX is not shown as text when the picture is');
  await screenshot(page, shot);
}

test('desktop: hover on \\eqref shows the equation drawn, its number and line', async () => {
  const { page } = await openWorkbench();
  await hoverReference(page, 'equation-hover');
});

test('web extension host: the same hover', async () => {
  const { page } = await openWorkbench({ settings: { 'remote.extensionKind': { 'mathnotes.math-notes': ['web'] } } });
  await hoverReference(page, 'equation-hover-web');
});
