// The formula drawer ships as its own bundle (dist/formulaSvg.js), loaded on first use by both
// extension hosts the way the web host runs extension code; neither host's bundle carries MathJax.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import vm from 'node:vm';
import { runCommonJsBundle } from '../../src/core/commonJsBundle';

const root = join(__dirname, '../../..');
const read = (file: string) => readFileSync(join(root, file), 'utf8');
// A message only MathJax's TeX input has.
const MATHJAX = 'maximum macro substitution count exceeded';

test('MathJax is in dist/formulaSvg.js only, not in the bundles the hosts load at activation', () => {
  assert.ok(read('dist/formulaSvg.js').includes(MATHJAX));
  for (const bundle of ['dist/extension.js', 'dist/web/extension.js']) assert.ok(!read(bundle).includes(MATHJAX), bundle);
});

test('the bundle runs where the web host runs code: no require, no Node globals, only what a worker has', () => {
  const source = read('dist/formulaSvg.js');
  // A context of its own: ECMAScript's built-ins and the worker's TextEncoder, nothing of Node's.
  const worker = vm.createContext({ TextEncoder, source });
  const t0 = performance.now();
  const result = vm.runInContext(
    `(${runCommonJsBundle.toString()})(source, 'dist/formulaSvg.js').formulaSvg('\\\\sqrt{x^2}\\\\tag{1}', { display: true, fontSizePx: 16, color: '#ffffff' })`,
    worker,
  ) as { dataUri?: string; widthPx?: number };
  console.log(`      loaded and drew its first formula in ${(performance.now() - t0).toFixed(0)} ms`);
  assert.match(result.dataUri ?? '', /^data:image\/svg\+xml;base64,/);
  assert.ok((result.widthPx ?? 0) > 16);
  assert.equal(vm.runInContext('typeof require + typeof process + typeof Buffer', worker), 'undefinedundefinedundefined');
});

test('runCommonJsBundle: exports what the bundle assigns, refuses what it would require', () => {
  assert.deepEqual(runCommonJsBundle<{ a: number }>('module.exports.a = 1;', 'one.js'), { a: 1 });
  assert.throws(() => runCommonJsBundle('require("fs")', 'two.js'), /two\.js: cannot require 'fs'/);
});
