// Series in the preview of a real workbench: the navigation bar with a gap, backlinks, citation
// links with a hover card, an unresolved citation saying why, and a click that takes the reader to
// the cited post. The workspace is a copy of examples/ plus a part 4 written here (part 3 missing).
import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { EXAMPLES_DIR, openFile, openWorkbench, previewFrame, runCommand, screenshot, test } from './helpers.mjs';

const PART_1 = '光滑近似漫谈（一）：从最大值到Softmax.md';
const PART_4 = '光滑近似漫谈（四）：排序的光滑近似.md';

test('series bar with a gap, backlinks, citation links and reasons; a click opens the cited post', async () => {
  const ws = mkdtempSync(path.join(tmpdir(), 'mn-series-'));
  try {
    cpSync(EXAMPLES_DIR, ws, { recursive: true });
    writeFileSync(
      path.join(ws, PART_4),
      '# 光滑近似漫谈（四）：排序的光滑近似\n\n本系列的(一)、(三)讲过的思路，这里用于排序；另见《光滑近似漫谈（一）：从最大值到Softmax》与《Attention Is All You Need》。\n\n$$\\mathrm{sort}(x)\\approx P_\\tau x$$\n',
    );
    const { page } = await openWorkbench({ workspace: ws });
    await openFile(page, PART_4);
    await runCommand(page, 'Math Notes: Open Preview to the Side');
    const frame = previewFrame(page);
    const bar = frame.locator('.mn-series-bar');
    await bar.waitFor({ state: 'visible', timeout: 60_000 });
    assert.match(await bar.innerText(), /光滑近似漫谈/);
    // Parts 1, 2 linked, 3 a gap, 4 here.
    assert.deepEqual(
      await bar
        .locator('.mn-series-part')
        .evaluateAll((els) =>
          els.map((e) => (e.classList.contains('mn-series-current') ? 'here' : e.classList.contains('mn-series-gap') ? 'gap' : 'link')),
        ),
      ['link', 'link', 'gap', 'here'],
    );
    assert.equal(await bar.locator('.mn-series-next.mn-disabled').count(), 1);
    // Citations: the title and 本系列的(一) link; (三) and a paper say why they do not.
    const ok = frame.locator('.mn-cite-ok');
    await ok.first().waitFor({ state: 'visible' });
    assert.equal(await ok.count(), 2);
    const unresolved = frame.locator('.mn-cite-unresolved');
    assert.equal(await unresolved.count(), 2);
    assert.match((await unresolved.nth(0).getAttribute('title')) ?? '', /not in the workspace/);
    assert.match((await unresolved.nth(1).getAttribute('title')) ?? '', /No post with this title/);
    // Hover card: the cited post's title and first sentence.
    await frame.locator('.mn-cite-ok[data-cite]').hover();
    const card = frame.locator('.mn-cite-card');
    await card.waitFor({ state: 'visible' });
    assert.match(await card.innerText(), /光滑近似漫谈（一）：从最大值到Softmax/);
    await screenshot(page, 'series-bar-and-citations', { docs: true });
    // Click: part 1 opens, the preview follows, and its end lists who cites it.
    await frame.locator('.mn-cite-ok[data-cite]').click();
    await page.locator('.tabs-container .tab.active', { hasText: PART_1 }).waitFor({ state: 'visible', timeout: 30_000 });
    const backlinks = frame.locator('.mn-backlinks .mn-backlink');
    await backlinks.first().waitFor({ state: 'visible', timeout: 30_000 });
    const citing = await backlinks.allInnerTexts();
    assert.ok(
      citing.some((t) => t.includes('光滑近似漫谈（四）')),
      citing.join(' | '),
    );
    assert.ok(
      citing.some((t) => t.includes('光滑近似漫谈（二）')),
      citing.join(' | '),
    );
    assert.match(await frame.locator('.mn-series-bar .mn-series-current').innerText(), /1/);
    await frame.locator('.mn-backlinks').scrollIntoViewIfNeeded();
    await screenshot(page, 'series-backlinks');
  } finally {
    rmSync(ws, { recursive: true, force: true });
  }
});
