// The desktop extension host renders nothing itself: KaTeX and the linter's formula rules run in the
// render worker. Its bundle must not carry them (the editor's "Fix all" once brought the whole
// renderer in through fixAll.ts → lintNote: 1.03 MB, now 0.68 MB). markdown-it stays: the host
// summarises small open notes for the series index itself.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';

const read = (file: string) => readFileSync(join(__dirname, '../../..', file), 'utf8');
// A message only KaTeX's parser has, and a kind only the conversion-artefact rule's code names.
const KATEX = 'Expected group after';
const FORMULA_RULE = 'escaped-set-brace';

test('the desktop host bundle carries neither KaTeX nor the formula rules; the render worker does', () => {
  const host = read('dist/extension.js');
  for (const [name, marker] of Object.entries({ KATEX, FORMULA_RULE })) assert.ok(!host.includes(marker), `${name} in dist/extension.js`);
  const worker = read('dist/renderWorker.js');
  for (const marker of [KATEX, FORMULA_RULE]) assert.ok(worker.includes(marker), `${marker} in dist/renderWorker.js`);
});
