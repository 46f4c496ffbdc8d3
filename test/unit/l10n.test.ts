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
