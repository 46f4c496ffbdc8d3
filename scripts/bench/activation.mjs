// Activation bench: how long the extension host takes to load our bundle (module evaluation, the
// larger part of activation; activate() itself is measured in the real host by the smoke test),
// against VS Code's own Markdown extension bundle loaded the same way in the same run.
// Each load is a fresh Node process with `vscode` stubbed; medians of interleaved runs.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const testbed = process.env.MATHNOTES_TESTBED || path.join(os.homedir(), '.cache/mathnotes-testbed');
const builtin = path.join(
  testbed,
  'code-server/node_modules/code-server/lib/vscode/extensions/markdown-language-features/dist/extension.js',
);
const ROUNDS = 15;

// Runs in the child: a `vscode` whose every member is a harmless callable proxy, then one timed require.
// (Bundlers copy a module's own properties: every member name in the bundle is listed as one of its keys.)
const probe = `
const Module = require('module');
const names = [...new Set([...require('fs').readFileSync(process.argv[1], 'utf8').matchAll(/\\.([A-Za-z_]\\w*)/g)].map((m) => m[1]))];
const stub = new Proxy(function () {}, {
  get: (t, k) => (k === Symbol.toPrimitive ? () => '' : k === 'then' || k === '__esModule' ? undefined : stub),
  apply: () => stub,
  construct: () => stub,
  ownKeys: (t) => [...new Set([...names, ...Reflect.ownKeys(t).filter((k) => !Reflect.getOwnPropertyDescriptor(t, k).configurable)])],
  getOwnPropertyDescriptor: (t, k) => Reflect.getOwnPropertyDescriptor(t, k)?.configurable === false ? Reflect.getOwnPropertyDescriptor(t, k) : { configurable: true, enumerable: true, value: stub },
});
const load = Module._load;
Module._load = function (request, ...rest) { return request === 'vscode' ? stub : load.call(this, request, ...rest); };
const t0 = performance.now();
require(process.argv[1]);
process.stdout.write(String(performance.now() - t0));
`;

function loadMs(bundle) {
  const r = spawnSync(process.execPath, ['-e', probe, bundle], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`loading ${bundle} failed:\n${r.stderr}`);
  return Number(r.stdout);
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const bundles = { ours: path.join(root, 'dist/extension.js'), web: path.join(root, 'dist/web/extension.js') };
if (existsSync(builtin)) bundles.builtin = builtin;
const times = Object.fromEntries(Object.keys(bundles).map((k) => [k, []]));
for (let i = 0; i < ROUNDS; i++) for (const [k, file] of Object.entries(bundles)) times[k].push(loadMs(file));

console.log(`\nActivation: loading the extension bundle (fresh process, median of ${ROUNDS}, ms)`);
console.log(`  Math Notes desktop bundle (dist/extension.js)      ${median(times.ours).toFixed(0)}`);
console.log(`  Math Notes web bundle (dist/web/extension.js)      ${median(times.web).toFixed(0)}`);
if (bundles.builtin) {
  console.log(`  VS Code's Markdown extension (markdown-language-features)  ${median(times.builtin).toFixed(0)}`);
  const paired = times.ours.map((t, i) => t / times.builtin[i]);
  console.log(`  ratio Math Notes / built-in Markdown = ${median(paired).toFixed(2)}× (per round, median)`);
} else {
  console.log('  (the test bed is not installed: no built-in Markdown extension to compare with)');
}
