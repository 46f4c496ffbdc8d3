// `mathnotes lint --fix` (the bundled CLI in a child process) and what it is built on
// (core/lint/fixAll.ts): only the fixes marked safe, all of a note's at once, written only when the
// note changed, in its own encoding; never a pass that adds an error.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { test } from 'node:test';
import { applyEdits, safeFixes } from '../../src/core/lint/fixAll';
import { fixNote } from '../../src/core/lint/fixNote';
import { lintNote } from '../../src/core/lint/lintNote';
import type { LintDiagnostic } from '../../src/core/lint/types';

const ROOT = resolve(__dirname, '../../..');
const CLI = join(ROOT, 'bin/mathnotes.js');
const lint = (cwd: string, ...args: string[]) =>
  spawnSync(process.execPath, [CLI, 'lint', '--lang', 'en', ...args], { encoding: 'utf8', cwd, timeout: 60_000 });
const tmp = () => mkdtempSync(join(tmpdir(), 'mn-fix-'));

// Every kind of conversion leftover (safe: the preview repairs each the same way), a `\\{…\\}`
// pair (whose repairs hold only together), and two findings whose fixes are guesses (not safe).
const BROKEN = '# 修复\n\n$$\\left\\\\{ x \\right.$$\n\n集合$\\\\{a_i\\\\}$，$a \\\\\\\\ b$，$a \\+ b$，$\\sigam$，$a，b$\n';
const FIXED = '# 修复\n\n$$\\left\\{ x \\right.$$\n\n集合$\\{a_i\\}$，$a \\\\ b$，$a + b$，$\\sigam$，$a，b$\n';

test('lint --fix applies the safe fixes, writes the note, and reports what is left at its new place', () => {
  const dir = tmp();
  writeFileSync(join(dir, 'n.md'), BROKEN);
  const r = lint(dir, 'n.md', '--fix');
  assert.equal(readFileSync(join(dir, 'n.md'), 'utf8'), FIXED);
  assert.equal(r.status, 1, 'the unknown command is still an error');
  assert.equal(
    r.stdout,
    `n.md:5:31: error unknown-command Unknown command \`\\sigam\`: did you mean \`\\sigma\`, \`\\sim\`, \`\\sign\`?\n` +
      'n.md:5:41: warning cjk-in-math Full-width punctuation `，` in math, outside `\\text{}`: write `,`.\n',
  );
  assert.match(r.stderr, /^mathnotes lint: 'n\.md': fixed 5 problem\(s\) \(conversion-artefact 5\)$/m);
  assert.match(r.stderr, /1 error\(s\), 1 warning\(s\), 0 note\(s\); fixed 5 problem\(s\) in 1 note\(s\)$/m);
  // The page is the one the preview showed before: only the note's text changed.
  const { renderNote } = require('../../src/core/render/renderNote') as typeof import('../../src/core/render/renderNote');
  const page = (text: string) => renderNote(text, 'n.md').html.replace(/ data-tex="[^"]*"/g, '');
  assert.equal(page(FIXED), page(BROKEN));
});

test('lint --fix writes nothing when there is nothing safe to fix; --dry-run never writes', () => {
  const dir = tmp();
  const clean = join(dir, 'clean.md');
  writeFileSync(clean, '# 无\n\n$\\sigam$ 与 $a，b$\n');
  const past = new Date('2001-01-01T00:00:00Z');
  utimesSync(clean, past, past);
  const r = lint(dir, 'clean.md', '--fix');
  assert.equal(r.status, 1);
  assert.equal(statSync(clean).mtime.getTime(), past.getTime(), 'not written');
  assert.match(r.stderr, /fixed 0 problem\(s\) in 0 note\(s\)$/m);

  writeFileSync(join(dir, 'n.md'), BROKEN);
  const dry = lint(dir, 'n.md', '--fix', '--dry-run');
  assert.equal(readFileSync(join(dir, 'n.md'), 'utf8'), BROKEN, 'not written');
  assert.match(dry.stderr, /^mathnotes lint: 'n\.md': would fix 5 problem\(s\) \(conversion-artefact 5\)$/m);
  assert.match(dry.stderr, /would fix 5 problem\(s\) in 1 note\(s\)$/m);
  // What is left, as it would be after fixing.
  assert.match(dry.stdout, /^n\.md:5:31: error unknown-command/m);
  assert.doesNotMatch(dry.stdout, /conversion-artefact/);
  assert.equal(lint(dir, 'n.md', '--dry-run').status, 2, '--dry-run alone is a usage error');
});

