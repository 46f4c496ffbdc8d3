// Every command as people use CLIs (the bundled CLI in a child process): its own --help, --version,
// the same inputs (files and folders) everywhere and what a missing one does, run's exit status and
// tracebacks, index's text listing.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { test } from 'node:test';
import { pythonTracebackFromSnippet } from '../../src/core/snippets/tracebacks';

const ROOT = resolve(__dirname, '../../..');
const CLI = join(ROOT, 'bin/mathnotes.js');
const mathnotes = (args: string[], options: { cwd?: string; lang?: string } = {}) =>
  spawnSync(process.execPath, [CLI, ...args], {
    encoding: 'utf8',
    cwd: options.cwd ?? ROOT,
    env: { ...process.env, LC_ALL: '', LC_MESSAGES: '', LANG: options.lang ?? 'C' },
    timeout: 120_000,
  });
const tmp = () => mkdtempSync(join(tmpdir(), 'mn-cmd-'));

const OPTIONS: Record<string, string[]> = {
  render: ['-o, --out', '--json', '--macros'],
  index: ['--json'],
  run: ['--check', '--json', '--python'],
  lint: ['--fix', '--dry-run', '--format', '--rule', '--macros'],
};

test('each command has its own --help (exit 0, on stdout), in English and 简体中文, wherever it is typed', () => {
  for (const [command, options] of Object.entries(OPTIONS)) {
    for (const args of [
      [command, '--help'],
      [command, 'some/notes', '-h'],
      ['help', command],
    ]) {
      const r = mathnotes(args);
      assert.equal(r.status, 0, `${args.join(' ')}: ${r.stderr}`);
      assert.equal(r.stderr, '');
      assert.match(r.stdout, new RegExp(`^Usage: mathnotes ${command} <file\\|folder>\\.\\.\\. \\[options\\]\\n`));
      for (const o of [...options, '--lang', '-h, --help', 'Exit status:']) assert.ok(r.stdout.includes(o), `${command} --help says ${o}`);
    }
    const zh = mathnotes([command, '--help'], { lang: 'zh_CN.UTF-8' });
    assert.match(zh.stdout, new RegExp(`^用法：mathnotes ${command} <文件\\|文件夹>`));
    assert.match(zh.stdout, /退出状态：/);
  }
  // The rules lint knows, in its help; the overview points at each command's.
  assert.match(
    mathnotes(['lint', '--help']).stdout,
    /--rule ID {12}Only this rule \(again for more\): katex-parse, unknown-command, .*conversion-artefact/,
  );
  const overview = mathnotes(['--help']);
  assert.equal(overview.status, 0);
  assert.match(overview.stdout, /mathnotes <command> --help {3}The command's options and exit status\./);
});

test('--version, alone or after a command, prints the package version', () => {
  const { version } = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string };
  for (const args of [['--version'], ['-V'], ['lint', '--version'], ['run', 'x.md', '--version']]) {
    const r = mathnotes(args);
    assert.equal(r.status, 0, args.join(' '));
    assert.equal(r.stdout, `mathnotes ${version}\n`);
  }
});

test("a usage error says the problem, the command's synopsis and where its options are; exit 2", () => {
  const r = mathnotes(['index', 'notes', '--bogus']);
  assert.equal(r.status, 2);
  assert.equal(
    r.stderr,
    "mathnotes index: unknown option '--bogus'\nusage: mathnotes index <file|folder>... [--json]\nRun 'mathnotes index --help' for the options.\n",
  );
  const zh = mathnotes(['render', '--bogus'], { lang: 'zh_CN.UTF-8' });
  assert.match(zh.stderr, /^mathnotes render: 未知选项“--bogus”\n用法：mathnotes render .*\n运行“mathnotes render --help”查看选项。\n$/);
});

test('a path that names nothing: every command says so and exits 2 before doing anything', () => {
  const dir = tmp();
  writeFileSync(join(dir, 'good.md'), '# 好\n\n$a$\n');
  for (const command of ['render', 'index', 'lint', 'run']) {
    const r = mathnotes([command, join(dir, 'good.md'), join(dir, 'gone.md')]);
    assert.equal(r.status, 2, `${command}: ${r.stderr}`);
    assert.match(r.stderr, new RegExp(`^mathnotes ${command}: cannot read '.*gone\\.md': no such file or folder$`, 'm'), command);
    assert.equal(r.stdout, '', `${command} did nothing`);
  }
});

