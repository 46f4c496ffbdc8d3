// End-to-end tests in a real VS Code (shared/vscode-testbed.md): installs the test bed if needed, then
// runs (a) the mocha integration tests inside the extension host and (b) the Playwright UI tests.
// Builds nothing: `npm test` has already compiled with tsc and bundled with esbuild.
//
//   node scripts/testbed/e2e.mjs            MATHNOTES_SKIP_INSTALL=1 skips install.sh
//
// Ends with the combined plain line `N passed, N failed`; exits non-zero if anything failed.
import { spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

// A signal to this process alone (not the terminal's whole group) is passed on to the running child,
// whose own handlers end its servers and browsers.
let current;
for (const [sig, code] of [
  ['SIGINT', 130],
  ['SIGTERM', 143],
]) {
  process.on(sig, () => {
    current?.kill(sig);
    process.exitCode = code;
  });
}

/** Runs a command with its output relayed; resolves { code, summary } where summary is its last
 * `N passed, N failed` line. */
function run(cmd, args) {
  return new Promise((resolve) => {
    const child = spawn(cmd, args, { cwd: REPO_ROOT, stdio: ['ignore', 'pipe', 'inherit'] });
    current = child;
    let summary;
    let pending = '';
    child.stdout.on('data', (chunk) => {
      process.stdout.write(chunk);
      pending += chunk;
      const lines = pending.split('\n');
      pending = lines.pop();
      lines.forEach(readSummary);
    });
    const readSummary = (line) => {
      const m = /^(\d+) passed, (\d+) failed/.exec(line.trim());
      if (m) summary = { passed: Number(m[1]), failed: Number(m[2]) };
    };
    child.on('error', (err) => {
      console.error(`cannot run ${cmd}: ${err.message}`);
      resolve({ code: 1, summary });
    });
    child.on('close', (code) => {
      readSummary(pending);
      current = undefined;
      if (process.exitCode) process.exit(process.exitCode); // interrupted: stop here
      resolve({ code: code ?? 1, summary });
    });
  });
}

const started = Date.now();
const seconds = () => ((Date.now() - started) / 1000).toFixed(1);
let passed = 0;
let failed = 0;

if (process.env.MATHNOTES_SKIP_INSTALL !== '1') {
  const { code } = await run('bash', [path.join(REPO_ROOT, 'scripts/testbed/install.sh')]);
  if (code !== 0) {
    console.log('e2e: the test bed did not install (see above)');
    console.log('0 passed, 1 failed');
    process.exit(1);
  }
}

for (const [name, script] of [
  ['integration tests (extension host)', 'test/integration/runInBrowser.mjs'],
  ['UI tests (Playwright)', 'test/ui/run.mjs'],
]) {
  console.log(`\n=== ${name}: node ${script}`);
  const { code, summary } = await run(process.execPath, [script]);
  passed += summary?.passed ?? 0;
  // A runner that failed without counting a failure (crash, timeout) still counts as one.
  failed += code !== 0 ? Math.max(summary?.failed ?? 0, 1) : (summary?.failed ?? 0);
}

console.log(`\ne2e: ${seconds()} s`);
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed > 0 ? 1 : 0);