test('lint --fix keeps the encoding, the BOM and CRLF line ends; a GB18030 note is left as it is, said', () => {
  const dir = tmp();
  const crlf = BROKEN.replace(/\n/g, '\r\n');
  writeFileSync(join(dir, 'bom.md'), `\ufeff${crlf}`);
  writeFileSync(join(dir, 'utf16.md'), Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(BROKEN, 'utf16le')]));
  writeFileSync(join(dir, 'utf16be.md'), Buffer.concat([Buffer.from([0xfe, 0xff]), Buffer.from(BROKEN, 'utf16le').swap16()]));
  // "集合" in GBK, then a leftover.
  const gbk = Buffer.concat([Buffer.from('# G\n\n'), Buffer.from([0xbc, 0xaf, 0xba, 0xcf]), Buffer.from('$\\\\{a\\\\}$\n')]);
  writeFileSync(join(dir, 'gbk.md'), gbk);
  const r = lint(dir, '.', '--fix');
  assert.equal(readFileSync(join(dir, 'bom.md'), 'utf8'), `\ufeff${FIXED.replace(/\n/g, '\r\n')}`);
  assert.deepEqual(readFileSync(join(dir, 'utf16.md')), Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(FIXED, 'utf16le')]));
  assert.deepEqual(
    readFileSync(join(dir, 'utf16be.md')),
    Buffer.concat([Buffer.from([0xfe, 0xff]), Buffer.from(FIXED, 'utf16le').swap16()]),
  );
  assert.deepEqual(readFileSync(join(dir, 'gbk.md')), gbk);
  assert.match(
    r.stderr,
    /^mathnotes lint: 'gbk\.md': not written: it is GB18030, which mathnotes reads but does not write; convert it to UTF-8 to fix it here$/m,
  );
  assert.match(r.stderr, /fixed 15 problem\(s\) in 3 note\(s\)$/m);
  assert.equal(r.status, 1);
  // Its findings are the ones on disk.
  assert.match(r.stdout, /^gbk\.md:3:\d+: warning conversion-artefact/m);
});

test('lint --fix --format json: each note with how many were fixed; the safe fix is marked in plain JSON', () => {
  const dir = tmp();
  writeFileSync(join(dir, 'n.md'), BROKEN);
  const plain = JSON.parse(lint(dir, 'n.md', '--format', 'json').stdout) as Array<{ diagnostics: LintDiagnostic[] }>;
  const safe = plain[0].diagnostics.map((d) => `${d.rule}:${d.fixes.map((f) => f.safe === true).join(',')}`);
  assert.deepEqual(safe, [
    'conversion-artefact:true',
    'conversion-artefact:true',
    'conversion-artefact:true',
    'conversion-artefact:true',
    'conversion-artefact:true',
    'unknown-command:false,false,false',
    'cjk-in-math:false,false',
  ]);
  const fixed = JSON.parse(lint(dir, 'n.md', '--fix', '--format', 'json').stdout) as Array<{
    file: string;
    fixed: number;
    diagnostics: LintDiagnostic[];
  }>;
  assert.equal(fixed[0].fixed, 5);
  assert.deepEqual(
    fixed[0].diagnostics.map((d) => d.rule),
    ['unknown-command', 'cjk-in-math'],
  );
});

