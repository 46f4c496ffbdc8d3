// Notes by other authors, in the real preview: an mdBook note (`\\(…\\)`), a note whose unknown
// command is drawn red in place, and a note of ours with displays whose rows are separated by blank
// lines (in a paragraph, a list and a quote) and Hexo's raw tags. What the webview shows must be
// what the core renders: the same formulas, errors and red names, and no TeX left as text.
import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { REPO_ROOT, openFile, openWorkbench, previewFrame, runCommand, screenshot, test, sharedPath } from './helpers.mjs';

const require = createRequire(import.meta.url);
const CORPUS = sharedPath('corpus', 'notes-zh');
const MDBOOK = 'CaterpillarStudyGroup__mathematics_basic_for_ML__src__Geometry__EulerAngle.md';
const RED = 'HZyo__Note__AI__MIT_DB__notes__2_Linear_Algebra.md';

const OURS = `# 空行分隔的公式

先看一个行与行之间有空行的环境：
\\begin{align}
a &= b + c \\\\

d &= e + f
\\end{align}
以及它后面的正文，引用式 $\\eqref{eq:x}$。

- 列表里的公式
  $$
  x^2

  + y^2
  $$

> 引用里的公式
> $$
> \\sum_i x_i
>
> = 1
> $$

{% raw %}
$$a_1 * b_2 \\tag{9}\\label{eq:x}$$
{% endraw %}

结束，价格是$5和$6元。
`;

/** What the core renders for a note (the same bundle the extension runs). */
function coreCounts(text, name) {
  const { renderNote } = require(path.join(REPO_ROOT, 'out/src/core/render/renderNote.js'));
  const { RenderCache } = require(path.join(REPO_ROOT, 'out/src/core/math/katexRenderer.js'));
  const html = renderNote(text, name, { cache: new RenderCache() }).html;
  return {
    formulas: (html.match(/class="katex"/g) ?? []).length,
    errors: (html.match(/class="katex-error"/g) ?? []).length,
    red: (html.match(/class="[^"]*\bmnf-undefined\b/g) ?? []).length,
  };
}

/** The preview's text outside formulas and code, as a reader sees it. */
async function proseText(frame) {
  return frame
    .locator('.mn-post-body')
    .first()
    .evaluate((root) => {
      const out = [];
      const walk = (n) => {
        if (n.nodeType === 3) out.push(n.textContent);
        else if (n.nodeType === 1 && !n.matches('.katex, .katex-error, code, pre')) n.childNodes.forEach(walk);
      };
      walk(root);
      return out.join('');
    });
}

async function previewOf(page, name) {
  await openFile(page, name);
  await runCommand(page, 'Math Notes: Open Preview to the Side');
  const frame = previewFrame(page);
  await frame.locator('.katex').first().waitFor({ state: 'visible', timeout: 60_000 });
  // The page is built in slices: wait until it stops growing.
  let last = -1;
  for (let i = 0; i < 40; i++) {
    const n = await frame.locator('.katex').count();
    if (n === last) break;
    last = n;
    await page.waitForTimeout(250);
  }
  return frame;
}

test('notes by other authors: mdBook math, red names in place, displays across blank lines, Hexo tags', async () => {
  const ws = mkdtempSync(path.join(tmpdir(), 'mn-real-'));
  try {
    cpSync(path.join(CORPUS, MDBOOK), path.join(ws, 'mdbook.md'));
    cpSync(path.join(CORPUS, RED), path.join(ws, 'red.md'));
    writeFileSync(path.join(ws, 'ours.md'), OURS);
    const { page } = await openWorkbench({ workspace: ws });
    for (const name of ['mdbook.md', 'red.md', 'ours.md']) {
      const want = coreCounts(readFileSync(path.join(ws, name), 'utf8'), name);
      const frame = await previewOf(page, name);
      assert.equal(await frame.locator('.katex').count(), want.formulas, `${name}: formulas on the page`);
      assert.equal(await frame.locator('.katex-error').count(), want.errors, `${name}: error boxes`);
      assert.equal(await frame.locator('.mnf-undefined').count(), want.red, `${name}: red names`);
      const prose = await proseText(frame);
      assert.doesNotMatch(prose, /\\begin\{|\\end\{|\\\\\(|\\\[|\$\$|raw %\}/, `${name}: TeX left as text`);
      if (name === 'red.md') assert.ok(want.red > 0, 'the note has names MathJax and KaTeX do not know');
      if (name === 'ours.md') {
        assert.equal(want.formulas, 4);
        assert.match(prose, /价格是\$5和\$6元/, 'prices stay prices');
        // The align's two rows are numbered (1) and (2), the tagged display (9), and \eqref links to it.
        // (One tag column holds the numbers of all rows of an align.)
        const tags = (await frame.locator('.katex-tag').allInnerTexts())
          .join('')
          .replace(/[\s\u200b]/g, '')
          .match(/\(\d+\)/g);
        assert.deepEqual(tags, ['(1)', '(2)', '(9)']);
        assert.match(await frame.locator('a.mn-eqref').first().innerText(), /9/);
      }
      await screenshot(page, `real-notes-${path.basename(name, '.md')}`);
      await runCommand(page, 'View: Close All Editors');
    }
  } finally {
    rmSync(ws, { recursive: true, force: true });
  }
});
