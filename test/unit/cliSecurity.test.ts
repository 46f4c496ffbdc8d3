// What a hostile notes folder must not do through the CLI (the bundled CLI in a child process, as a
// user runs it): steer the terminal with control characters it quotes, crash a command with a link
// loop, or make `render -o` write outside the output folder or over a file it did not write.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, resolve } from 'node:path';
import { test } from 'node:test';
import { listNotes as listWorkspaceNotes } from '../../src/node/indexWorker';

const CLI = resolve(process.cwd(), 'bin/mathnotes.js');
const run = (cwd: string, ...args: string[]) => spawnSync(process.execPath, [CLI, '--lang', 'en', ...args], { encoding: 'utf8', cwd, timeout: 60_000 });
const tmp = () => mkdtempSync(join(tmpdir(), 'mathnotes-sec-'));

/** What a terminal would obey: C0 controls but tab and newline, DEL, C1, bidirectional overrides. */
// eslint-disable-next-line no-control-regex
const OBEYED = /[\x00-\x08\x0b-\x1f\x7f\u0080-\u009f\u202a-\u202e\u2066-\u2069]/;
const assertNothingObeyed = (text: string, what: string) => {
  const m = OBEYED.exec(text);
  assert.equal(m, null, `${what} carries U+${m?.[0].charCodeAt(0).toString(16).padStart(4, '0')} at ${m?.index}: ${JSON.stringify(text.slice(Math.max(0, (m?.index ?? 0) - 40), (m?.index ?? 0) + 40))}`);
};

const ESCAPES = '\x1b]0;PWNED\x07\x1b[2J\u009b31m\b\b\u202e';

/** A notes folder whose every quoted string carries terminal escapes. */
function hostileNotes(): string {
  const dir = tmp();
  writeFileSync(join(dir, 'series.md'), `---\nseries: "S${ESCAPES}"\npart: 1\n---\n# 第一篇\n\n正文 $a$\n`);
  writeFileSync(join(dir, 'katex.md'), `# K\n\n$a \x1b]0;PWNED\x07 b$\n`); // KaTeX: Unexpected character
  writeFileSync(join(dir, 'name\x1b[31m\u009b2J.md'), '# N\n\n$\\frac{$\n'); // a file name from the disk
  writeFileSync(join(dir, 'x\nfake.md:1:1: error forged.md'), '# F\n\n$\\frac{$\n'); // a newline in a name
  writeFileSync(join(dir, 'snippet.md'), '# R\n\n```python {file=\x1b[2Jx\x1b]8;;http://evil\x07.py}\nprint(1)\n```\n');
  writeFileSync(join(dir, 'bin\x1b]0;t\x07.md'), Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 0, 0, 1])); // "cannot read" quotes the name
  return dir;
}

