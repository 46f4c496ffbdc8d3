// The VS Code test bed (see shared/vscode-testbed.md): VS Code's server and browser workbench from the
// `code-server` npm package, driven by Debian's Chromium through playwright-core.
//
//   import { startServer, launchBrowser, copyWorkspace } from './server.mjs'   (runners, UI tests)
//   node scripts/testbed/server.mjs --open [folder] [--port N] [--trust]         (run the product; the
//                                                                                repo's examples/ as a copy)
//
// MATHNOTES_TESTBED: where install.sh put code-server (default ~/.cache/mathnotes-testbed).
// MATHNOTES_KEEP_SERVER_STATE=1: keep each server's temp folder (server.log, user data) for debugging.
import { spawn, spawnSync } from 'node:child_process';
import { closeSync, cpSync, existsSync, mkdirSync, mkdtempSync, openSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import http from 'node:http';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const TESTBED_DIR = process.env.MATHNOTES_TESTBED || path.join(os.homedir(), '.cache/mathnotes-testbed');
const CODE_SERVER_ENTRY = path.join(TESTBED_DIR, 'code-server/node_modules/code-server/out/node/entry.js');
const LEASH = fileURLToPath(new URL('./leash.mjs', import.meta.url));
const CHROMIUM = '/usr/bin/chromium';
const HOST = '127.0.0.1';

/** User settings of every test-bed server: no start-up editors or marketplace look-ups in the way. */
export const DEFAULT_SETTINGS = {
  'workbench.startupEditor': 'none',
  'workbench.tips.enabled': false,
  'extensions.autoCheckUpdates': false,
  'extensions.autoUpdate': false,
  'extensions.ignoreRecommendations': true,
  'update.mode': 'none',
  'telemetry.telemetryLevel': 'off',
};

// Servers and workspace copies still alive: ended and removed even when the runner is interrupted
// (the servers run in their own process groups, so a Ctrl-C in the terminal does not reach them).
const liveServers = new Map(); // pid → state folder
const liveCopies = new Set();
let exitHooksInstalled = false;
function installExitHooks() {
  if (exitHooksInstalled) return;
  exitHooksInstalled = true;
  process.on('exit', () => {
    for (const [pid, stateDir] of liveServers) {
      try {
        process.kill(-pid, 'SIGKILL');
      } catch {}
      if (!process.env.MATHNOTES_KEEP_SERVER_STATE) rmSync(stateDir, { recursive: true, force: true });
    }
    for (const copy of liveCopies) removeWorkspaceCopy(copy);
  });
  // Turn signals into a normal exit so that the hook above runs.
  for (const [sig, code] of [
    ['SIGINT', 130],
    ['SIGTERM', 143],
    ['SIGHUP', 129],
  ]) {
    process.on(sig, () => process.exit(code));
  }
}

/** Asks the OS for a free loopback port (a tiny race with other starters is acceptable here). */
function freePort() {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, HOST, () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

/** Resolves once an HTTP request to the port gets any answer; rejects when `exited` settles first. */
async function waitForHttp(port, timeoutMs, exited) {
  const deadline = Date.now() + timeoutMs;
  let gone = null;
  exited.then((code) => (gone = code));
  while (Date.now() < deadline) {
    if (gone !== null) throw new Error(`code-server exited (${gone}) before it listened`);
    const up = await new Promise((resolve) => {
      const req = http.get({ host: HOST, port, path: '/healthz', timeout: 2000 }, (res) => {
        res.resume();
        resolve(true);
      });
      req.on('error', () => resolve(false));
      req.on('timeout', () => req.destroy());
    });
    if (up) return;
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`code-server did not answer on port ${port} within ${timeoutMs / 1000} s`);
}

/**
 * Starts code-server on a free loopback port with throw-away state.
 * `extensionPath` is only remembered for `url()`: code-server rejects VS Code's
 * `--extensionDevelopmentPath` flag, so development extensions come in through the URL's payload.
 * `trust: true` keeps Workspace Trust on (to test Restricted Mode); the test-run route needs it off.
 * `settings` are merged over DEFAULT_SETTINGS into the throw-away user settings.
 * `locale` (`zh-cn`): VS Code's display language, as a user who chose it (extensions get it as
 * `vscode.env.language`); it needs a language pack for that locale among `installExtensions`.
 * `installExtensions`: .vsix files installed into the throw-away extensions folder before start.
 */
export async function startServer({ workspace, extensionPath, trust = false, port, settings = {}, locale, installExtensions = [] } = {}) {
  if (!existsSync(CODE_SERVER_ENTRY)) {
    throw new Error(`code-server is not installed at ${CODE_SERVER_ENTRY}: run scripts/testbed/install.sh`);
  }
  if (workspace && !existsSync(workspace)) throw new Error(`no such workspace folder: ${workspace}`);
  port ??= await freePort();
  const stateDir = mkdtempSync(path.join(os.tmpdir(), 'mathnotes-server-'));
  // An explicit --config keeps code-server from writing a password file into ~/.config.
  writeFileSync(path.join(stateDir, 'config.yaml'), 'auth: none\n');
  mkdirSync(path.join(stateDir, 'user-data/User'), { recursive: true });
  writeFileSync(path.join(stateDir, 'user-data/User/settings.json'), JSON.stringify({ ...DEFAULT_SETTINGS, ...settings }, null, 2));
  const logFile = path.join(stateDir, 'server.log');
  const dirs = ['--user-data-dir', path.join(stateDir, 'user-data'), '--extensions-dir', path.join(stateDir, 'extensions')];
  for (const vsix of installExtensions) {
    const r = spawnSync(process.execPath, [CODE_SERVER_ENTRY, ...dirs, '--install-extension', path.resolve(vsix)], {
      encoding: 'utf8',
      timeout: 120_000,
    });
    if (r.status !== 0) throw new Error(`installing ${vsix} failed (${r.status}):\n${r.stdout}${r.stderr}`);
  }
  if (installExtensions.length) writeLanguagePacks(path.join(stateDir, 'extensions'), path.join(stateDir, 'user-data'));
  const args = [
    CODE_SERVER_ENTRY,
    '--config',
    path.join(stateDir, 'config.yaml'),
    '--auth',
    'none',
    '--bind-addr',
    `${HOST}:${port}`,
    ...dirs,
    '--disable-telemetry',
    '--disable-update-check',
    '--ignore-last-opened',
    ...(trust ? [] : ['--disable-workspace-trust']),
    ...(locale ? ['--locale', locale] : []),
    ...(workspace ? [path.resolve(workspace)] : []),
  ];
  const log = openSync(logFile, 'a');
  // Own process group, so stop() also ends the extension host and other children; the leash ends
  // that group if this process dies without calling stop().
  const child = spawn(process.execPath, [LEASH, String(process.pid), process.execPath, ...args], {
    detached: true,
    stdio: ['ignore', log, log],
  });
  closeSync(log);
  installExitHooks();
  liveServers.set(child.pid, stateDir);
  const exited = new Promise((resolve) => child.once('exit', (code, signal) => resolve(code ?? signal)));

  let stopped = false;
  const stop = async () => {
    if (stopped) return;
    stopped = true;
    const signalGroup = (sig) => {
      try {
        process.kill(-child.pid, sig);
      } catch {
        /* already gone */
      }
    };
    if (child.exitCode === null && child.signalCode === null) {
      signalGroup('SIGTERM');
      const timer = setTimeout(() => signalGroup('SIGKILL'), 5000);
      await exited;
      clearTimeout(timer);
    }
    signalGroup('SIGKILL'); // stragglers in the group (extension host, pty host)
    liveServers.delete(child.pid);
    if (!process.env.MATHNOTES_KEEP_SERVER_STATE) rmSync(stateDir, { recursive: true, force: true });
  };

  try {
    await waitForHttp(port, 60_000, exited);
  } catch (err) {
    let tail = '';
    try {
      tail = readFileSync(logFile, 'utf8').split('\n').slice(-30).join('\n');
    } catch {}
    await stop();
    throw new Error(`${err.message}\n--- code-server log ---\n${tail}`);
  }

  const origin = `http://${HOST}:${port}`;
  /** The browser's view of a local path: the workbench's remote authority is host:port. */
  const remoteUri = (p) => `vscode-remote://${HOST}:${port}${path.resolve(p)}`;
  /**
   * The workbench URL. `payload` is VS Code's list of [name, value] pairs; extensionDevelopmentPath
   * is added from `extensionPath` unless the caller gave its own.
   */
  const url = (payload = []) => {
    const pairs = [...payload];
    if (extensionPath && !pairs.some(([k]) => k === 'extensionDevelopmentPath')) {
      pairs.unshift(['extensionDevelopmentPath', remoteUri(extensionPath)]);
    }
    let u = `${origin}/`;
    const query = [];
    if (workspace) query.push(`folder=${encodeURIComponent(path.resolve(workspace))}`);
    if (pairs.length) query.push(`payload=${encodeURIComponent(JSON.stringify(pairs))}`);
    if (query.length) u += `?${query.join('&')}`;
    return u;
  };
  return { port, origin, url, remoteUri, stop, logFile, process: child };
}

/**
 * The server takes a display language from <user-data>/languagepacks.json, which VS Code's language
 * pack cache writes when the workbench asks for languages, not when the CLI installs a pack: written
 * here the same way (per language: the packs' ids and versions, their md5 hash, translation files).
 */
function writeLanguagePacks(extensionsDir, userDataDir) {
  const packs = {};
  for (const dir of readdirSync(extensionsDir, { withFileTypes: true })) {
    if (!dir.isDirectory()) continue;
    const folder = path.join(extensionsDir, dir.name);
    const manifest = JSON.parse(readFileSync(path.join(folder, 'package.json'), 'utf8'));
    for (const l of manifest.contributes?.localizations ?? []) {
      const pack = (packs[l.languageId] ??= {
        hash: '',
        extensions: [],
        translations: {},
        label: l.localizedLanguageName ?? l.languageName,
      });
      pack.extensions.push({
        extensionIdentifier: { id: `${manifest.publisher}.${manifest.name}`.toLowerCase() },
        version: manifest.version,
      });
      for (const t of l.translations) pack.translations[t.id] = path.join(folder, t.path);
    }
  }
  for (const pack of Object.values(packs)) {
    const md5 = createHash('md5');
    for (const e of pack.extensions) md5.update(e.extensionIdentifier.id).update(e.version);
    pack.hash = md5.digest('hex');
  }
  writeFileSync(path.join(userDataDir, 'languagepacks.json'), JSON.stringify(packs));
}

/** Chromium flags for this machine's closed network (see the recipe). */
export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** Headless Debian Chromium; playwright's launch() gives every browser a fresh temporary profile. */
export async function launchBrowser({ headless = true } = {}) {
  if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: run scripts/testbed/install.sh`);
  const { chromium } = await import('playwright-core');
  return chromium.launch({ executablePath: CHROMIUM, headless, args: CHROMIUM_ARGS });
}

/**
 * A fresh copy of a workspace folder (tests type into files, and edits reach the disk).
 * Returns `<tmp>/<basename(src)>`, so the workbench shows the original folder name;
 * removeWorkspaceCopy() deletes it with its temporary parent.
 */
export function copyWorkspace(src) {
  const parent = mkdtempSync(path.join(os.tmpdir(), 'mathnotes-ws-'));
  const dest = path.join(parent, path.basename(path.resolve(src)));
  cpSync(src, dest, { recursive: true });
  installExitHooks();
  liveCopies.add(dest);
  return dest;
}

export function removeWorkspaceCopy(copy) {
  liveCopies.delete(copy);
  const parent = path.dirname(copy);
  if (path.basename(parent).startsWith('mathnotes-ws-')) rmSync(parent, { recursive: true, force: true });
}

// --- `--open`: run the product in your own browser -------------------------------------------------
const EXAMPLES_DIR = path.join(REPO_ROOT, 'examples');

/**
 * The folder `--open` serves for `asked`: the repository's examples (or a folder in them) as a
 * temporary copy, since the web workbench autosaves and a look around would edit the shipped
 * notes; any other folder as it is (the user's own notes are meant to be edited).
 */
export function folderToServe(asked) {
  const inside = path.relative(EXAMPLES_DIR, path.resolve(asked));
  return inside.startsWith('..') || path.isAbsolute(inside) ? path.resolve(asked) : copyWorkspace(asked);
}
async function openForHumans(argv) {
  const flag = (name) => argv.includes(name);
  const value = (name) => {
    const i = argv.indexOf(name);
    return i >= 0 ? argv[i + 1] : undefined;
  };
  const positional = argv.filter((a, i) => !a.startsWith('--') && argv[i - 1] !== '--port');
  const asked = path.resolve(positional[0] ?? EXAMPLES_DIR);
  if (!existsSync(path.join(REPO_ROOT, 'dist/extension.js'))) {
    console.error('dist/extension.js is missing: run `npm run build` first.');
    process.exit(1);
  }
  const folder = folderToServe(asked);
  const port = value('--port') ? Number(value('--port')) : undefined;
  const server = await startServer({ workspace: folder, extensionPath: REPO_ROOT, trust: flag('--trust'), port });
  console.log(
    `Math Notes (development build from ${REPO_ROOT}) on ${folder}${folder === asked ? '' : ` (a copy of ${asked}, removed on exit)`}`,
  );
  console.log('Open this URL in a browser on this machine (Ctrl-C stops the server):');
  console.log(server.url());
  // Ctrl-C: the exit hooks end the server and remove its state.
  const code = await new Promise((resolve) => server.process.once('exit', resolve));
  console.error(`code-server exited (${code}); its log:`);
  console.error(readFileSync(server.logFile, 'utf8').split('\n').slice(-30).join('\n'));
  process.exit(1);
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const argv = process.argv.slice(2);
  if (argv[0] !== '--open') {
    console.error('usage: node scripts/testbed/server.mjs --open [folder] [--port N] [--trust]');
    process.exit(2);
  }
  openForHumans(argv.slice(1)).catch((err) => {
    console.error(err.message);
    process.exit(1);
  });
}
