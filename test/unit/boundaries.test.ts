// The architecture's boundaries are checked by ESLint (eslint.config.mjs, `npm run lint`, part of
// `npm test`): this asks the real linter, with the project's own configuration, about imports that
// must fail and ones that must pass. (That the sources pass, `npm test` checks by running it.)
import assert from 'node:assert/strict';
import { resolve } from 'node:path';
import { test } from 'node:test';
import { ESLint } from 'eslint';

const root = resolve(__dirname, '../../..');
const eslint = new ESLint({ cwd: root });

async function problems(code: string, file: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath: resolve(root, file) });
  return result.messages.map((m) => `${m.ruleId}: ${m.message}`);
}

test('src/core may not import vscode, Node built-ins or an adapter; src/node and the page may not import vscode', async () => {
  const refused: Array<[string, string]> = [
    ["import * as vscode from 'vscode';\nexport const v = vscode;\n", 'src/core/render/probe.ts'],
    ["import { readFileSync } from 'node:fs';\nexport const r = readFileSync;\n", 'src/core/lint/probe.ts'],
    ["import { join } from 'path';\nexport const j = join;\n", 'src/core/probe.ts'],
    ["import { activate } from '../../extension/desktop';\nexport const a = activate;\n", 'src/core/render/probe.ts'],
    ["import * as vscode from 'vscode';\nexport const v = vscode;\n", 'src/node/probe.ts'],
    ["import { readFileSync } from 'node:fs';\nexport const r = readFileSync;\n", 'src/webview/probe.ts'],
  ];
  for (const [code, file] of refused) {
    const found = await problems(code, file);
    assert.ok(
      found.some((p) => p.startsWith('no-restricted-imports')),
      `${file}: ${code.split('\n')[0]} → ${JSON.stringify(found)}`,
    );
  }
  const allowed: Array<[string, string]> = [
    ["import { escapeHtml } from '../html';\nexport const e = escapeHtml;\n", 'src/core/render/probe.ts'],
    [
      "import * as vscode from 'vscode';\nimport { readFileSync } from 'node:fs';\nexport const v = [vscode, readFileSync];\n",
      'src/extension/probe.ts',
    ],
    [
      "import { readFileSync } from 'node:fs';\nimport { renderNote } from '../core/render/renderNote';\nexport const v = [readFileSync, renderNote];\n",
      'src/node/probe.ts',
    ],
  ];
  for (const [code, file] of allowed) assert.deepEqual(await problems(code, file), [], file);
});