test('folders wherever files are accepted: .md, .markdown and .txt below it, dot folders skipped', () => {
  const dir = tmp();
  mkdirSync(join(dir, 'sub'));
  mkdirSync(join(dir, '.hidden'));
  writeFileSync(join(dir, 'a.md'), '# A\n\n$\\frac{1}{$\n');
  writeFileSync(join(dir, 'sub/b.markdown'), '# B\n\n$\\frac{1}{$\n');
  writeFileSync(join(dir, 'sub/c.txt'), '# C\n\n$\\frac{1}{$\n');
  writeFileSync(join(dir, '.hidden/d.md'), '# D\n\n$\\frac{1}{$\n');
  writeFileSync(join(dir, 'e.html'), '<p>$\\frac{1}{$</p>\n');
  const lint = mathnotes(['lint', '.'], { cwd: dir });
  assert.deepEqual(
    lint.stdout
      .split('\n')
      .filter(Boolean)
      .map((l) => l.split(':')[0]),
    ['a.md', 'sub/b.markdown', 'sub/c.txt'],
  );
});

test('run takes folders and several notes; any snippet that fails makes the exit status 1, --check or not', () => {
  const dir = tmp();
  mkdirSync(join(dir, 'notes/sub'), { recursive: true });
  writeFileSync(join(dir, 'notes/ok.md'), '# 好\n\n```js\nconsole.log(6 * 7)\n```\n```output\n42\n```\n');
  writeFileSync(join(dir, 'notes/sub/fails.md'), '# 坏\n\n```js\nthrow new Error("boom")\n```\n');
  writeFileSync(join(dir, 'notes/sub/none.md'), '# 无\n\n没有代码。\n');
  writeFileSync(join(dir, 'differs.md'), '# 差\n\n```js\nconsole.log(1 + 1)\n```\n```output\n3\n```\n');
  const folder = mathnotes(['run', 'notes'], { cwd: dir });
  assert.equal(folder.status, 1, folder.stdout + folder.stderr);
  assert.match(folder.stdout, /^── notes\/ok\.md:3 javascript: ok in \d+ ms\n42$/m);
  assert.match(folder.stdout, /^── notes\/sub\/fails\.md:3 javascript: error in \d+ ms\nError: boom$/m);
  assert.doesNotMatch(folder.stdout, /none\.md/, "a folder's note without snippets passes in silence");
  assert.match(folder.stderr, /^mathnotes run: 2 snippet\(s\) run in 2 note\(s\): 1 failed$/m);
  // The failing note alone, without --check: still 1 (it used to be 0).
  assert.equal(mathnotes(['run', 'notes/sub/fails.md'], { cwd: dir }).status, 1);
  const passing = mathnotes(['run', 'notes/ok.md', 'notes/sub/none.md'], { cwd: dir });
  assert.equal(passing.status, 0, passing.stderr);
  assert.match(passing.stdout, /^notes\/sub\/none\.md: no snippets$/m, 'a note named itself says it has none');
  // A difference from the `output` block fails only with --check.
  assert.equal(mathnotes(['run', 'differs.md'], { cwd: dir }).status, 0);
  assert.equal(mathnotes(['run', 'differs.md', '--check'], { cwd: dir }).status, 1);
  // JSON: one note named, its object (as before); a folder or several notes, an array.
  const one = JSON.parse(mathnotes(['run', 'notes/ok.md', '--json'], { cwd: dir }).stdout) as {
    file: string;
    snippets: Array<{ result: { stdout: string } }>;
  };
  assert.equal(one.file, 'notes/ok.md');
  assert.equal(one.snippets[0].result.stdout, '42\n');
  const many = JSON.parse(mathnotes(['run', 'notes', '--json', '--check'], { cwd: dir }).stdout) as Array<{
    file: string;
    snippets: Array<{ check?: { pass: boolean } }>;
  }>;
  assert.deepEqual(
    many.map((n) => n.file),
    ['notes/ok.md', 'notes/sub/fails.md'],
  );
  assert.equal(many[0].snippets[0].check?.pass, true);
  // An option it does not know is a usage error, not a file name or ignored.
  const bogus = mathnotes(['run', 'notes', '--bogus'], { cwd: dir });
  assert.equal(bogus.status, 2);
  assert.match(bogus.stderr, /unknown option '--bogus'/);
});

const python = spawnSync('python3', ['--version']).status === 0;

