// Runs the mocha integration tests (out/test/integration/index.js) inside VS Code's real Node
// extension host: code-server + its browser workbench in headless Chromium (shared/vscode-testbed.md).
// Builds nothing: run `npm run build` and `tsc -p .` first.
//
//   node test/integration/runInBrowser.mjs [--workspace DIR] [--grep PATTERN] [--tests INDEX_JS] [--verbose]
//
// --grep narrows the run to matching full test titles (MATHNOTES_TEST_GREP, read by index.ts);
// --tests names another compiled test entry (default out/test/integration/index.js).
//
// Prints the tests' output, then a closing `N passed, N failed` line; exits with the workbench's code.
import { existsSync } from 'node:fs';
import path from 'node:path';
import { REPO_ROOT, copyWorkspace, launchBrowser, removeWorkspaceCopy, startServer } from '../../scripts/testbed/server.mjs';

const RUN_TIMEOUT_MS = 5 * 60_000;

function parseArgs(argv) {
  const opts = {
    workspace: path.join(REPO_ROOT, 'examples'),
    tests: path.join(REPO_ROOT, 'out/test/integration/index.js'),
    grep: undefined,
    verbose: false,
  };
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--workspace') opts.workspace = path.resolve(argv[++i]);
    else if (argv[i] === '--grep') opts.grep = argv[++i];
    else if (argv[i] === '--tests') opts.tests = path.resolve(argv[++i]);
    else if (argv[i] === '--verbose') opts.verbose = true;
    else throw new Error(`unknown argument ${argv[i]}`);
  }
  return opts;
}

/** The workbench's own start-up chatter, hidden unless --verbose (extension-host console output
 * arrives through the same codeAutomationLog(level, args) channel, untagged). */
const WORKBENCH_NOISE = [
  /^Resolv(ing|ed) connection token/,
  /^Creating a socket/,
  /^Updating additional builtin extensions cache/,
  /^\[Service Worker\]/,
  /^ChatSessionStore:/,
  /ENOTFOUND open-vsx\.org/, // the marketplace is unreachable here
];

function formatLog(args) {
  const parts = Array.isArray(args) ? args : [args];
  return parts.map((a) => (typeof a === 'string' ? a : JSON.stringify(a))).join(' ');
}

async function main() {
  const opts = parseArgs(process.argv.slice(2));
  for (const f of [path.join(REPO_ROOT, 'dist/extension.js'), opts.tests]) {
    if (!existsSync(f)) throw new Error(`${f} is missing: run \`npm run build\` and \`npx tsc -p .\``);
  }
  if (opts.grep) process.env.MATHNOTES_TEST_GREP = opts.grep; // inherited by the extension host

  const started = Date.now();
  const workspace = copyWorkspace(opts.workspace);
  let server;
  let browser;
  const counts = { passed: 0, failed: 0, seen: false };
  let exitCode = 1;
  try {
    server = await startServer({ workspace, extensionPath: REPO_ROOT });
    browser = await launchBrowser();
    const page = await browser.newPage();

    let onExit;
    const exited = new Promise((resolve) => (onExit = resolve));
    await page.exposeFunction('codeAutomationLog', (level, args) => {
      const text = formatLog(args);
      const m = /MOCHA-RESULT passed=(\d+) failed=(\d+)/.exec(text);
      if (m) {
        counts.passed = Number(m[1]);
        counts.failed = Number(m[2]);
        counts.seen = true;
      }
      if (!opts.verbose && WORKBENCH_NOISE.some((re) => re.test(text))) return;
      console.log(level === 'info' ? text : `[${level}] ${text}`);
    });
    await page.exposeFunction('codeAutomationExit', (code) => onExit(Number(code)));
    // The browser's own console and errors (the workbench's, the webviews'), to debug a page.
    if (process.env.MATHNOTES_BROWSER_CONSOLE) {
      page.on('console', (m) => console.log(`[browser ${m.type()}] ${m.text().slice(0, 400)}`));
      page.on('pageerror', (e) => console.log(`[browser error] ${e.message.slice(0, 400)}`));
    }

    await page.goto(
      server.url([
        ['extensionDevelopmentPath', server.remoteUri(REPO_ROOT)],
        ['extensionTestsPath', server.remoteUri(opts.tests)],
      ]),
    );
    let timer;
    const timedOut = new Promise((resolve) => (timer = setTimeout(() => resolve('timeout'), RUN_TIMEOUT_MS)));
    const result = await Promise.race([exited, timedOut]);
    clearTimeout(timer);
    if (result === 'timeout') {
      console.log(`integration tests did not finish within ${RUN_TIMEOUT_MS / 60_000} min (server log: ${server.logFile})`);
      exitCode = 1;
    } else {
      exitCode = result;
    }
  } finally {
    await browser?.close().catch(() => {});
    await server?.stop();
    removeWorkspaceCopy(workspace);
  }

  // A run that crashed before mocha reported still counts as a failure.
  if (!counts.seen || (exitCode !== 0 && counts.failed === 0)) counts.failed = Math.max(counts.failed, 1);
  if (counts.failed > 0 && exitCode === 0) exitCode = 1;
  console.log(`integration: ${((Date.now() - started) / 1000).toFixed(1)} s, exit code ${exitCode}`);
  console.log(`${counts.passed} passed, ${counts.failed} failed`);
  return exitCode;
}

main().then(
  (code) => process.exit(code),
  (err) => {
    console.error(err?.stack ?? String(err));
    console.log('0 passed, 1 failed');
    process.exit(1);
  },
);
