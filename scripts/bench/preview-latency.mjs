// Part of `npm run bench`: time from a keystroke in the editor to the patched DOM of the preview,
// in the real webview of a real workbench (code-server + Chromium, see scripts/testbed), for our
// preview and for VS Code's built-in Markdown preview (with its math extension) on the same notes,
// in the same run: the ~200-equation corpus note (~75 KB), and ~0.5 MB and ~5 MB notes made of
// corpus notes (issue #21; BENCH_SIZES picks some). Typed: a character, and a line break (which
// moves every block below it). Prints medians and the ratio built-in / ours. BENCH_SETTINGS (JSON)
// adds workspace settings, to see what a feature costs the keystroke (`{"mathNotes.lint.enabled": false}`);
// BENCH_VERBOSE=1 prints each edit's stages beside their medians.
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { REPO_ROOT, openFile, openWorkbench, previewFrame, runCommand } from '../../test/ui/helpers.mjs';

const corpus = path.join(REPO_ROOT, '../shared/corpus/kexue-md');
const ROUNDS = Number(process.env.ROUNDS ?? 9);
/** A page busy building a 5 MB note answers late (the built-in preview's, for tens of seconds). */
const SLOW = { timeout: 180_000 };

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
  await frame.locator('body').evaluate(
    () => {
      window.__mnMutations = [];
      new MutationObserver(() => window.__mnMutations.push(Date.now())).observe(document.body, {
        subtree: true,
        childList: true,
        characterData: true,
      });
    },
    undefined,
    SLOW,
  );
}

/** Our time per stage for the measured keystrokes, from the page's own record (window.__mnTimings). */
async function stagesOf(frame) {
  const timings = await frame.locator('body').evaluate(() => window.__mnTimings, undefined, SLOW);
  const rounds = keystrokes
    .splice(0)
    .map((k) => [k, timings.find((t) => t.changedAt >= k)])
    .filter(([, t]) => t);
  const stage = (f) => median(rounds.map(([k, t]) => f(t, k)));
  // BENCH_VERBOSE=1: each edit's stages too (a median hides where an outlier's time went).
  const each = process.env.BENCH_VERBOSE
    ? rounds
        .map(
          ([k, t]) =>
            `\n        edit: host +${t.changedAt - k}, render ${t.renderedAt - t.changedAt} (worker ${t.worker}: on a core ${t.workerOnCpu}, ` +
            `waiting ${t.workerWaited}), to the page ${t.receivedAt - t.postedAt}, patch ${t.appliedAt - t.receivedAt}, applied at +${t.appliedAt - k}`,
        )
        .join('')
    : '';
  return (
    `keystroke to extension host ${stage((t, k) => t.changedAt - k)}, render ${stage((t) => t.renderedAt - t.changedAt)} ` +
    `(in the worker ${stage((t) => t.worker)}: on a core ${stage((t) => t.workerOnCpu ?? NaN)}, waiting for one ${stage((t) => t.workerWaited ?? NaN)}), ` +
    `to the page ${stage((t) => t.receivedAt - t.postedAt)}, patch ${stage((t) => t.appliedAt - t.receivedAt)}` +
    each
  );
}

/** Types one character at the end of a formula line in the middle of the note; ms until the page changed. */
async function editLatency(page, frame, line, key) {
  // A line break goes inside the line (a soft break in its paragraph: both previews show it); the
  // Backspace after it joins the line again, from the start of its second half.
  const join = key === 'Join';
  // Into the note's editor first: the built-in preview becomes the active editor as it updates, and
  // Go to Line then only says "Open a text editor first" (every keystroke of it went to that box).
  await page.locator('.editor-instance .monaco-editor .view-lines').first().click();
  await page.keyboard.press('Control+G');
  await page.keyboard.type(String(join ? line + 1 : line));
  await page.keyboard.press('Enter');
  await page.keyboard.press(join ? 'Home' : 'End');
  if (key === 'Enter') for (let i = 0; i < 3; i++) await page.keyboard.press('ArrowLeft');
  if (join) key = 'Backspace';
  await page.waitForTimeout(1500); // let scroll-sync and the previous update settle
  await frame.locator('body').evaluate(() => (window.__mnMutations = []), undefined, SLOW);
  const t0 = Date.now();
  keystrokes.push(t0);
  await page.keyboard.press(key);
  // Up to a minute: the built-in preview takes seconds a keystroke on a 5 MB note.
  while (Date.now() - t0 < 60_000) {
    const first = await frame.locator('body').evaluate((_, since) => window.__mnMutations.find((t) => t >= since), t0, SLOW);
    if (first) return first - t0;
    await page.waitForTimeout(10);
  }
  return Infinity;
}

/**
 * Corpus notes one after another up to `bytes`, their labels made unique per copy and each copy's
 * references renamed with them (else every reference of the note is broken: a (??) on the page and
 * a lint warning each, which no note a user types in has).
 */
function bigNote(bytes) {
  const files = readdirSync(corpus)
    .filter((f) => f.endsWith('.md'))
    .sort();
  let text = '';
  for (let i = 0; Buffer.byteLength(text) < bytes; i++) {
    const copy = Math.floor(i / files.length);
    text +=
      readFileSync(path.join(corpus, files[i % files.length]), 'utf8').replace(
        /\\((?:eq)?ref|label)\{([^}]*)\}/g,
        (_, cmd, l) => `\\${cmd}{${l}-${copy}}`,
      ) + '\n\n';
  }
  return text;
}

