// Runs the Playwright UI tests (test/ui/*.test.mjs) one after another, each in its own workbench.
// Builds nothing: run `npm run build` first.
//
//   node test/ui/run.mjs [name-substring]
//
// A failing test leaves test-artifacts/ui/FAILED-<test>.png. Ends with a plain `N passed, N failed`.
import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { REPO_ROOT, openResources, registeredTests, screenshot } from './helpers.mjs';

const UI_DIR = path.join(REPO_ROOT, 'test/ui');

async function withTimeout(promise, ms, what) {
  let timer;
  const timeout = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} timed out after ${ms / 1000} s`)), ms);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** Closes everything the test opened; on failure first photographs each page it left open. */
async function cleanUp(testName, failed) {
  while (openResources.length) {
    const resource = openResources.shift();
    if (failed && resource.page && !resource.page.isClosed()) {
      const file = await screenshot(resource.page, `FAILED-${testName}`).catch(() => undefined);
      if (file) console.log(`    screenshot: ${path.relative(REPO_ROOT, file)}`);
    }
    await resource.close().catch((err) => console.log(`    (clean-up: ${err.message})`));
  }
}

async function main() {
  if (!existsSync(path.join(REPO_ROOT, 'dist/extension.js'))) {
    throw new Error('dist/extension.js is missing: run `npm run build` first');
  }
  const filter = process.argv[2];
  const files = readdirSync(UI_DIR)
    .filter((f) => f.endsWith('.test.mjs'))
    .sort();
  for (const f of files) {
    const before = registeredTests.length;
    await import(pathToFileURL(path.join(UI_DIR, f)).href);
    for (const t of registeredTests.slice(before)) t.file = f;
  }
  const selected = registeredTests.filter((t) => !filter || t.name.includes(filter) || t.file.includes(filter));

  const started = Date.now();
  let passed = 0;
  let failed = 0;
  for (const t of selected) {
    const t0 = Date.now();
    let error;
    try {
      await withTimeout(t.fn(), t.timeout, `"${t.name}"`);
    } catch (err) {
      error = err;
    }
    await cleanUp(t.name, Boolean(error));
    const secs = ((Date.now() - t0) / 1000).toFixed(1);
    if (error) {
      failed++;
      console.log(`  ✗ ${t.file}: ${t.name} (${secs} s)`);
      console.log(
        `      ${String(error?.stack ?? error)
          .split('\n')
          .join('\n      ')}`,
      );
    } else {
      passed++;
      console.log(`  ✓ ${t.file}: ${t.name} (${secs} s)`);
    }
  }
  if (selected.length === 0) console.log(`no UI test matches ${JSON.stringify(filter)}`);
  console.log(`ui: ${((Date.now() - started) / 1000).toFixed(1)} s`);
  console.log(`${passed} passed, ${failed} failed`);
  return failed === 0 && selected.length > 0 ? 0 : 1;
}

main().then(
  (code) => process.exit(code),
  async (err) => {
    console.error(err?.stack ?? String(err));
    await cleanUp('runner', false);
    console.log('0 passed, 1 failed');
    process.exit(1);
  },
);
