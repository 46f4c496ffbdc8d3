// Every user-facing string exists in English and 简体中文: manifest keys in both package.nls files,
// every vscode.l10n.t() message of the extension in the Chinese bundle.
import assert from 'node:assert/strict';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';

const root = join(__dirname, '../../..');
const json = (p: string) => JSON.parse(readFileSync(join(root, p), 'utf8')) as Record<string, string>;

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((n) => {
    const p = join(dir, n);
    return statSync(p).isDirectory() ? sources(p) : p.endsWith('.ts') ? [p] : [];
  });
}

test('every %key% of package.json is in package.nls.json and package.nls.zh-cn.json', () => {
  const manifest = readFileSync(join(root, 'package.json'), 'utf8');
  const keys = [...manifest.matchAll(/"%([^%"]+)%"/g)].map((m) => m[1]);
  assert.ok(keys.length > 10);
  for (const file of ['package.nls.json', 'package.nls.zh-cn.json']) {
    const nls = json(file);
    for (const k of keys) assert.ok(nls[k], `${file} lacks ${k}`);
  }
});

test('every vscode.l10n.t message has a 简体中文 translation', () => {
  const zh = json('l10n/bundle.l10n.zh-cn.json');
  const messages = sources(join(root, 'src/extension')).flatMap((f) =>
    [...readFileSync(f, 'utf8').matchAll(/l10n\.t\(\s*'((?:[^'\\]|\\.)*)'/g)].map((m) => m[1]),
  );
  assert.ok(messages.length > 10);
  for (const m of messages) assert.ok(zh[m], `l10n/bundle.l10n.zh-cn.json lacks "${m}"`);
});

/** A string literal's value as the program sees it ('…' or "…", with JS escapes). */
const literal = (quoted: string) => JSON.parse(quoted[0] === '"' ? quoted : `"${quoted.slice(1, -1).replace(/\\'/g, "'").replace(/"/g, '\\"')}"`) as string;

test('every message of the core and the CLI (lint findings, fix titles, CLI output, usage) has a 简体中文 translation', () => {
  const keys = new Set<string>();
  for (const f of [...sources(join(root, 'src/core')), ...sources(join(root, 'src/cli'))]) {
    for (const m of readFileSync(f, 'utf8').matchAll(/\b(?:msg|say)\(\s*('(?:[^'\\]|\\.)*'|"(?:[^"\\]|\\.)*")/g)) keys.add(literal(m[1]));
  }
  // Messages kept in tables, and the usage texts.
  const { MATHJAX_ONLY, ARTEFACT_MESSAGE } = require('../../src/core/lint/rules/formulaRules') as typeof import('../../src/core/lint/rules/formulaRules');
  for (const v of [...Object.values(MATHJAX_ONLY), ...Object.values(ARTEFACT_MESSAGE)]) keys.add(v);
  const { USAGE, LINT_USAGE } = require('../../src/cli/usage') as typeof import('../../src/cli/usage');
  keys.add(USAGE).add(LINT_USAGE);
  assert.ok(keys.size > 60, `${keys.size} messages found`);
  const { ZH_CN } = require('../../src/core/l10n/zh-cn') as typeof import('../../src/core/l10n/zh-cn');
  const missing = [...keys].filter((k) => !ZH_CN[k]);
  assert.deepEqual(missing, [], `${missing.length} of ${keys.size} messages lack a translation in src/core/l10n/zh-cn.ts`);
  // Every slot of the English text is in the translation (a lost {1} would drop an argument).
  for (const k of keys) for (const slot of k.match(/\{\d+\}/g) ?? []) assert.ok(ZH_CN[k].includes(slot), `the translation of "${k}" lacks ${slot}`);
});
