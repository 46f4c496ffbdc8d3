// Writes what repeats the lint rule registry (src/core/lint/rules/index.ts) outside the code: the
// settings schema (package.json, mathNotes.lint.rules), the rule list in the setting's description
// (package.nls.json, package.nls.zh-cn.json) and in the README's settings table, and the table of
// docs/rules/README.md. Run after adding a rule or changing a default; `--check` changes nothing
// and exits 1 when a file is out of date (test/unit/lintRules.test.ts runs it).
//   node scripts/gen-lint-rules.mjs [--check]
import { readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = path.join(path.dirname(fileURLToPath(import.meta.url)), '..');
const check = process.argv.includes('--check');

/** The registry and the severity words, bundled in memory (no tsc run needed). */
async function registry() {
  const out = await build({
    stdin: {
      contents: "export { LINT_RULES } from './rules/index'; export { SEVERITIES } from './severity';",
      resolveDir: path.join(root, 'src/core/lint'),
      loader: 'ts',
    },
    bundle: true,
    platform: 'node',
    format: 'cjs',
    write: false,
    logLevel: 'silent',
  });
  const module = { exports: {} };
  new Function('module', 'exports', 'require', out.outputFiles[0].text)(
    module,
    module.exports,
    createRequire(path.join(root, 'package.json')),
  );
  SEVERITIES = module.exports.SEVERITIES;
  return module.exports.LINT_RULES.map((r) => ({ id: r.id, severity: r.defaultSeverity, description: r.description }));
}

/** The severity words, most severe first (src/core/lint/severity.ts). */
let SEVERITIES = [];

/** The rules grouped by default severity, most severe first: "`a`, `b` (default error); `c` (warning)". */
function ruleList(rules, lang) {
  const groups = SEVERITIES.map((s) => [s, rules.filter((r) => r.severity === s)]).filter(([, rs]) => rs.length);
  const [comma, semi, open, close, first] = lang === 'zh-cn' ? ['、', '；', '（', '）', '默认 '] : [', ', '; ', ' (', ')', 'default '];
  return groups.map(([s, rs], i) => `${rs.map((r) => `\`${r.id}\``).join(comma)}${open}${i === 0 ? first : ''}${s}${close}`).join(semi);
}

/** `text` with the part between `before` and `after` replaced (both must be there). */
function between(text, before, after, inner, file) {
  const i = text.indexOf(before);
  const j = text.indexOf(after, i + before.length);
  if (i < 0 || j < 0) throw new Error(`${file}: cannot find the rule list between '${before}' and '${after}'`);
  return text.slice(0, i + before.length) + inner + text.slice(j);
}

const rules = await registry();
const files = new Map();
const edit = (file, change) => {
  const before = files.get(file) ?? readFileSync(path.join(root, file), 'utf8');
  files.set(file, change(before));
};

edit('package.json', (text) => {
  const manifest = JSON.parse(text);
  const setting = manifest.contributes.configuration.map((c) => c.properties['mathNotes.lint.rules']).find(Boolean);
  setting.properties = Object.fromEntries(rules.map((r) => [r.id, { type: 'string', enum: [...SEVERITIES, 'off'] }]));
  return `${JSON.stringify(manifest, null, 2)}\n`;
});
const nls = { 'package.nls.json': ['Rules: ', '. For example', 'en'], 'package.nls.zh-cn.json': ['规则：', '。例如', 'zh-cn'] };
for (const [file, [before, after, lang]] of Object.entries(nls)) {
  edit(file, (text) => {
    const strings = JSON.parse(text);
    strings['config.lint.rules'] = between(strings['config.lint.rules'], before, after, ruleList(rules, lang), file);
    return `${JSON.stringify(strings, null, 2)}\n`;
  });
}
edit('README.md', (text) => {
  const row = text.split('\n').find((l) => l.startsWith('| `mathNotes.lint.rules`'));
  if (!row) throw new Error('README.md: no mathNotes.lint.rules row');
  return text.replace(row, between(row, 'Rules: ', '. For example', ruleList(rules, 'en'), 'README.md'));
});
edit('docs/rules/README.md', (text) => {
  const header = '| rule | default | finds |\n| --- | --- | --- |\n';
  const at = text.indexOf(header);
  if (at < 0) throw new Error('docs/rules/README.md: no rule table');
  const end = text.indexOf('\n\n', at);
  const table = rules.map((r) => `| [\`${r.id}\`](${r.id}.md) | ${r.severity} | ${r.description} |`).join('\n');
  return text.slice(0, at) + header + table + (end < 0 ? '\n' : text.slice(end));
});

const stale = [...files].filter(([file, text]) => readFileSync(path.join(root, file), 'utf8') !== text).map(([file]) => file);
if (check) {
  if (stale.length) {
    console.error(`Out of date with the lint rule registry: ${stale.join(', ')}. Run: node scripts/gen-lint-rules.mjs`);
    process.exit(1);
  }
} else {
  for (const file of stale) writeFileSync(path.join(root, file), files.get(file));
  console.log(stale.length ? `Wrote ${stale.join(', ')}` : 'Up to date.');
}