// The ~200-equation note, then (BENCH_SIZES, as preview-open.mjs) notes made of corpus notes.
const SIZES = [
  ['75 KB', () => readFileSync(path.join(corpus, pickNote().f), 'utf8')],
  ['0.5 MB', () => bigNote(500_000)],
  ['5 MB', () => bigNote(5_000_000)],
].filter(([label]) => !process.env.BENCH_SIZES || process.env.BENCH_SIZES.split(',').includes(label));
/** Keys typed: a character (and Backspace), and a line break (and Backspace), which moves everything below. */
const KEYS = [
  ['a character', (k) => (k % 2 ? 'Backspace' : 'x'), 'formula'],
  ['a line break', (k) => (k % 2 ? 'Join' : 'Enter'), 'prose'],
];

async function measureKey(page, frame, line, key) {
  keystrokes.length = 0;
  await watch(frame);
  const times = [];
  for (let k = 0; k < ROUNDS; k++) times.push(await editLatency(page, frame, line, key(k)));
  return times;
}

const fmt = (xs) => xs.map((x) => (Number.isFinite(x) ? x : '∞')).join(' ');
for (const [label, make] of SIZES) {
  const ws = mkdtempSync(path.join(tmpdir(), 'mn-bench-'));
  writeFileSync(path.join(ws, 'note.md'), make());
  // The notes are within the default size limit (10 MB): settings only as BENCH_SETTINGS asks.
  mkdirSync(path.join(ws, '.vscode'));
  writeFileSync(path.join(ws, '.vscode', 'settings.json'), JSON.stringify(JSON.parse(process.env.BENCH_SETTINGS ?? '{}')));
  const text = readFileSync(path.join(ws, 'note.md'), 'utf8').split('\n');
  // A line inside a formula in the middle of the note: the edit changes one equation.
  const mid = Math.floor(text.length / 2);
  let line = text.findIndex((l, i) => i >= mid && /\\begin\{equation\}/.test(l)) + 1;
  if (line <= 0) line = mid;
  // A line break goes into the prose line above that formula (a paragraph's last line).
  let prose = line - 2;
  while (prose > 1 && (!text[prose - 1].trim() || /[$\\]|^\s*[#|>`-]/.test(text[prose - 1]))) prose--;
  const at = { formula: line, prose };
  console.log(
    `\nPreview latency — ${label} note (${text.length} lines), a character at the end of line ${line} (in a formula), a line break near the end of line ${prose} (prose), ${ROUNDS} edits each, ms from keystroke to DOM change:`,
  );
  const { page, close } = await openWorkbench({ workspace: ws });
  try {
    const results = {};
    // BENCH_PREVIEWS=ours skips the built-in preview (minutes a keystroke on the 5 MB note).
    for (const [name, command] of [
      ['ours', 'Math Notes: Open Preview to the Side'],
      ['builtin', 'Markdown: Open Preview to the Side'],
    ].filter(([name]) => !process.env.BENCH_PREVIEWS || process.env.BENCH_PREVIEWS.split(',').includes(name))) {
      try {
        await runCommand(page, 'View: Close All Editors');
        await openFile(page, 'note.md');
        await runCommand(page, command);
        const frame = previewFrame(page);
        // To the edited formula first: a note of 1.5 M characters and more is rendered only around
        // the reader, and the 5 MB note's first screen (a corpus note of tables) has no formula.
        await page.locator('.editor-instance .monaco-editor .view-lines').first().click();
        await page.keyboard.press('Control+G');
        await page.keyboard.type(String(at.formula));
        await page.keyboard.press('Enter');
        await frame.locator('.katex').first().waitFor({ timeout: 600_000 });
        for (const [keyName, key, where] of KEYS) {
          results[`${name} ${keyName}`] = await measureKey(page, frame, at[where], key);
          // Where our time went, per edit: keystroke → host saw the change → render back → posted → page got it → applied.
          if (name === 'ours') results[`${name} ${keyName} stages`] = await stagesOf(frame);
          const times = results[`${name} ${keyName}`];
          console.log(`    ${name}, ${keyName}: median ${median(times)}   (${fmt(times)})`);
        }
        await runCommand(page, 'File: Revert File');
      } catch (e) {
        // A preview that cannot take the note at all (the built-in one on 5 MB, in some runs) is a result too.
        console.log(`    ${name}: did not finish — ${String(e.message).split('\n')[0]}`);
        await runCommand(page, 'File: Revert File').catch(() => {});
      }
    }
    for (const [keyName] of KEYS) {
      const ours = results[`ours ${keyName}`];
      const builtin = results[`builtin ${keyName}`];
      console.log(`  ${keyName}:`);
      console.log(`    Math Notes preview        ${ours ? `median ${median(ours)}   (${fmt(ours)})` : 'did not finish'}`);
      if (ours)
        console.log(
          `      stages (median ms): ${results[`ours ${keyName} stages`]}  (the first and the third are VS Code's own path, the same for the built-in preview)`,
        );
      console.log(`    VS Code built-in preview  ${builtin ? `median ${median(builtin)}   (${fmt(builtin)})` : 'did not finish'}`);
      if (ours && builtin)
        console.log(
          `    ratio built-in / Math Notes = ${(median(builtin) / median(ours)).toFixed(1)}×  (targets: ≥ 12× at 75 KB; ≤ 120 ms at 5 MB)`,
        );
    }
  } finally {
    await close();
    rmSync(ws, { recursive: true, force: true });
  }
}
