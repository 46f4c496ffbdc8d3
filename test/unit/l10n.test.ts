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
const literal = (quoted: string) =>
  JSON.parse(quoted[0] === '"' ? quoted : `"${quoted.slice(1, -1).replace(/\\'/g, "'").replace(/"/g, '\\"')}"`) as string;

test('every message of the core and the CLI (lint findings, fix titles, CLI output, usage) has a 简体中文 translation', () => {
  const keys = new Set<string>();
  for (const f of [...sources(join(root, 'src/core')), ...sources(join(root, 'src/cli'))]) {
    for (const m of readFileSync(f, 'utf8').matchAll(/\b(?:msg|say)\(\s*('(?:[^'\\]|\\.)*'|"(?:[^"\\]|\\.)*")/g)) keys.add(literal(m[1]));
  }
  // Messages kept in tables, and the usage texts.
  const { MATHJAX_ONLY } = require('../../src/core/lint/katexErrors') as typeof import('../../src/core/lint/katexErrors');
  const { ARTEFACT_MESSAGE } =
    require('../../src/core/lint/rules/conversion-artefact') as typeof import('../../src/core/lint/rules/conversion-artefact');
  for (const v of [...Object.values(MATHJAX_ONLY), ...Object.values(ARTEFACT_MESSAGE)]) keys.add(v);
  const { USAGE, SYNOPSIS, HELP } = require('../../src/cli/usage') as typeof import('../../src/cli/usage');
  for (const text of [USAGE, ...Object.values(SYNOPSIS), ...Object.values(HELP)]) keys.add(text);
  assert.ok(keys.size > 60, `${keys.size} messages found`);
  const { ZH_CN } = require('../../src/core/l10n/zh-cn') as typeof import('../../src/core/l10n/zh-cn');
  const missing = [...keys].filter((k) => !ZH_CN[k]);
  assert.deepEqual(missing, [], `${missing.length} of ${keys.size} messages lack a translation in src/core/l10n/zh-cn.ts`);
  // Every slot of the English text is in the translation (a lost {1} would drop an argument).
  for (const k of keys)
    for (const slot of k.match(/\{\d+\}/g) ?? []) assert.ok(ZH_CN[k].includes(slot), `the translation of "${k}" lacks ${slot}`);
});

test("the page's own messages (formula errors, undefined labels, notices) follow the render cache's language", async () => {
  const { renderNote } = await import('../../src/core/render/renderNote');
  const { RenderCache } = await import('../../src/core/math/katexRenderer');
  const note = '---\ntitle: [broken\n---\n\n$$\\frac{1}{$$\n\n见 $\\eqref{nowhere}$，$' + 'x+'.repeat(9000) + '$\n';
  const titles = (html: string) => [...html.matchAll(/title="([^"]*)"/g)].map((m) => m[1]);
  const warningsOf = (html: string) => [...html.matchAll(/class="mn-warning"[^>]*>([^<]*)/g)].map((m) => m[1]);
  const en = renderNote(note, 'n.md', { cache: new RenderCache(), warnings: ['host notice'] });
  const zh = renderNote(note, 'n.md', { cache: new RenderCache(undefined, 'zh-cn'), warnings: ['host notice'] });
  assert.match(titles(en.html).join('\n'), /^Unexpected end of input.*\nUndefined label: nowhere\nFormula too long to render/s);
  assert.match(
    titles(zh.html).join('\n'),
    /^KaTeX 无法渲染此公式：Unexpected end of input.*\n未定义的标签：nowhere\n公式太长，无法渲染（18000 个字符；上限为 16000）/s,
  );
  assert.deepEqual(
    warningsOf(en.html).map((w) => w.split(':')[0]),
    ['host notice', 'Front matter is not valid YAML'],
  );
  assert.deepEqual(
    warningsOf(zh.html).map((w) => w.split('：')[0]),
    ['host notice', '文件头（front matter）不是有效的 YAML'],
  );
  // What lint reads stays English: its rules classify KaTeX's message, and word it per reader.
  assert.deepEqual(
    zh.posts[0].errors.map((e) => e.message),
    en.posts[0].errors.map((e) => e.message),
  );
});

test('mathnotes render speaks the chosen language in its errors', () => {
  const { spawnSync } = require('node:child_process') as typeof import('node:child_process');
  const cli = join(root, 'bin/mathnotes.js');
  const zh = spawnSync(process.execPath, [cli, 'render', '--lang', 'zh-cn', '/nonexistent/x.md'], {
    encoding: 'utf8',
    env: { ...process.env, LANG: 'C' },
  });
  assert.equal(zh.status, 2);
  assert.match(zh.stderr, /^mathnotes render: 无法读取“\/nonexistent\/x\.md”：没有这个文件或文件夹/);
  // An error the core raises (a binary file) in the same language.
  const { mkdtempSync, writeFileSync } = require('node:fs') as typeof import('node:fs');
  const binary = join(mkdtempSync(join(require('node:os').tmpdir() as string, 'mn-l10n-')), 'b.md');
  writeFileSync(binary, Uint8Array.of(0x89, 0x50, 0x4e, 0x47, 0, 0, 0, 1));
  const zhBinary = spawnSync(process.execPath, [cli, 'lint', '--lang', 'zh-cn', binary], {
    encoding: 'utf8',
    env: { ...process.env, LANG: 'C' },
  });
  assert.match(zhBinary.stderr, /这是二进制文件，不是文本笔记。/);
  const en = spawnSync(process.execPath, [cli, 'render', '--bogus'], { encoding: 'utf8', env: { ...process.env, LANG: 'C' } });
  assert.match(en.stderr, /^mathnotes render: unknown option '--bogus'/);
});
