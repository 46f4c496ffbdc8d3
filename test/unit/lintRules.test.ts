// The rule registry is the one list of lint rules: every module in core/lint/rules/ is one rule
// named by its file, and what repeats the list elsewhere (the settings schema and description in
// both languages, the README's settings table, the docs index) must say what the registry says.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { LINT_RULES, RULE_IDS, RULES } from '../../src/core/lint/rules';

const root = join(__dirname, '../../..');
const read = (p: string) => readFileSync(join(root, p), 'utf8');

test('each module in core/lint/rules/ is one rule, named by its id, in the registry once', () => {
  const files = readdirSync(join(root, 'src/core/lint/rules')).filter((f) => f.endsWith('.ts') && f !== 'index.ts');
  assert.deepEqual(files.map((f) => f.replace(/\.ts$/, '')).sort(), [...RULE_IDS].sort());
  for (const file of files) {
    const exported = Object.values(require(join(__dirname, '../../src/core/lint/rules', file.replace(/\.ts$/, '.js'))) as object[]);
    const rules = exported.filter((v) => typeof v === 'object' && v !== null && 'id' in v && 'defaultSeverity' in v) as Array<
      (typeof LINT_RULES)[number]
    >;
    assert.equal(rules.length, 1, `${file} defines one rule`);
    assert.equal(rules[0].id, file.replace(/\.ts$/, ''));
    assert.ok(LINT_RULES.includes(rules[0]), `${file}'s rule is in the registry`);
    assert.ok(rules[0].checkFormula || rules[0].checkPost || rules[0].checkCitations, `${file} checks something`);
  }
  assert.equal(new Set(RULE_IDS).size, RULE_IDS.length);
});

test('the settings schema has a severity for each rule of the registry, and no other', () => {
  const settings = (
    JSON.parse(read('package.json')) as {
      contributes: { configuration: Array<{ properties: Record<string, { properties?: Record<string, { enum: string[] }> }> }> };
    }
  ).contributes.configuration
    .map((c) => c.properties['mathNotes.lint.rules'])
    .find(Boolean)!;
  assert.deepEqual(Object.keys(settings.properties!), [...RULE_IDS]);
  for (const id of RULE_IDS) assert.deepEqual(settings.properties![id].enum, ['error', 'warning', 'information', 'hint', 'off'], id);
});

/** Rule → severity, from a description that lists rules in groups: "`a`, `b` (default error); `c` (warning)". */
function severitiesIn(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const m of text.matchAll(/((?:`[a-z-]+`(?:, |、)?)+)\s*[(（](?:default |默认 )?([a-z]+)[)）]/g)) {
    for (const id of m[1].matchAll(/`([a-z-]+)`/g)) out[id[1]] = m[2];
  }
  return out;
}

test('the settings description (English, 简体中文) and the README list each rule with its default severity', () => {
  const expected = Object.fromEntries(RULE_IDS.map((id) => [id, RULES[id].severity]));
  for (const file of ['package.nls.json', 'package.nls.zh-cn.json']) {
    assert.deepEqual(severitiesIn((JSON.parse(read(file)) as Record<string, string>)['config.lint.rules']), expected, file);
  }
  const row = read('README.md')
    .split('\n')
    .find((l) => l.startsWith('| `mathNotes.lint.rules`'));
  assert.ok(row, 'README: the mathNotes.lint.rules row');
  assert.deepEqual(severitiesIn(row), expected, 'README');
});

test('the docs index lists the registry, in its order, with default severities', () => {
  const listed = [...read('docs/rules/README.md').matchAll(/^\| \[`([a-z-]+)`\]\(\1\.md\) \| ([a-z]+) \|/gm)].map((m) => [m[1], m[2]]);
  assert.deepEqual(
    listed,
    RULE_IDS.map((id) => [id, RULES[id].severity]),
  );
});

test('scripts/gen-lint-rules.mjs --check finds every generated copy up to date', () => {
  const run = spawnSync(process.execPath, [join(root, 'scripts/gen-lint-rules.mjs'), '--check'], { encoding: 'utf8' });
  assert.equal(run.status, 0, run.stderr);
});
