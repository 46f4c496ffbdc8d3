// `mathnotes render` as a user runs it (the bundled CLI in a child process).
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { test } from 'node:test';
import { sharedPath } from '../support/shared';

const CLI = resolve(process.cwd(), 'bin/mathnotes.js');
const SEEDS = sharedPath('seeds');
const seed0 = join(
  SEEDS,
  readdirSync(SEEDS).find((f) => f.startsWith('000'))!,
);
const run = (...args: string[]) => spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8' });
const tmp = () => mkdtempSync(join(tmpdir(), 'mathnotes-'));

test('render one note to a standalone document: KaTeX CSS and fonts inlined, no script', () => {
  const out = join(tmp(), 'out.html');
  const r = run('render', seed0, '-o', out);
  assert.equal(r.status, 0, r.stderr);
  const html = readFileSync(out, 'utf8');
  // assert.ok(re.test()) rather than assert.match: a failure must not print a 1 MB document.
  const has = (re: RegExp, what: string) => assert.ok(re.test(html), what);
  has(/^<!DOCTYPE html>/, 'doctype');
  has(/Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; font-src data:/, 'CSP without scripts');
  has(/@font-face\{[^}]*font-family:KaTeX_Main;[^}]*src:url\(data:font\/woff2;base64,/, 'KaTeX fonts inlined');
  assert.ok(!/url\(fonts\//.test(html), 'no relative font URL left');
  assert.ok(!/<script/i.test(html), 'no script');
  has(/<title>生成扩散模型漫谈\(二十\):从ReFlow到WGAN-GP<\/title>/, 'title');
  assert.equal((html.match(/<article /g) ?? []).length, 8);
});

test('render a folder into -o DIR, one .html per note, in one process', () => {
  const dir = tmp();
  const r = run('render', SEEDS, resolve(process.cwd(), 'examples'), '-o', dir);
  assert.equal(r.status, 0, r.stderr);
  const files = readdirSync(dir)
    .filter((f) => f !== 'mathnotes-assets')
    .sort();
  assert.equal(files.length, 9);
  assert.ok(files.every((f) => f.endsWith('.html')));
  assert.match(r.stderr, /rendered 9 note\(s\), \d+ formulas, 0 KaTeX error\(s\)/);
});

test('a folder export: one shared copy of the stylesheets and fonts; links between notes lead to their pages', () => {
  const notes = tmp();
  const dir = tmp();
  writeFileSync(join(notes, '一.md'), '# 第一篇\n\n$x^2$，见[下一篇](sub/二%20篇.md#结论)。\n');
  mkdirSync(join(notes, 'sub'));
  writeFileSync(
    join(notes, 'sub', '二 篇.md'),
    '# 第二篇\n\n[上一篇](../一.md)、[不在导出中](../外面.md)、[网页](https://example.com/a.md)。\n',
  );
  const r = run('render', notes, '-o', dir);
  assert.equal(r.status, 0, r.stderr);
  const one = readFileSync(join(dir, '一.html'), 'utf8');
  const two = readFileSync(join(dir, 'sub', '二 篇.html'), 'utf8');
  // Each page links the shared stylesheets (relative to its own folder) and inlines no font.
  assert.match(one, /<link rel="stylesheet" href="mathnotes-assets\/katex\.min\.css">/);
  assert.match(two, /<link rel="stylesheet" href="\.\.\/mathnotes-assets\/note\.css">/);
  for (const page of [one, two]) assert.ok(page.length < 20_000 && !page.includes('base64'), `a page of ${page.length} bytes`);
  const assets = join(dir, 'mathnotes-assets');
  assert.ok(readFileSync(join(assets, 'katex.min.css'), 'utf8').includes('url(fonts/KaTeX_Main-Regular.woff2)'));
  assert.ok(readdirSync(join(assets, 'fonts')).length >= 19);
  // The links: to the page, fragment kept; a note not exported and a web link as they were.
  assert.match(one, /href="sub\/%E4%BA%8C%20%E7%AF%87\.html#/);
  assert.match(two, /href="\.\.\/%E4%B8%80\.html"/);
  assert.match(two, /href="\.\.\/%E5%A4%96%E9%9D%A2\.md"/);
  assert.match(two, /href="https:\/\/example\.com\/a\.md"/);
  // Again into the same folder: the assets are ours, so they are replaced.
  assert.equal(run('render', notes, '-o', dir).status, 0);
  // --self-contained: every page inlines them, as a single note's document does.
  const inlined = tmp();
  assert.equal(run('render', notes, '-o', inlined, '--self-contained').status, 0);
  assert.ok(!readdirSync(inlined).includes('mathnotes-assets'));
  assert.match(readFileSync(join(inlined, '一.html'), 'utf8'), /font\/woff2;base64,/);
  // An assets folder that is not ours is left alone, and said.
  const foreign = tmp();
  mkdirSync(join(foreign, 'mathnotes-assets'));
  writeFileSync(join(foreign, 'mathnotes-assets', 'note.css'), 'body{}');
  const refused = run('render', notes, '-o', foreign);
  assert.equal(refused.status, 1);
  assert.match(refused.stderr, /is not a file mathnotes wrote/);
  assert.equal(readFileSync(join(foreign, 'mathnotes-assets', 'note.css'), 'utf8'), 'body{}');
});

test('render -j N: the pages and the JSON of a folder are the same as one thread gives; -j 0 is a usage error', () => {
  const notes = tmp();
  // Notes of our own that link to each other, number equations and cite macros: what a worker must get right.
  for (let i = 1; i <= 12; i++) {
    const next = i < 12 ? `[下一篇](note${i + 1}.md)` : '';
    writeFileSync(
      join(notes, `note${i}.md`),
      `# 第${i}篇\n\n\\begin{equation}x_${i}=\\frac{${i}}{2}\\label{eq:${i}}\\end{equation}\n由\\eqref{eq:${i}}与$\\R^${i}$可知。${next}\n`,
    );
  }
  writeFileSync(join(notes, 'broken.md'), Buffer.from([0, 1, 2, 0, 255, 0]));
  const one = tmp();
  const many = tmp();
  const a = run('render', notes, '-o', one, '-j', '1', '--json');
  const b = run('render', notes, '-o', many, '-j', '3', '--json');
  assert.equal(a.status, 1, 'the binary note fails the run'); // as with one thread
  assert.equal(b.status, 1, b.stderr);
  assert.equal(b.stdout, a.stdout, 'the same JSON, in the same order');
  const pages = readdirSync(one)
    .filter((f) => f.endsWith('.html'))
    .sort();
  assert.equal(pages.length, 12);
  assert.deepEqual(
    readdirSync(many)
      .filter((f) => f.endsWith('.html'))
      .sort(),
    pages,
  );
  for (const page of pages) assert.equal(readFileSync(join(many, page), 'utf8'), readFileSync(join(one, page), 'utf8'), page);
  assert.match(readFileSync(join(many, 'note3.html'), 'utf8'), /href="note4\.html"/);
  assert.match(b.stderr, /rendered 12 note\(s\)/);
  // The workers write the pages: a file of the reader's own where a page goes is refused there and said.
  writeFileSync(join(many, 'note5.html'), '<p>mine</p>\n');
  const refused = run('render', notes, '-o', many, '-j', '3');
  assert.equal(refused.status, 1);
  assert.match(refused.stderr, /cannot write '[^']*note5\.html': '[^']*note5\.html' is not a page mathnotes wrote/);
  assert.equal(readFileSync(join(many, 'note5.html'), 'utf8'), '<p>mine</p>\n');
  assert.match(refused.stderr, /rendered 11 note\(s\)/);
  const bad = run('render', notes, '-o', many, '-j', '0');
  assert.equal(bad.status, 2);
  assert.match(bad.stderr, /-j needs a number of threads/);
});

test('--json prints per-post stats with error lines, labels and unresolved references', () => {
  const dir = tmp();
  const note = join(dir, 'n.md');
  writeFileSync(note, '# 标题\n\n\\begin{equation}a\\label{x}\\end{equation}\n\n坏公式$\\frac{1}{$，见\\eqref{x}与\\eqref{y}。\n');
  const r = run('render', note, '--json');
  assert.equal(r.status, 0, r.stderr);
  const [stats] = JSON.parse(r.stdout);
  assert.equal(stats.file, note);
  const [post] = stats.posts;
  assert.equal(post.title, '标题');
  assert.deepEqual(post.labels, ['x']);
  assert.equal(post.errors.length, 1);
  assert.equal(post.errors[0].line, 5);
  assert.deepEqual(post.unresolvedReferences, [{ label: 'y', line: 5 }]);
});

test('a missing file: clear message, exit code 2; a binary file: exit code 1', () => {
  const r = run('render', '/no/such/note.md', '-o', join(tmp(), 'x.html'));
  assert.equal(r.status, 2);
  assert.match(r.stderr, /cannot read '\/no\/such\/note\.md'/);
  const bin = join(tmp(), 'b.md');
  writeFileSync(bin, Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 0, 0, 1, 2, 3]));
  const b = run('render', bin, '-o', join(tmp(), 'b.html'));
  assert.equal(b.status, 1);
  assert.match(b.stderr, /binary file/);
  const many = run('render', seed0, seed0);
  assert.equal(many.status, 2);
  assert.match(many.stderr, /several notes need -o DIR/);
});

test('a GBK-encoded note is decoded and says so on the page', () => {
  const dir = tmp();
  const note = join(dir, 'gbk.md');
  // "公式" in GBK, then ASCII math.
  writeFileSync(note, Buffer.concat([Buffer.from([0xb9, 0xab, 0xca, 0xbd]), Buffer.from(' $x^2$\n')]));
  const out = join(dir, 'gbk.html');
  const r = run('render', note, '-o', out);
  assert.equal(r.status, 0, r.stderr);
  const html = readFileSync(out, 'utf8');
  assert.ok(html.includes('公式'), 'decoded text');
  assert.ok(html.includes('decoded as GB18030'), 'says how it was decoded');
});

test('-o naming an existing folder writes the note into it; an unwritable target is a clear error', () => {
  const dir = tmp();
  const r = run('render', seed0, '-o', dir);
  assert.equal(r.status, 0, r.stderr);
  assert.deepEqual(readdirSync(dir), ['000_54c0bddacf9bba72.html']);
  const file = join(tmp(), 'a-file');
  writeFileSync(file, 'x');
  const bad = run('render', seed0, '-o', join(file, 'place.html')); // a folder inside a file
  assert.equal(bad.status, 1);
  assert.match(bad.stderr, /cannot write/);
});

test('index --json: posts, series in order with missing parts, citations and how they resolved', () => {
  const r = run('index', 'examples', '--json');
  assert.equal(r.status, 0, r.stderr);
  const out = JSON.parse(r.stdout) as {
    posts: Array<{ title: string; series: string | null; part: number | null }>;
    series: Array<{ name: string; parts: Array<{ part: number; title: string }>; missing: number[] }>;
    citations: Array<{ text: string; target: { title: string } | null; how: string | null }>;
  };
  const smooth = out.series.find((s) => s.name === '光滑近似漫谈');
  assert.deepEqual(
    smooth?.parts.map((p) => p.part),
    [1, 2],
  );
  assert.deepEqual(smooth?.missing, []);
  const cite = out.citations.find((c) => c.text === '光滑近似漫谈（一）：从最大值到Softmax');
  assert.equal(cite?.how, 'exact');
  assert.equal(cite?.target?.title, '光滑近似漫谈（一）：从最大值到Softmax');
  // 上/下 parts are numbered in order, with no gap between them.
  const dir = tmp();
  writeFileSync(join(dir, 'a.md'), '# 某算子的迭代（上）\n\n正文\n');
  writeFileSync(join(dir, 'b.md'), '# 某算子的迭代（下）\n\n见《某算子的迭代（上）》与《Scaling Laws for Neural Language Models》。\n');
  const half = JSON.parse(run('index', dir, '--json').stdout) as typeof out;
  assert.deepEqual(
    half.series[0].parts.map((p) => p.part),
    [1, 2],
  );
  assert.deepEqual(half.series[0].missing, []);
  assert.deepEqual(
    half.citations.map((c) => c.how),
    ['exact', null],
  );
});
