// What a hostile notes folder must not do through the CLI (the bundled CLI in a child process, as a
// user runs it): steer the terminal with control characters it quotes, crash a command with a link
// loop, or make `render -o` write outside the output folder or over a file it did not write.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, linkSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, resolve } from 'node:path';
import { test } from 'node:test';
import { writeOutputPage } from '../../src/cli/outputFiles';
import { listNotes as listWorkspaceNotes } from '../../src/node/indexWorker';

const CLI = resolve(process.cwd(), 'bin/mathnotes.js');
const run = (cwd: string, ...args: string[]) =>
  spawnSync(process.execPath, [CLI, '--lang', 'en', ...args], { encoding: 'utf8', cwd, timeout: 60_000 });
const tmp = () => mkdtempSync(join(tmpdir(), 'mathnotes-sec-'));

/** What a terminal would obey: C0 controls but tab and newline, DEL, C1, bidirectional controls and marks, line and paragraph separators. */
const OBEYED = /[\x00-\x08\x0b-\x1f\x7f\u0080-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/;
const assertNothingObeyed = (text: string, what: string) => {
  const m = OBEYED.exec(text);
  assert.equal(
    m,
    null,
    `${what} carries U+${m?.[0].charCodeAt(0).toString(16).padStart(4, '0')} at ${m?.index}: ${JSON.stringify(text.slice(Math.max(0, (m?.index ?? 0) - 40), (m?.index ?? 0) + 40))}`,
  );
};

const ESCAPES = '\x1b]0;PWNED\x07\x1b[2J\u009b31m\b\b\u202e\u2028\u200f';

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

test("index, lint, run and render show a note's control characters (^[, <U+009B>), never send them", () => {
  const dir = hostileNotes();
  const index = run(dir, 'index', '.');
  assertNothingObeyed(index.stdout + index.stderr, 'index');
  assert.ok(index.stdout.includes('S^[]0;PWNED^G^[[2J<U+009B>31m^H^H<U+202E><U+2028><U+200F>: 1 part(s)'), index.stdout);
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
  for (const args of [
    ['index', '.', '--json'],
    ['lint', '.', '--format', 'json'],
    ['run', 'snippet.md', '--json'],
    ['render', 'series.md', '--json'],
  ]) {
    const r = run(dir, ...args);
    assertNothingObeyed(r.stdout, args.join(' '));
    JSON.parse(r.stdout);
  }
  const index = JSON.parse(run(dir, 'index', '.', '--json').stdout) as { posts: Array<{ series: string | null }> };
  assert.ok(
    index.posts.some((p) => p.series === `S${ESCAPES}`),
    'series as the note has it',
  );
});

test('every line the CLI prints goes through src/cli/terminal.ts', () => {
  const cli = resolve(process.cwd(), 'src/cli');
  const direct = readdirSync(cli)
    .filter((f) => f.endsWith('.ts') && f !== 'terminal.ts')
    .flatMap((f) =>
      readFileSync(join(cli, f), 'utf8')
        .split('\n')
        .map((line, i) => ({ where: `${f}:${i + 1}`, line })),
    )
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
  for (const args of [
    ['run', 'self.md'],
    ['lint', 'self.md'],
    ['index', 'self.md'],
    ['render', 'self.md', '-o', join(tmp(), 'x.html')],
    ['render', 'loop/loop/self.md'],
  ]) {
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

/** A notes folder (`notes/a.md`, `notes/sub/b.md`) and an output folder, side by side with files to protect. */
function renderSetup(): { dir: string; site: string; render: (...extra: string[]) => ReturnType<typeof run> } {
  const dir = tmp();
  mkdirSync(join(dir, 'notes', 'sub'), { recursive: true });
  writeFileSync(join(dir, 'notes', 'a.md'), '# A\n\n$x$\n');
  writeFileSync(join(dir, 'notes', 'sub', 'b.md'), '# B\n\n$y$\n');
  writeFileSync(join(dir, 'victim.txt'), 'VICTIM\n');
  mkdirSync(join(dir, 'site'));
  return { dir, site: join(dir, 'site'), render: (...extra) => run(dir, 'render', 'notes', '-o', 'site', ...extra) };
}
const leftovers = (folder: string) => readdirSync(folder).filter((f) => f.endsWith('.tmp'));

test('render -o never writes through a link in the output folder: not the page, not a folder on the way', () => {
  const { dir, site, render } = renderSetup();
  symlinkSync('../victim.txt', join(site, 'a.html')); // the report: a page that is a link out
  mkdirSync(join(dir, 'elsewhere'));
  symlinkSync('../elsewhere', join(site, 'sub')); // a folder on the way that is a link out
  const r = render();
  assertNoCrash(r, 'render');
  assert.equal(r.status, 1);
  assert.match(r.stderr, /cannot write 'site\/a\.html': 'site\/a\.html' is a symbolic link/);
  assert.match(r.stderr, /cannot write 'site\/sub\/b\.html': 'site\/sub' is a symbolic link/);
  assert.equal(readFileSync(join(dir, 'victim.txt'), 'utf8'), 'VICTIM\n');
  assert.ok(lstatSync(join(site, 'a.html')).isSymbolicLink(), 'the link is left as it was');
  assert.deepEqual(readdirSync(join(dir, 'elsewhere')), []);
  // A dangling link would have created its target.
  const dangling = renderSetup();
  symlinkSync('../created.html', join(dangling.site, 'a.html'));
  assert.equal(dangling.render().status, 1);
  assert.ok(!existsSync(join(dangling.dir, 'created.html')));
  // One note to a named file that is a link: the same.
  const single = run(dir, 'render', 'notes/a.md', '-o', 'site/a.html');
  assert.equal(single.status, 1);
  assert.match(single.stderr, /is a symbolic link/);
  assert.equal(readFileSync(join(dir, 'victim.txt'), 'utf8'), 'VICTIM\n');
  assert.deepEqual(leftovers(site), []);
});

test('render -o replaces only pages it wrote; any other file stays, said; a hard-linked page is replaced, not written through', () => {
  const { dir, site, render } = renderSetup();
  writeFileSync(join(site, 'a.html'), '<p>my own page</p>\n');
  const first = render();
  assert.equal(first.status, 1);
  assert.match(first.stderr, /cannot write 'site\/a\.html': 'site\/a\.html' is not a page mathnotes wrote; remove it to write there/);
  assert.equal(readFileSync(join(site, 'a.html'), 'utf8'), '<p>my own page</p>\n');
  assert.ok(
    readFileSync(join(site, 'sub', 'b.html'), 'utf8').includes('<meta name="generator" content="Math Notes">'),
    'the other note is written',
  );
  // Our own page is replaced on a second run; a hard link to it elsewhere keeps the old bytes.
  linkSync(join(site, 'sub', 'b.html'), join(dir, 'kept.html'));
  writeFileSync(join(dir, 'notes', 'sub', 'b.md'), '# B2\n\n$z$\n');
  const second = render();
  assert.equal(second.status, 1, second.stderr); // a.html still refused
  assert.ok(readFileSync(join(site, 'sub', 'b.html'), 'utf8').includes('<title>B2</title>'));
  assert.ok(readFileSync(join(dir, 'kept.html'), 'utf8').includes('<title>B</title>'));
  // The note itself named as the output: refused, the note intact.
  const self = run(dir, 'render', 'notes/a.md', '-o', 'notes/a.md');
  assert.equal(self.status, 1);
  assert.match(self.stderr, /is not a page mathnotes wrote/);
  assert.equal(readFileSync(join(dir, 'notes', 'a.md'), 'utf8'), '# A\n\n$x$\n');
  // A folder where a page would go: refused.
  mkdirSync(join(dir, 'site2', 'a.html'), { recursive: true });
  assert.match(run(dir, 'render', 'notes', '-o', 'site2').stderr, /'site2\/a\.html' is not a file/);
  assert.deepEqual([...leftovers(site), ...leftovers(join(site, 'sub'))], []);
});

test('an output name never leads out of the output folder', () => {
  const { dir, site } = renderSetup();
  for (const name of ['../victim.txt', 'sub/../../victim.txt', '/tmp/x.html', 'a//b.html', './a.html']) {
    assert.throws(() => writeOutputPage(site, name, '<!DOCTYPE html>\n<html>'), /leads out of the output folder/, name);
  }
  assert.equal(readFileSync(join(dir, 'victim.txt'), 'utf8'), 'VICTIM\n');
  writeOutputPage(site, 'deep/er/page.html', 'x');
  assert.equal(readFileSync(join(site, 'deep', 'er', 'page.html'), 'utf8'), 'x');
});
