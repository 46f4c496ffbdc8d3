// Helpers for UI tests of the extension as a person sees it: VS Code's browser workbench (code-server)
// in headless Chromium, driven by playwright-core. See shared/vscode-testbed.md and test/ui/run.mjs.
//
//   import { test, openWorkbench, openFile, runCommand, previewFrame, screenshot } from './helpers.mjs';
//   test('preview shows equation numbers', async () => {
//     const { page } = await openWorkbench();
//     await openFile(page, 'note.md');
//     await runCommand(page, 'Math Notes: Open Preview to the Side');
//     await previewFrame(page).locator('.katex').first().waitFor();
//   });
import { existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { REPO_ROOT, copyWorkspace, launchBrowser, removeWorkspaceCopy, startServer } from '../../scripts/testbed/server.mjs';

export { REPO_ROOT };
export const ARTIFACTS_DIR = path.join(REPO_ROOT, 'test-artifacts/ui');
export const EXAMPLES_DIR = path.join(REPO_ROOT, 'examples');
export const DOCS_IMAGES_DIR = path.join(REPO_ROOT, 'docs/images');

/** A path inside ../shared (the real notes beside the repository, never copied into it); a clear message when it is not there. */
export function sharedPath(...parts) {
  const p = path.join(REPO_ROOT, '../shared', ...parts);
  if (!existsSync(p))
    throw new Error(
      `${p} is missing: these tests read the real notes in ../shared (seeds and corpora beside the repository). Check out the project next to its shared folder.`,
    );
  return p;
}

// --- the test registry that run.mjs drives --------------------------------------------------------
/** @type {{ name: string, fn: () => Promise<void>, timeout: number, file?: string }[]} */
export const registeredTests = [];
/** Cleanups of what the running test opened (servers, browsers, workspace copies), newest first. */
export const openResources = [];

/** Registers a UI test. Each test opens its own workbench; run.mjs closes it whatever happens. */
export function test(name, fn, { timeout = 180_000 } = {}) {
  registeredTests.push({ name, fn, timeout });
}

// --- workbench ----------------------------------------------------------------------------------
/**
 * Starts code-server on a fresh copy of `workspace` with this repo's extension loaded as a development
 * extension, opens the workbench in Chromium and waits until it has rendered.
 * Returns { page, browser, server, workspacePath, close }; run.mjs also closes it after the test.
 */
export async function openWorkbench({
  workspace = EXAMPLES_DIR,
  extension = true,
  trust = false,
  viewport = { width: 1400, height: 900 },
  locale,
  installExtensions,
  settings,
} = {}) {
  const workspacePath = copyWorkspace(workspace);
  let server;
  let browser;
  let closed = false;
  const close = async () => {
    if (closed) return;
    closed = true;
    await browser?.close().catch(() => {});
    await server?.stop();
    removeWorkspaceCopy(workspacePath);
  };
  const resource = { close, page: undefined };
  openResources.unshift(resource);
  server = await startServer({
    workspace: workspacePath,
    extensionPath: extension ? REPO_ROOT : undefined,
    trust,
    locale,
    installExtensions,
    settings,
  });
  browser = await launchBrowser();
  const page = await browser.newPage({ viewport });
  resource.page = page;
  await page.goto(server.url());
  await waitForWorkbench(page);
  return { page, browser, server, workspacePath, close };
}

/** The workbench has rendered its parts and the explorer shows the folder. */
export async function waitForWorkbench(page, timeout = 60_000) {
  await page.locator('.monaco-workbench .part.editor').waitFor({ state: 'visible', timeout });
  await page.locator('.monaco-workbench .part.statusbar').waitFor({ state: 'visible', timeout });
  await page.locator('.explorer-folders-view .monaco-list-row').first().waitFor({ state: 'visible', timeout });
}

// --- quick input (command palette, quick open) ------------------------------------------------------
const quickInput = (page) => page.locator('.quick-input-widget');
const quickInputRows = (page) => page.locator('.quick-input-widget .quick-input-list .monaco-list-row');

async function closeQuickInput(page) {
  if (await quickInput(page).isVisible()) await page.keyboard.press('Escape');
}

/**
 * Opens the palette (F1), types `title` and waits for a row whose label contains it. Extension
 * commands appear only several seconds after load, so it reopens the palette until `timeout`.
 * Leaves the palette open with the row found; returns that row's locator.
 */
export async function findPaletteCommand(page, title, { timeout = 45_000 } = {}) {
  const deadline = Date.now() + timeout;
  for (;;) {
    await closeQuickInput(page);
    await page.keyboard.press('F1');
    await quickInput(page).locator('input').waitFor({ state: 'visible', timeout: 10_000 });
    await page.keyboard.type(title);
    const row = quickInputRows(page).filter({ hasText: title }).first();
    try {
      await row.waitFor({ state: 'visible', timeout: Math.min(3_000, Math.max(deadline - Date.now(), 1)) });
      return row;
    } catch (err) {
      if (Date.now() >= deadline) {
        await closeQuickInput(page);
        throw new Error(`command "${title}" did not appear in the palette within ${timeout / 1000} s`);
      }
    }
  }
}

/** Runs a command by its palette title (e.g. 'Math Notes: Export Note to HTML'). */
export async function runCommand(page, title, options) {
  const row = await findPaletteCommand(page, title, options);
  await row.click();
  await quickInput(page)
    .waitFor({ state: 'hidden', timeout: 10_000 })
    .catch(() => {});
}

/** Opens a workspace file through quick open (Ctrl+P) and waits until its editor tab is active. */
export async function openFile(page, relativePath, { timeout = 30_000 } = {}) {
  const base = path.basename(relativePath);
  await closeQuickInput(page);
  await page.keyboard.press('Control+P');
  await quickInput(page).locator('input').waitFor({ state: 'visible', timeout: 10_000 });
  await page.keyboard.type(relativePath);
  // The file search of a fresh server may lag a moment behind the first keystrokes. The row is
  // clicked, not taken by Enter: until the search answers, the first row is a recently opened
  // file (seen: another note opened instead).
  const row = quickInputRows(page).filter({ hasText: base }).first();
  await row.waitFor({ state: 'visible', timeout });
  await row.click();
  await page.locator('.tabs-container .tab.active', { hasText: base }).waitFor({ state: 'visible', timeout });
  await page.locator('.editor-instance .monaco-editor').first().waitFor({ state: 'visible', timeout });
}

// --- webviews -----------------------------------------------------------------------------------
/**
 * The document inside a webview panel (e.g. the Math Notes preview): two nested iframes.
 * `index` picks among several visible webviews.
 */
export function previewFrame(page, index = 0) {
  return page.frameLocator('iframe.webview.ready').nth(index).frameLocator('iframe#active-frame');
}

/**
 * The first block with a source line at or below the top of a preview page (`root`: the page's
 * `html` locator), marked `data-probe` (the mark moves from any earlier one): its line, its place,
 * and whether it is a placeholder.
 */
export function markTopBlock(root) {
  return root.evaluate(() => {
    document.querySelector('[data-probe]')?.removeAttribute('data-probe');
    for (const el of document.querySelectorAll('.mn-block > [data-line]')) {
      const r = el.getBoundingClientRect();
      if (r.bottom > 0 && r.height > 0) {
        el.setAttribute('data-probe', '1');
        // A block's stamps count from its first line (data-base).
        return {
          line: Number(el.getAttribute('data-line')) + Number(el.parentElement?.getAttribute('data-base') ?? 0),
          top: r.top,
          pending: el.classList.contains('mn-pending'),
        };
      }
    }
    return undefined;
  });
}

// --- artifacts ----------------------------------------------------------------------------------
/**
 * Saves a PNG to test-artifacts/ui/<name>.png and returns its path. `docs: true` marks a picture
 * the README shows: with MATHNOTES_DOCS_SCREENSHOTS=1 it is also written to docs/images/<name>.jpg
 * (JPEG keeps the .vsix, which carries the README, within its budget).
 */
export async function screenshot(page, name, { docs = false } = {}) {
  mkdirSync(ARTIFACTS_DIR, { recursive: true });
  const file = path.join(ARTIFACTS_DIR, `${name.replace(/[^\w.-]+/g, '_')}.png`);
  await page.screenshot({ path: file });
  if (docs && process.env.MATHNOTES_DOCS_SCREENSHOTS) {
    mkdirSync(DOCS_IMAGES_DIR, { recursive: true });
    await page.screenshot({ path: path.join(DOCS_IMAGES_DIR, `${name}.jpg`), type: 'jpeg', quality: 70 });
  }
  return file;
}