test('a pass of fixes that would add an error is not applied (a `\\\\{…\\\\}` pair with one half turned off)', () => {
  const note = '# 半\n\n$$A = \\\\{a_i\n\\\\}$$ <!-- mathnotes-disable-line conversion-artefact -->\n';
  const result = fixNote(note, 'n.md');
  assert.equal(result.stopped, 'new-errors');
  assert.equal(result.text, note);
  assert.equal(result.fixed, 0);
  // Without the guard, the half would have been applied: the other half then is an error.
  const half = applyEdits(
    note,
    safeFixes(lintNote(note, 'n.md')).flatMap((c) => c.fix.edits),
  );
  assert.ok(lintNote(half, 'n.md').some((d) => d.severity === 'error'));
});

test('safeFixes: safe fixes only, of one rule if asked, never two edits that meet; applyEdits keeps offsets', () => {
  const d = (rule: LintDiagnostic['rule'], start: number, end: number, text: string, safe = true): LintDiagnostic => ({
    rule,
    severity: 'warning',
    message: '',
    start,
    end,
    fixes: [{ title: 't', edits: [{ start, end, text }], safe }],
  });
  const text = 'abcdefghij';
  const found = [
    d('conversion-artefact', 1, 3, 'X'),
    d('conversion-artefact', 2, 4, 'Y'), // overlaps the first: left for the next pass
    d('cjk-in-math', 5, 5, '+', false), // not safe
    d('conversion-artefact', 5, 5, '<'),
    d('conversion-artefact', 5, 6, '>'), // starts where an insertion is: no order between them
    d('unbalanced', 6, 6, '}'), // an insertion right after the last: apart
    d('conversion-artefact', 9, 10, ''),
  ];
  const chosen = safeFixes(found);
  assert.deepEqual(
    chosen.map((c) => c.diagnostic.start),
    [1, 5, 6, 9],
  );
  assert.equal(
    applyEdits(
      text,
      chosen.flatMap((c) => c.fix.edits),
    ),
    'aXde<f}ghi',
  );
  assert.deepEqual(
    safeFixes(found, 'unbalanced').map((c) => c.diagnostic.rule),
    ['unbalanced'],
  );
  // A fix whose own edits meet is never taken.
  const selfOverlap: LintDiagnostic = {
    ...d('conversion-artefact', 0, 2, ''),
    fixes: [
      {
        title: 't',
        safe: true,
        edits: [
          { start: 0, end: 2, text: '' },
          { start: 1, end: 3, text: '' },
        ],
      },
    ],
  };
  assert.deepEqual(safeFixes([selfOverlap]), []);
});

test("lint -j N: every note fixed and reported as one thread does it, in the notes' order", () => {
  const one = tmp();
  const many = tmp();
  // Notes of different lengths, so workers finish out of order; one unreadable note among them.
  for (let i = 1; i <= 14; i++) {
    const text = `${BROKEN}${'\n段落$x_1$。\n'.repeat(i * 40)}`;
    for (const dir of [one, many]) writeFileSync(join(dir, `n${String(i).padStart(2, '0')}.md`), text);
  }
  for (const dir of [one, many]) writeFileSync(join(dir, 'n07b.md'), Buffer.from([0, 1, 2, 0, 255, 0]));
  const a = lint(one, '.', '--fix', '-j', '1');
  const b = lint(many, '.', '--fix', '-j', '3');
  assert.equal(b.status, a.status);
  assert.equal(b.stdout, a.stdout);
  const timeless = (s: string) => s.replace(/ in \d+ ms/, '');
  assert.equal(timeless(b.stderr), timeless(a.stderr));
  assert.match(b.stderr, /fixed 70 problem\(s\) in 14 note\(s\)/);
  for (let i = 1; i <= 14; i++)
    assert.equal(readFileSync(join(many, `n${String(i).padStart(2, '0')}.md`), 'utf8').slice(0, FIXED.length), FIXED);
  const json = lint(many, '.', '--format', 'json', '--jobs=2');
  assert.deepEqual(JSON.parse(json.stdout), JSON.parse(lint(many, '.', '--format', 'json', '-j1').stdout));
});
