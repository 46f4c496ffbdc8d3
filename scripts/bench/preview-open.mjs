// Part of `npm run bench` (issue #21): from the command that opens a preview to the first content
// on its page (the first formula was the measure at first: a long note's first screen may have none), in the real webview of a real workbench (code-server + Chromium, scripts/testbed),
// for our preview and VS Code's built-in Markdown preview (with its math extension), on notes of
// ~75 KB, ~0.5 MB, ~2 MB and ~5 MB (all within the preview's default size limit, 10 MB) made of
// corpus notes.
// - cold: the first preview in a fresh window (our render worker and KaTeX start with it);
// - warm: the same note again after another note's preview in the same window.
// Each time less the floor: a one-formula note's preview in the same kind of window (VS Code
// creating the webview), measured the same way. Prints ms and the ratio built-in / ours.
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { REPO_ROOT, openFile, openWorkbench, previewFrame, runCommand } from '../../test/ui/helpers.mjs';

const corpus = path.join(REPO_ROOT, '../shared/corpus/kexue-md');
const files = readdirSync(corpus)
  .filter((f) => f.endsWith('.md'))
  .sort();

/** Corpus notes one after another up to `bytes` (the first note whose size is closest, for small sizes). */
function noteOf(bytes) {
  const sized = files.map((f) => ({ f, n: Buffer.byteLength(readFileSync(path.join(corpus, f), 'utf8')) }));
  const closest = sized.sort((a, b) => Math.abs(a.n - bytes) - Math.abs(b.n - bytes))[0];
  if (Math.abs(closest.n - bytes) < bytes * 0.1) return readFileSync(path.join(corpus, closest.f), 'utf8');
  let text = '';
  for (let i = 0; Buffer.byteLength(text) < bytes; i++) text += readFileSync(path.join(corpus, files[i % files.length]), 'utf8') + '\n\n';
  return text;
}

const SIZES = (process.env.BENCH_SIZES ? (s) => s.filter(([l]) => process.env.BENCH_SIZES.split(',').includes(l)) : (s) => s)([
  ['75 KB', 75_000],
  ['0.5 MB', 500_000],
  ['2 MB', 1_950_000],
  ['5 MB', 5_000_000],
]);
/**
 * Each note's file name. Quick Open finds a file by its letters in order: of `note-500000.md` and
 * `note-5000000.md` it opened the second for the first's name, so no name here is spelled inside another.
 */
const NAMES = { '75 KB': 'a-75KB.md', '0.5 MB': 'b-half-MB.md', '2 MB': 'c-2MB.md', '5 MB': 'd-5MB.md' };
const nameOf = (label) => NAMES[label];
// BENCH_PREVIEWS=ours: ours alone (the built-in preview takes minutes on the 5 MB note).
const PREVIEWS = Object.fromEntries(
  Object.entries({
    ours: 'Math Notes: Open Preview to the Side',
    builtin: 'Markdown: Open Preview to the Side',
  }).filter(([who]) => !process.env.BENCH_PREVIEWS || process.env.BENCH_PREVIEWS.split(',').includes(who)),
);

/**
 * ms from the command to the page's first content (an element stamped with its source line: both
 * previews stamp them) — what the reader sees first; a long note's first screen may hold no formula,
 * which then comes with the rest.
 */
async function open(page, note, command) {
  await runCommand(page, 'View: Close All Editors');
  try {
    await openFile(page, note);
  } catch (err) {
    await page.screenshot({ path: path.join(tmpdir(), 'mn-open-bench-failed.png') });
    throw err;
  }
  await page.waitForTimeout(1500); // the editor and the extensions' first look at the note settle
  const before = new Set(page.frames());
  const t0 = Date.now();
  await runCommand(page, command);
  const ms = (await firstContentAt(page, before)) - t0;
  if (process.env.BENCH_STAGES && command === PREVIEWS.ours) {
    // Each update of this page so far, its times from the command: where the first screen's time went.
    const updates = await previewFrame(page)
      .locator('body')
      .evaluate(() => window.__mnTimings);
    const times = await previewFrame(page)
      .locator('body')
      .evaluate(() => window.__mnPageTimes);
    console.log(
      `    ${note}: the page's frame made ${times.frameAt - t0}, its script ran ${times.scriptAt - t0}, it was ready ${times.readyAt - t0}; first content ${ms}`,
    );
    for (const u of updates.filter((x) => x.receivedAt >= t0))
      console.log(
        `    ${note}: update ${u.version}: worker ${u.worker} ms (on CPU ${u.workerOnCpu}, waited ${u.workerWaited}); from the command: panel made ${u.openedAt - t0}, started ${u.startedAt - t0}, requested ${u.requestedAt - t0}, rendered ${u.renderedAt - t0}, posted ${u.postedAt - t0}, received ${u.receivedAt - t0}, applied ${u.appliedAt - t0}; ${u.chars} characters`,
      );
  }
  return ms;
}