test('index, lint, run and render show a note\'s control characters (^[, <U+009B>), never send them', () => {
  const dir = hostileNotes();
  const index = run(dir, 'index', '.');
  assertNothingObeyed(index.stdout + index.stderr, 'index');
  assert.ok(index.stdout.includes('S^[]0;PWNED^G^[[2J<U+009B>31m^H^H<U+202E>: 1 part(s)'), index.stdout);
  assert.match(index.stderr, /cannot read 'bin\^\[\]0;t\^G\.md'/);

  const lint = run(dir, 'lint', '.');
  assertNothingObeyed(lint.stdout + lint.stderr, 'lint');
  assert.match(lint.stdout, /^katex\.md:3:\d+: error katex-parse .*Unexpected character: '\^\['/m);
  assert.match(lint.stdout, /^name\^\[\[31m<U\+009B>2J\.md:3:\d+: error/m);
  // A newline in a file name does not forge a finding line of its own.
  assert.match(lint.stdout, /^x\^Jfake\.md:1:1: error forged\.md:3:\d+: error/m);
  assert.doesNotMatch(lint.stdout, /^fake\.md/m);

  const runs = run(dir, 'run', 'snippet.md');
  assertNothingObeyed(runs.stdout + runs.stderr, 'run');
  assert.ok(runs.stdout.includes("the attached file '^[[2Jx^[]8;;http://evil^G.py' is outside"), runs.stdout);

  const render = run(dir, 'render', '.', '-o', join(dir, 'site'));
  assertNothingObeyed(render.stdout + render.stderr, 'render');
  assert.match(render.stderr, /cannot read '.*bin\^\[\]0;t\^G\.md': This is a binary file/);
  // A document piped out is the document, byte for byte (not a terminal: nothing to protect).
  const piped = run(dir, 'render', 'katex.md');
  assert.ok(piped.stdout.includes('\x1b]0;PWNED\x07'), 'the document as rendered');
});

test('JSON output keeps the exact text, with nothing a terminal would obey left raw', () => {
  const dir = hostileNotes();
  for (const args of [['index', '.', '--json'], ['lint', '.', '--format', 'json'], ['run', 'snippet.md', '--json'], ['render', 'series.md', '--json']]) {
    const r = run(dir, ...args);
    assertNothingObeyed(r.stdout, args.join(' '));
    JSON.parse(r.stdout);
  }
  const index = JSON.parse(run(dir, 'index', '.', '--json').stdout) as { posts: Array<{ series: string | null }> };
  assert.ok(index.posts.some((p) => p.series === `S${ESCAPES}`), 'series as the note has it');
});

test('every line the CLI prints goes through src/cli/terminal.ts', () => {
  const cli = resolve(process.cwd(), 'src/cli');
  const direct = readdirSync(cli)
    .filter((f) => f.endsWith('.ts') && f !== 'terminal.ts')
    .flatMap((f) => readFileSync(join(cli, f), 'utf8').split('\n').map((line, i) => ({ where: `${f}:${i + 1}`, line })))
    .filter(({ line }) => /\bconsole\.\w+\(|process\.(?:stdout|stderr)\.write\(/.test(line))
    .map(({ where }) => where);
  assert.deepEqual(direct, []);
});

/** A notes folder with every way a walk can go wrong, and two notes. */
function tangledNotes(): string {
  const dir = tmp();
  mkdirSync(join(dir, 'sub'));
  writeFileSync(join(dir, 'a.md'), '# A\n\n$x$\n');
  writeFileSync(join(dir, 'sub', 'b.md'), '# B\n\n$y$\n');
  symlinkSync('.', join(dir, 'loop')); // `a -> .`
  symlinkSync('..', join(dir, 'sub', 'up')); // back to the root from below
  symlinkSync('self.md', join(dir, 'self.md')); // a link to itself: ELOOP on stat
  symlinkSync('nowhere.md', join(dir, 'broken.md'));
  symlinkSync('sub', join(dir, 'again')); // the same folder a second way
  assert.equal(spawnSync('mkfifo', [join(dir, 'pipe.md')]).status, 0); // a reader would wait forever
  return dir;
}

const assertNoCrash = (r: ReturnType<typeof run>, what: string) => {
  assert.notEqual(r.signal, 'SIGTERM', `${what} timed out`);
  assert.doesNotMatch(r.stderr, /\n\s+at |Node\.js v/, `${what} crashed:\n${r.stderr}`);
};

test('render, lint, index and run walk a folder with link loops, broken links and a FIFO: each note once, the rest said', () => {
  const dir = tangledNotes();
  const render = run(dir, 'render', '.', '-o', join(tmp(), 'site'));
  assertNoCrash(render, 'render');
  assert.equal(render.status, 0, render.stderr);
  assert.match(render.stderr, /rendered 2 note\(s\)/);
  for (const r of [render, run(dir, 'lint', '.'), run(dir, 'index', '.')]) {
    assert.match(r.stderr, /skipped 'loop': a link back to a folder above it/);
    assert.match(r.stderr, /skipped 'again\/up': a link back to a folder above it/);
    assert.match(r.stderr, /skipped 'sub': the same folder as 'again'/);
    assert.match(r.stderr, /skipped 'broken\.md': a link to nothing/);
    assert.match(r.stderr, /skipped 'self\.md': ELOOP/);
  }
  const lint = run(dir, 'lint', '.');
  assertNoCrash(lint, 'lint');
  assert.equal(lint.status, 0, lint.stderr);
  assert.match(lint.stderr, /2 note\(s\) in/);
  const index = run(dir, 'index', '.');
  assertNoCrash(index, 'index');
  assert.match(index.stdout, /2 post\(s\) in 2 note\(s\)/);
  // A named file that is a link loop: a clear message, not a stack trace.
  for (const args of [['run', 'self.md'], ['lint', 'self.md'], ['index', 'self.md'], ['render', 'self.md', '-o', join(tmp(), 'x.html')], ['render', 'loop/loop/self.md']]) {
    const r = run(dir, ...args);
    assertNoCrash(r, args.join(' '));
    assert.match(r.stderr, /cannot read '.*self\.md'/, args.join(' '));
    assert.notEqual(r.status, 0);
  }
});

test("the index worker's listing (the extension's) is the same walk: loops end, nothing but regular files", () => {
  const dir = tangledNotes();
  const listed = listWorkspaceNotes(dir, { include: '**/*.md', exclude: [] }).map((p) => relative(dir, p));
  assert.deepEqual(listed, ['again/b.md', 'a.md'].sort());
});