test(
  'run: a Python traceback starts at the note, with its lines; an attached file under its own name',
  { skip: !python && 'python3 is not installed' },
  () => {
    const dir = tmp();
    mkdirSync(join(dir, 'snippets'));
    writeFileSync(join(dir, 'snippets/helper.py'), 'def f():\n    raise ValueError("from the file")\nf()\n');
    writeFileSync(
      join(dir, 'n.md'),
      '# 回溯\n\n```python\ndef f():\n    return 1 / 0\nf()\n```\n\n```python\nx = (\n```\n\n```python {file=snippets/helper.py}\n```\n\n```python\nexec("1/0")\n```\n',
    );
    const r = mathnotes(['run', 'n.md'], { cwd: dir });
    assert.equal(r.status, 1);
    assert.doesNotMatch(r.stdout, /<string>", line 1, in <module>\n {2}File "n\.md"|<frozen runpy>/, 'no frame of the program that ran it');
    const blocks = r.stdout.split(/^── /m).slice(1);
    assert.match(
      blocks[0],
      /error in \d+ ms\nTraceback \(most recent call last\):\n {2}File "n\.md", line 6, in <module>\n {4}f\(\)\n[^]*File "n\.md", line 5, in f\n[^]*ZeroDivisionError/,
    );
    // Did not compile: no frame, so no header, as python3 file.py says it.
    assert.match(blocks[1], /error in \d+ ms\n {2}File "n\.md", line 10\n {4}x = \(\n[^]*SyntaxError/);
    assert.match(
      blocks[2],
      /error in \d+ ms\nTraceback \(most recent call last\):\n {2}File "snippets\/helper\.py", line 3, in <module>\n[^]*File "snippets\/helper\.py", line 2, in f/,
    );
    // The snippet's own exec keeps its frame: only the frames above the snippet's go.
    assert.match(
      blocks[3],
      /Traceback \(most recent call last\):\n {2}File "n\.md", line 17, in <module>\n {4}exec\("1\/0"\)\n {2}File "<string>", line 1, in <module>\nZeroDivisionError/,
    );
  },
);

test("pythonTracebackFromSnippet: the runner's frames go from the top of each chained traceback, nothing else", () => {
  const runner = '  File "<string>", line 1, in <module>\n';
  const frozen = '  File "<frozen runpy>", line 291, in run_path\n    code\n';
  const chained = `Traceback (most recent call last):\n  File "n.md", line 4, in <module>\n    1/0\nZeroDivisionError: division by zero\n\nDuring handling of the above exception, another exception occurred:\n\nTraceback (most recent call last):\n${runner}${frozen}  File "n.md", line 6, in <module>\n    raise KeyError("k")\nKeyError: 'k'\n`;
  assert.equal(pythonTracebackFromSnippet(chained), chained.replace(runner + frozen, ''));
  assert.equal(
    pythonTracebackFromSnippet(
      `Traceback (most recent call last):\n${runner}  File "n.md", line 3\n    x = (\n        ^\nSyntaxError: '(' was never closed\n`,
    ),
    `  File "n.md", line 3\n    x = (\n        ^\nSyntaxError: '(' was never closed\n`,
  );
  // What a snippet prints itself is left alone.
  const printed = 'Traceback (most recent call last):\nnot a frame\n';
  assert.equal(pythonTracebackFromSnippet(printed), printed);
});

test('index in text: each series with its parts, titles and files; each citation with where it leads, or why not', () => {
  const dir = tmp();
  writeFileSync(join(dir, 'a.md'), '# 某算子的迭代（一）：起点\n\n正文\n');
  writeFileSync(
    join(dir, 'c.md'),
    '# 某算子的迭代（三）：终点\n\n见《某算子的迭代（一）：起点》与本系列的(二)、(一)，以及《Scaling Laws for Neural Language Models》。\n',
  );
  const r = mathnotes(['index', '.'], { cwd: dir });
  assert.equal(r.status, 0, r.stderr);
  assert.equal(
    r.stdout,
    [
      '某算子的迭代: 2 part(s), missing 2',
      '  1  某算子的迭代（一）：起点  a.md:1',
      '  3  某算子的迭代（三）：终点  c.md:1',
      '',
      'Citations:',
      'c.md:3:2: 《某算子的迭代（一）：起点》 → a.md:1 (exact)',
      'c.md:3:21: part 2 of this series ✗ missing-part',
      'c.md:3:25: part 1 of this series → a.md:1 《某算子的迭代（一）：起点》 (part)',
      'c.md:3:31: 《Scaling Laws for Neural Language Models》 ✗ not-found',
      '',
      '2 post(s) in 2 note(s), 1 series, 2 of 4 citation(s) resolved',
      '',
    ].join('\n'),
  );
  const zh = mathnotes(['index', '.', '--lang', 'zh-cn'], { cwd: dir });
  assert.match(zh.stdout, /^引用：$/m);
  assert.match(zh.stdout, /^c\.md:3:21: 本系列第 2 篇 ✗ missing-part$/m);
});