/**
 * When the preview's page first held content (Date.now() in the page: the same clock). A locator's
 * wait polls a frame that does not exist yet at growing intervals, up to 500 ms late: the frames
 * are looked at every ~10 ms instead, and once the page's frame is there, a MutationObserver in it
 * notes the moment content arrives. Both previews' pages sit in a webview's `active-frame`
 * (`pending-frame` while it loads); only frames made after the command (`before`: those there) count.
 */
async function firstContentAt(page, before) {
  const started = Date.now();
  while (Date.now() - started < 300_000) {
    for (const frame of page.frames()) {
      if (before.has(frame) || frame.isDetached() || !['active-frame', 'pending-frame'].includes(frame.name())) continue;
      const at = await frame
        .evaluate(() => {
          if (window.__mnFirstContentAt) return window.__mnFirstContentAt;
          if (document.querySelector('[data-line]')) return (window.__mnFirstContentAt = Date.now());
          if (!window.__mnContentWatch && document.documentElement) {
            window.__mnContentWatch = new MutationObserver(() => {
              if (!window.__mnFirstContentAt && document.querySelector('[data-line]')) window.__mnFirstContentAt = Date.now();
            });
            window.__mnContentWatch.observe(document.documentElement, { childList: true, subtree: true });
          }
          return undefined;
        })
        .catch(() => undefined); // the frame went (a webview swaps its frames as it loads)
      if (at) return at;
    }
    await page.waitForTimeout(10);
  }
  throw new Error('no content on the preview page after 300 s');
}

const ws = mkdtempSync(path.join(tmpdir(), 'mn-open-'));
// BENCH_NO_LINT=1: lint as you type off (it renders a note just opened in the same worker).
// The notes are within the default size limit (10 MB).
const settings = process.env.BENCH_NO_LINT ? { 'mathNotes.lint.enabled': false } : {};
const rows = [];
try {
  writeFileSync(path.join(ws, 'floor.md'), '# 一个公式\n\n$$E = mc^2$$\n');
  writeFileSync(path.join(ws, 'other.md'), '# 另一篇\n\n$$a^2 + b^2 = c^2$$\n');
  for (const [label, bytes] of SIZES) writeFileSync(path.join(ws, nameOf(label)), noteOf(bytes));
  console.log('\nOpening a preview: ms from the command to the first content on the page, less the floor (a one-formula note):');
  for (const [label] of SIZES) {
    const row = { label };
    for (const [who, command] of Object.entries(PREVIEWS)) {
      // A window per measure: cold is the first preview in it.
      const floorWindow = await openWorkbench({ workspace: ws, viewport: { width: 1600, height: 1000 }, settings });
      const floor = await open(floorWindow.page, 'floor.md', command);
      await floorWindow.close();
      const { page, close } = await openWorkbench({ workspace: ws, viewport: { width: 1600, height: 1000 }, settings });
      try {
        const cold = await open(page, nameOf(label), command);
        await open(page, 'other.md', command);
        // Warm: against the floor in a window that has shown a preview too.
        const warmFloor = await open(page, 'floor.md', command);
        const warm = await open(page, nameOf(label), command);
        row[who] = { floor, warmFloor, cold: cold - floor, warm: warm - warmFloor };
        if (who === 'ours')
          row.stages = await previewFrame(page)
            .locator('body')
            .evaluate(() => window.__mnTimings.at(-1));
      } finally {
        await close();
      }
    }
    rows.push(row);
    const f = (x) => `${x.cold} cold, ${x.warm} warm (floors ${x.floor}, ${x.warmFloor})`;
    if (process.env.BENCH_STAGES) console.log(`    our last update's stages: ${JSON.stringify(row.stages)}`);
    if (!row.builtin || !row.ours)
      console.log(`  ${label.padEnd(7)} ${row.ours ? `Math Notes ${f(row.ours)}` : `built-in ${f(row.builtin)}`}`);
    else
      console.log(
        `  ${label.padEnd(7)} Math Notes ${f(row.ours)};  built-in ${f(row.builtin)};  built-in / ours: cold ${(row.builtin.cold / Math.max(1, row.ours.cold)).toFixed(1)}×, warm ${(row.builtin.warm / Math.max(1, row.ours.warm)).toFixed(1)}×`,
      );
  }
  console.log('  (targets, issue #21: first formula within 300 ms of the floor at 75 KB, 600 ms at 5 MB)');
} finally {
  rmSync(ws, { recursive: true, force: true });
}
