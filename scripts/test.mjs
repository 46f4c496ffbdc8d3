// The one test command: type-check and compile with tsc, bundle with esbuild, lint (ESLint: the
// architecture's import boundaries, no import cycles), run every plain-Node
// test with node's test runner, then the end-to-end tests in a real VS Code (scripts/testbed/e2e.mjs:
// installs the test bed on first use). Ends with one line `N passed, N failed` for everything.
//
//   npm test                      everything
//   npm test -- --unit-only       unit tests only
//   npm test -- <file-substring>  the unit test files whose name contains it (no e2e)
import { execFileSync, spawn } from 'node:child_process';
import { readdirSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';

const run = (cmd, args) => execFileSync(cmd, args, { stdio: 'inherit' });
rmSync('out', { recursive: true, force: true });
run(process.execPath, ['node_modules/typescript/bin/tsc', '-p', '.']);
run(process.execPath, ['node_modules/typescript/bin/tsc', '-p', 'src/webview']);
run(process.execPath, ['scripts/build.mjs']);
// The architecture's boundaries and the lint rules (eslint.config.mjs): a violation fails the run.
run(process.execPath, ['node_modules/eslint/bin/eslint.js', 'src', 'test']);
// One formatting (.prettierrc.json, .editorconfig): `npm run format` writes it.
run(process.execPath, ['node_modules/prettier/bin/prettier.cjs', '--check', '--log-level', 'warn', 'src', 'test', 'scripts']);

/** Runs a command with its output relayed; resolves its exit code and the counts it printed. */
function relay(cmd, args, countsFrom) {
  return new Promise((resolve) => {
    const child = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (chunk) => {
      process.stdout.write(chunk);
      out += chunk;
    });
    child.on('close', (code) => resolve({ code: code ?? 1, ...countsFrom(out) }));
  });
}

const files = [];
const walk = (dir) => {
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) walk(p);
    else if (p.endsWith('.test.js')) files.push(p);
  }
};
walk('out/test/unit');
const args = process.argv.slice(2);
const unitOnly = args.includes('--unit-only');
const filter = args.find((a) => !a.startsWith('--'));
const selected = filter ? files.filter((f) => f.includes(filter)) : files;
// `node --test` with no files would look for tests everywhere (the UI tests too).
if (selected.length === 0) {
  console.error(`No unit test file matches "${filter}".`);
  process.exit(1);
}

// What the tests need beyond npm (a full run only; a filtered run uses what is there).
if (!unitOnly && !filter) run('bash', ['scripts/setup-python.sh']);

const last = (out, re) => Number([...out.matchAll(re)].pop()?.[1] ?? 0);
const unit = await relay(process.execPath, ['--test', ...selected.sort()], (out) => ({
  passed: last(out, /^# pass (\d+)/gm),
  failed: last(out, /^# fail (\d+)/gm),
}));
let passed = unit.passed;
let failed = unit.failed + (unit.code !== 0 && unit.failed === 0 ? 1 : 0);
if (!unitOnly && !filter) {
  const e2e = await relay(process.execPath, ['scripts/testbed/e2e.mjs'], (out) => {
    const m = [...out.matchAll(/^(\d+) passed, (\d+) failed/gm)].pop();
    return { passed: Number(m?.[1] ?? 0), failed: Number(m?.[2] ?? 0) };
  });
  passed += e2e.passed;
  failed += e2e.failed + (e2e.code !== 0 && e2e.failed === 0 ? 1 : 0);
}
console.log(`\nunit ${unit.passed} passed, ${unit.failed} failed`);
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
