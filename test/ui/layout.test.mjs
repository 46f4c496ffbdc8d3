// Layout of what is wider than the column (issue #18, points 2 and 3), in the real preview, in the
// light and the dark theme: a numbered display never draws its number over the formula (every
// display of a corpus note with formulas wider than the preview), and a code block is highlighted
// in more than one colour, has one background (not one per line), and keeps ▶ Run at its corner
// when its long lines are scrolled sideways.
import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { openFile, openWorkbench, previewFrame, runCommand, screenshot, test, sharedPath } from './helpers.mjs';

const KEXUE = sharedPath('corpus', 'kexue-md');
/** Equation (71) and 14 more are wider than a preview beside the editor (20 numbers drawn over their formula before). */
const WIDE = '低秩近似之路一伪逆.md';

const CODE = `# 代码块

\`\`\`python
import math

def softmax(xs, tau=1.0):  # a comment, then a line wider than the preview: ${'x'.repeat(150)}
    m = max(xs)
    return [math.exp((x - m) / tau) for x in xs]

print(softmax([1.0, 2.0, 3.0]))
\`\`\`

\`\`\`cpp
#include <vector>
int main() { std::vector<int> v{1, 2, 3}; return v.size() > 2 ? 0 : 1; }
\`\`\`
`;

async function openPreview(page, name, ready) {
  await openFile(page, name);
  await runCommand(page, 'Math Notes: Open Preview to the Side');
  const frame = previewFrame(page);
  await frame.locator(ready).first().waitFor({ state: 'visible', timeout: 60_000 });
  // A long note shows its first screen first: wait for the rest (no placeholder left).
  await frame.locator('.mn-pending').first().waitFor({ state: 'detached', timeout: 120_000 });
  // The page is built in slices: wait until it stops growing.
  let last = -1;
  for (let i = 0; i < 40; i++) {
    const n = await frame.locator('.katex, pre').count();
    if (n === last) break;
    last = n;
    await page.waitForTimeout(250);
  }
  return frame;
}

/** Numbered displays whose number's box meets a box of the formula's, as laid out on the page. */
function overlapsOnPage(frame) {
  return frame.locator('body').evaluate(() => {
    const meet = (a, b) =>
      Math.min(a.right, b.right) - Math.max(a.left, b.left) > 1 && Math.min(a.bottom, b.bottom) - Math.max(a.top, b.top) > 1;
    const out = { numbered: 0, wide: 0, overlapping: [] };
    for (const display of document.querySelectorAll('.mn-display')) {
      const tag = display.querySelector('.katex-html > .katex-tag');
      if (!tag) continue;
      display.scrollIntoView({ block: 'center' }); // laid out (blocks far off screen skip layout)
      out.numbered++;
      if (display.scrollWidth > display.clientWidth + 1) out.wide++;
      const number = tag.getBoundingClientRect();
      const formula = [...tag.parentElement.children].filter((e) => e !== tag).map((e) => e.getBoundingClientRect());
      if (formula.some((r) => meet(r, number))) out.overlapping.push(tag.textContent);
    }
    return out;
  });
}

/** What a reader sees of the first runnable code block, before and after scrolling it sideways. */
function codeBlockLook(frame) {
  return frame.locator('body').evaluate(() => {
    const code = document.querySelector('pre > code.language-python');
    const pre = code.parentElement;
    const colours = new Set([...code.querySelectorAll('span')].map((s) => getComputedStyle(s).color));
    colours.add(getComputedStyle(code).color);
    const transparent = (c) => c === 'transparent' || /^rgba\(.*,\s*0\)$/.test(c);
    const run = document.querySelector('.mn-run');
    const visible = () => {
      const r = run.getBoundingClientRect();
      const p = pre.getBoundingClientRect();
      return r.width > 0 && r.left >= p.left - 1 && r.right <= p.right + 1 && r.top >= p.top - 1 && r.bottom <= p.bottom + 1;
    };
    const before = visible();
    pre.scrollLeft = pre.scrollWidth;
    const scrolled = pre.scrollLeft > 0;
    const after = visible();
    pre.scrollLeft = 0;
    return {
      colours: colours.size,
      codeBackground: getComputedStyle(code).backgroundColor,
      codeHasOwnBackground: !transparent(getComputedStyle(code).backgroundColor),
      preBackground: getComputedStyle(pre).backgroundColor,
      runVisible: before,
      scrolled,
      runVisibleAfterScroll: after,
    };
  });
}

for (const theme of ['Default Light Modern', 'Default Dark Modern']) {
  const dark = theme.includes('Dark');
  test(
    `${dark ? 'dark' : 'light'} theme: numbers beside wide displays, highlighted code with one background and Run at its corner`,
    async () => {
      const ws = mkdtempSync(path.join(tmpdir(), 'mn-layout-'));
      try {
        cpSync(path.join(KEXUE, WIDE), path.join(ws, WIDE));
        writeFileSync(path.join(ws, '代码.md'), CODE);
        const { page } = await openWorkbench({ workspace: ws, settings: { 'workbench.colorTheme': theme } });

        const frame = await openPreview(page, WIDE, '.mn-display');
        assert.equal(await frame.locator('body').evaluate((b) => b.classList.contains('vscode-dark')), dark, 'the theme asked for');
        const displays = await overlapsOnPage(frame);
        console.log(
          `      ${WIDE}: ${displays.numbered} numbered displays, ${displays.wide} wider than the preview, ${displays.overlapping.length} numbers over their formula`,
        );
        assert.ok(displays.numbered > 100 && displays.wide > 0, 'the note has numbered displays wider than the preview');
        assert.deepEqual(displays.overlapping, [], 'no number is drawn over its formula');
        // Equation (71), the example: on screen, scrolled to its number after the formula.
        // (Twice: blocks brought into layout on the way change the page's height.)
        const seventyOne = frame.locator('.katex-tag', { hasText: '(71)' }).first();
        for (let i = 0; i < 2; i++) {
          await seventyOne.evaluate((tag) => {
            const display = tag.closest('.mn-display');
            display.scrollIntoView({ block: 'center' });
            display.scrollLeft = display.scrollWidth; // scrolled to its end: the number after the formula
          });
          await page.waitForTimeout(500);
        }
        assert.ok(
          await seventyOne.evaluate((tag) => {
            const r = tag.closest('.mn-display').getBoundingClientRect();
            return r.top >= 0 && r.bottom <= innerHeight;
          }),
          '(71) on screen',
        );
        await screenshot(page, `layout-wide-display-${dark ? 'dark' : 'light'}`, { docs: !dark });

        const code = await openPreview(page, '代码.md', '.mn-run');
        const look = await codeBlockLook(code);
        console.log(`      code block: ${look.colours} colours, code background ${look.codeBackground} in ${look.preBackground}`);
        assert.ok(look.colours > 1, 'the code is highlighted: more than one colour');
        assert.equal(look.codeHasOwnBackground, false, 'one background, the block’s: no inline-code background on each line');
        assert.ok(look.runVisible, '▶ Run is at the block’s corner');
        assert.ok(look.scrolled, 'the long line scrolls the block sideways');
        assert.ok(look.runVisibleAfterScroll, '▶ Run stays at the corner when the block is scrolled sideways');
        assert.ok((await code.locator('pre > code.language-cpp span[class^="hljs-"]').count()) > 0, 'C++ is highlighted too');
        await screenshot(page, `layout-code-block-${dark ? 'dark' : 'light'}`, { docs: dark });
      } finally {
        rmSync(ws, { recursive: true, force: true });
      }
    },
    { timeout: 240_000 },
  );
}
