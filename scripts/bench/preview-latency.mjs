// Part of `npm run bench`: time from a one-character edit in the editor to the patched DOM of the
// preview, in the real webview of a real workbench (code-server + Chromium, see scripts/testbed),
// for our preview and for VS Code's built-in Markdown preview (with its math extension) on the same
// ~200-equation corpus note, in the same run. Prints medians and the ratio (target ≥ 10×).
import { cpSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { REPO_ROOT, openFile, openWorkbench, previewFrame, runCommand } from '../../test/ui/helpers.mjs';

const corpus = path.join(REPO_ROOT, '../shared/corpus/kexue-md');
const ROUNDS = Number(process.env.ROUNDS ?? 9);

/** The corpus note whose number of display equations is closest to 200. */
function pickNote() {
  const displays = (t) => (t.match(/\\begin\{(?:equation|align|gather|multline|eqnarray)\*?\}|\$\$/g) ?? []).length;
  return readdirSync(corpus)
    .filter((f) => f.endsWith('.md'))
    .map((f) => ({ f, n: displays(readFileSync(path.join(corpus, f), 'utf8')) }))
    .sort((a, b) => Math.abs(a.n - 200) - Math.abs(b.n - 200))[0];
}

/** Wall-clock time of each measured keystroke. */
const keystrokes = [];
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

/** Records, inside the preview frame, the wall-clock time of every change to its content (not attributes: both previews mark the active line as the cursor moves). */
async function watch(frame) {
  await frame.locator('body').evaluate(() => {
    window.__mnMutations = [];
    new MutationObserver(() => window.__mnMutations.push(Date.now())).observe(document.body, { subtree: true, childList: true, characterData: true });
  });
}

/** Our time per stage for the measured keystrokes, from the page's own record (window.__mnTimings). */
async function stagesOf(frame) {
  const timings = await frame.locator('body').evaluate(() => window.__mnTimings);
  const rounds = keystrokes.splice(0).map((k) => [k, timings.find((t) => t.changedAt >= k)]).filter(([, t]) => t);
  const stage = (f) => median(rounds.map(([k, t]) => f(t, k)));
  return `keystroke to extension host ${stage((t, k) => t.changedAt - k)}, render ${stage((t) => t.renderedAt - t.changedAt)} (in the worker ${stage((t) => t.worker)}), ` +
    `to the page ${stage((t) => t.receivedAt - t.postedAt)}, patch ${stage((t) => t.appliedAt - t.receivedAt)}`;
}

/** Types one character at the end of a formula line in the middle of the note; ms until the page changed. */
async function editLatency(page, frame, line, key) {
  await page.keyboard.press('Control+G');
  await page.keyboard.type(String(line));
  await page.keyboard.press('Enter');
  await page.keyboard.press('End');
  await page.waitForTimeout(1500); // let scroll-sync and the previous update settle
  await frame.locator('body').evaluate(() => (window.__mnMutations = []));
  const t0 = Date.now();
  keystrokes.push(t0);
  await page.keyboard.press(key);
  for (let i = 0; i < 600; i++) {
    const first = await frame.locator('body').evaluate((_, since) => window.__mnMutations.find((t) => t >= since), t0);
    if (first) return first - t0;
    await page.waitForTimeout(10);
  }
  return Infinity;
}

async function measure(page, frame, line) {
  await watch(frame);
  const times = [];
  for (let k = 0; k < ROUNDS; k++) times.push(await editLatency(page, frame, line, k % 2 ? 'Backspace' : 'x'));
  return times;
}

const picked = pickNote();
const ws = mkdtempSync(path.join(tmpdir(), 'mn-bench-'));
cpSync(path.join(corpus, picked.f), path.join(ws, 'note.md'));
const text = readFileSync(path.join(ws, 'note.md'), 'utf8').split('\n');
// A line inside the middle formula: the edit changes one equation.
const mid = Math.floor(text.length / 2);
let line = text.findIndex((l, i) => i >= mid && /\\begin\{equation\}/.test(l)) + 1;
if (line <= 0) line = mid;
console.log(`\nPreview latency — "${picked.f}" (~${picked.n} displays), edit at line ${line}, ${ROUNDS} edits each, ms from keystroke to DOM change:`);
const { page, close } = await openWorkbench({ workspace: ws });
try {
  await openFile(page, 'note.md');
  await runCommand(page, 'Math Notes: Open Preview to the Side');
  let frame = previewFrame(page);
  await frame.locator('.katex').first().waitFor({ timeout: 120_000 });
  await page.locator('.editor-instance .monaco-editor .view-lines').first().click();
  const ours = await measure(page, frame, line);
  const stages = await stagesOf(frame);
  // Where our time went, per edit: keystroke → host saw the change → render back → posted → page got it → applied.
  await page.keyboard.press('Control+S');

  await runCommand(page, 'View: Close All Editors');
  await openFile(page, 'note.md');
  await runCommand(page, 'Markdown: Open Preview to the Side');
  frame = previewFrame(page);
  await frame.locator('.katex').first().waitFor({ timeout: 120_000 });
  await page.locator('.editor-instance .monaco-editor .view-lines').first().click();
  const builtin = await measure(page, frame, line);

  const fmt = (xs) => xs.map((x) => (Number.isFinite(x) ? x : '∞')).join(' ');
  console.log(`  Math Notes preview        median ${median(ours)}   (${fmt(ours)})`);
  console.log(`    stages (median ms): ${stages}  (the first and the third are VS Code's own path, the same for the built-in preview)`);
  console.log(`  VS Code built-in preview  median ${median(builtin)}   (${fmt(builtin)})`);
  console.log(`  ratio built-in / Math Notes = ${(median(builtin) / median(ours)).toFixed(1)}×  (target ≥ 10×)`);
} finally {
  await close();
  rmSync(ws, { recursive: true, force: true });
}
