// Structure from the one parse: table cells split around formulas (markdown/tableMath.ts), the
// post title as the page's first top-level H1 (markdown/postParse.ts firstHeading), and parses of
// a prefix of a note (a part, a re-parsed region) that read on when an HTML block is still open.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import type MarkdownIt = require('markdown-it');
import { markdownEngine } from '../../src/core/markdown/engine';
import { PLAIN_DIALECT } from '../../src/core/markdown/mathDialect';
import {
  type BodyPart,
  parseInlineTokens,
  partHolds,
  postParseInput,
  postParseOptions,
  PostParts,
} from '../../src/core/markdown/postParse';
import { parseBlocks } from '../../src/core/render/blocks';
import { parseNote } from '../../src/core/note/parseNote';
import { blockTokens } from '../../src/core/render/blockParse';
import { summarizeText } from '../../src/core/series/noteSummary';
import { RenderCache } from '../../src/core/math/katexRenderer';
import { render } from '../support/render';
import { sharedPath } from '../support/shared';

/** The TeX of every formula on the page, in order. */
const texOf = (html: string) =>
  [...html.matchAll(/<annotation encoding="application\/x-tex">([^<]*)<\/annotation>/g)].map((m) => m[1].replace(/&amp;/g, '&'));
const cells = (html: string) => (html.match(/<t[dh][ >]/g) ?? []).length;

// ---- tables -------------------------------------------------------------------------------------

test('a | inside a formula does not split its cell, in a quote and in a list item too', () => {
  const row = '| $|x|$ | $p(z|x)$ |';
  for (const [name, md] of [
    ['top level', `| a | b |\n|---|---|\n${row}`],
    ['quote', `> | a | b |\n> |---|---|\n> ${row}`],
    ['nested quote', `> > | a | b |\n> > |---|---|\n> > ${row}`],
    ['list item', `- 列表\n\n  | a | b |\n  |---|---|\n  ${row}`],
    ['ordered list item', `1. 列表\n   | a | b |\n   |---|---|\n   ${row}`],
  ]) {
    const out = render(md);
    assert.equal(cells(out.html), 4, name);
    assert.deepEqual(texOf(out.html), ['|x|', 'p(z|x)'], name);
  }
});

test('a | inside a formula in the header row: the row has as many cells as the delimiter row', () => {
  const out = render('| $a|b$ | c |\n| --- | --- |\n| 1 | 2 |');
  assert.match(out.html, /<table/);
  assert.equal(cells(out.html), 4);
  assert.deepEqual(texOf(out.html), ['a|b']);
});

test('\\| inside table math is TeX’s \\| (GitHub would unescape it); \\| outside math escapes a pipe', () => {
  const out = render('| a | b |\n|---|---|\n| $\\|v\\|$ | x \\| y |');
  assert.equal(cells(out.html), 4);
  assert.deepEqual(texOf(out.html), ['\\|v\\|']);
  assert.match(out.html, /<td>x \| y<\/td>/);
});

test('pipes split cells outside formulas: prices, code spans, math that is not math', () => {
  const out = render('| a | b | c |\n|---|---|---|\n| $5 | $6 | `$x|` |');
  assert.equal(cells(out.html), 6);
  assert.match(out.html, /<td>`\$x<\/td>/, 'the code span is split, as GFM splits it');
  assert.match(out.html, /<td>\$5<\/td>\n<td>\$6<\/td>/);
});

test('the placeholder the table rule reads is no character of the note', () => {
  const out = render('| a | b |\n|---|---|\n| \uE000 $|x|$ | $\\text{\uE000}$ |');
  assert.equal(cells(out.html), 4);
  assert.deepEqual(texOf(out.html), ['|x|']);
  assert.ok(out.html.includes('\\text{\uE000}') && !out.html.includes('\\text{|}'), 'a placeholder-like character in a formula stays');
  assert.ok(out.html.includes('<td>\uE000 '), 'the note’s own character stays');
});

test('a display formula that ends a table keeps its own text (answers read while the table rule ran are not kept)', () => {
  const display = '$$\n\\left| y \\right| \\text{$u|v$}\n$$';
  const out = render(`| a | b |\n|---|---|\n| $x$ | 1 |\n${display}\n\n${display}`);
  assert.ok(!out.html.includes('\uE000'), 'no placeholder on the page');
  const shown = [...out.html.matchAll(/data-tex="([^"]*)"/g)].map((m) => m[1]);
  assert.equal(shown.length, 2);
  assert.equal(shown[0], shown[1]);
  assert.match(shown[0], /\{\$u\|v\$\}/);
});

// ---- the title ----------------------------------------------------------------------------------

const title = (text: string) => {
  const post = parseNote(text, 'note.md').posts[0];
  return [post.meta.title, post.titleLine];
};

test('the title is the first top-level H1 the page shows', () => {
  assert.deepEqual(title('前言\n\n# 标题 ##\n\n正文'), ['标题', 2]);
  assert.deepEqual(title('---\ntags: [a]\n---\n\n# 标题\n'), ['标题', 4]);
  assert.deepEqual(title('---\ntitle: 前置\n---\n# 标题\n'), ['前置', 3], 'front matter first; the H1’s line');
  assert.deepEqual(title('   # 缩进三格\n'), ['缩进三格', 0], 'up to three spaces in, as CommonMark');
  assert.deepEqual(title('无标题\n\n正文'), [undefined, undefined]);
});

test('no title from a # line the page does not show as a top-level H1', () => {
  const cases: Array<[string, string]> = [
    ['an HTML block', '<div>\n# 注释\n</div>\n\n# 标题\n'],
    ['a comment across blank lines', '<!--\n\n# 注释\n\n-->\n\n# 标题\n'],
    ['a ``` fence', '```python\n# comment\n```\n\n# 标题\n'],
    ['a ~~~ fence', '~~~~\n~~~\n# comment\n~~~~\n\n# 标题\n'],
    ['a fence in a list item, which ends with the item', '- 步骤\n  ```python\n  # comment\n  ```\n\n# 标题\n'],
    ['a display formula', '$$\n# x\n$$\n\n# 标题\n'],
    ['a quote', '> # 引文\n\n# 标题\n'],
    ['a list item', '- # 项\n\n# 标题\n'],
    ['a full-width space is no heading space', '#\u3000全角\n\n# 标题\n'],
    ['an H2', '## 小节\n\n# 标题\n'],
  ];
  for (const [name, text] of cases) assert.equal(title(text)[0], '标题', name);
  // A fence in a list item closes with the item: the # line after it is a heading (a fence scan of its own read it as code).
  assert.deepEqual(title('- 步骤\n  ```\n# 标题\n```\n'), ['标题', 2]);
  // A setext H1 is an H1.
  assert.deepEqual(title('标题\n===\n\n# 其后\n'), ['标题', 0]);
});

test('the title is found past a long first part, and when no part may follow', () => {
  const prose = Array.from({ length: 300 }, (_, i) => `第${i}段，一些正文。`).join('\n\n');
  assert.deepEqual(title(`${prose}\n\n# 标题\n`), ['标题', 600]);
  assert.deepEqual(title(`\`\`\`\n代码\n\`\`\`\n\n${prose}\n\n# 标题\n`), ['标题', 604]);
});

// ---- a prefix parse with an HTML block open at its end --------------------------------------------

const paragraphs = Array.from({ length: 200 }, (_, i) => `第${i}段的文字，这里是一些正文内容，再多一些文字让它更长一点，超过阈值。`);
const ENV = { bracketDelimiters: false, dialect: PLAIN_DIALECT };

function signature(tokens: readonly MarkdownIt.Token[]): string[] {
  return tokens.map((t) => JSON.stringify([t.type, t.tag, t.nesting, t.level, t.map, t.content]));
}

function wholeParse(source: string): MarkdownIt.Token[] {
  const md = markdownEngine('markdown');
  const tokens: MarkdownIt.Token[] = [];
  md.block.parse(source, md, { ...ENV }, tokens);
  return tokens;
}

test('an edit’s re-parse equals the whole parse when a <!-- typed above a --> opens an HTML block', () => {
  const md = markdownEngine('markdown');
  const body = `${paragraphs.slice(0, 100).join('\n\n')}\n\n-->\n\n${paragraphs.slice(100).join('\n\n')}`;
  blockTokens(md, body, ENV);
  const edited = body.replace('第10段', '<!--\n\n第10段');
  assert.deepEqual(signature(blockTokens(md, edited, ENV)), signature(wholeParse(edited)));
});

test('an edit’s re-parse equals the whole parse when a --> typed below an unclosed <!-- closes it', () => {
  const md = markdownEngine('markdown');
  const body = `${paragraphs.slice(0, 10).join('\n\n')}\n\n<!--\n\n${paragraphs.slice(10).join('\n\n')}`;
  blockTokens(md, body, ENV);
  assert.equal(wholeParse(body).filter((t) => t.type === 'html_block').length, 0, 'unclosed, the opener is prose');
  const edited = body.replace('第150段', '-->\n\n第150段');
  assert.deepEqual(signature(blockTokens(md, edited, ENV)), signature(wholeParse(edited)));
});

test('the series summary reads on past an HTML block left open at the end of a part', () => {
  for (const [open, close] of [
    ['<!--', '-->'],
    ['<!DOCTYPE 声明', '>'],
    ['<script>', '</script>'],
  ]) {
    const note = `# 标题\n\n${open}\n\n${paragraphs.slice(0, 3).join('\n\n')}\n\n${close}\n\n真正的第一句。后文。\n`;
    assert.equal(summarizeText('a.md', 'a.md', note)[0].firstSentence, '真正的第一句。', open);
  }
  // Unclosed, the opener is prose: the page's first sentence starts with it.
  const unclosed = `# 标题\n\n<script> 未闭合的开头。\n\n${paragraphs.slice(0, 3).join('\n\n')}\n`;
  assert.equal(summarizeText('a.md', 'a.md', unclosed)[0].firstSentence, '未闭合的开头。');
});

// ---- a part's dialect is the whole body's ----------------------------------------------------------

/** A token as a reader of the parse sees it, its inline children with it. */
const seen = (t: MarkdownIt.Token) =>
  JSON.stringify([t.type, t.tag, t.level, t.map, t.content, t.markup, (t.children ?? []).map((c) => [c.type, c.content, c.markup])]);

/** Every part of a body (from the top, and around each line), with the page's tokens for the same lines. */
function partsAgainstPage(body: string): string[] {
  const page = postParseInput('markdown', body);
  const md = markdownEngine('markdown');
  const env = { bracketDelimiters: page.bracketDelimiters, dialect: page.dialect };
  const whole = parseBlocks(md, page.source, env);
  const wholeStructure = {
    md,
    env,
    tokens: whole,
    line: 0,
    endLine: Number.MAX_SAFE_INTEGER,
    complete: true,
    inlineParsed: new Set<MarkdownIt.Token>(),
  };
  parseInlineTokens(
    wholeStructure,
    whole.filter((t) => t.type === 'inline'),
  );
  const parts = new PostParts('markdown', body);
  const found: BodyPart[] = [];
  for (let part: BodyPart | undefined = parts.around(0, 0); part; part = parts.after(part)) found.push(part);
  let offset = 0;
  body.split('\n').forEach((l, line) => {
    found.push(parts.around(line, offset));
    offset += l.length + 1;
  });
  const problems: string[] = [];
  for (const part of found) {
    const s = parts.parse(part);
    if (!partHolds(s)) continue;
    parseInlineTokens(
      s,
      s.tokens.filter((t) => t.type === 'inline'),
    );
    const mine = s.tokens.map(seen);
    const first = whole.findIndex((t) => t.map && t.level === 0 && t.map[0] >= part.line);
    let last = whole.findIndex((t, i) => i >= first && t.map && t.level === 0 && t.nesting >= 0 && t.map[0] >= part.endLine);
    if (last < 0) last = whole.length;
    const theirs = whole.slice(first, last).map(seen);
    if (JSON.stringify(mine) !== JSON.stringify(theirs))
      problems.push(`lines ${part.line}–${part.endLine}:\n  part: ${mine.join('\n        ')}\n  page: ${theirs.join('\n        ')}`);
  }
  return problems;
}

test('a part parses as the page does, in every dialect: mdBook, kramdown, as written', () => {
  const prose = '这是一段足够长的中文正文用于切分。';
  const notes = [
    `${prose}\n\n行内\\\\(x_1\\\\)与$y$。\n\n${prose}\n\n\\\\[\na \\\\\\\\ b\n\\\\]\n\n${prose}\n\n| a | b |\n|---|---|\n| \\\\(|x|\\\\) | c |\n`,
    `${prose}\n\n$$\na \\\\\\\\ b_{\\_x}\n$$\n\n${prose}\n\n行内$c\\_d$与$e \\\\\\\\ f$。\n\n${prose}\n\n> | a | b |\n> |---|---|\n> | $|x|$ | c |\n`,
    `${prose}\n\n\\\\(不是公式\\\\)，$x$。\n\n${prose}\n\n- ${prose}\n\n  | a | b |\n  |---|---|\n  | $|x|$ | c |\n`,
  ];
  const dialects = notes.map((n) => postParseInput('markdown', n).dialect);
  assert.deepEqual(
    dialects.map((d) => d.escapedBrackets),
    [true, false, true],
  );
  assert.deepEqual(
    dialects.map((d) => d.escapedDollars),
    [false, true, false],
  );
  for (const note of notes) assert.deepEqual(partsAgainstPage(note), [], note);
});

test('on every real note, the parts’ options decide where math is as the page’s do', () => {
  const shared = sharedPath();
  for (const dir of ['corpus/kexue-md', 'corpus/pumpkin-book', 'corpus/notes-zh', 'seeds']) {
    for (const f of readdirSync(join(shared, dir)).filter((n) => n.endsWith('.md'))) {
      const body = parseNote(readFileSync(join(shared, dir, f), 'utf8'), f).posts[0].body;
      const page = postParseOptions('markdown', body);
      const part = postParseOptions('markdown', body, true);
      assert.equal(part.bracketDelimiters, page.bracketDelimiters, f);
      assert.equal(part.dialect.escapedBrackets, page.dialect.escapedBrackets, f);
    }
  }
});

test('the preview’s incremental render equals the whole render after <!-- is typed above a -->, and --> below a <!--', () => {
  const cache = new RenderCache();
  const body = `# 标题\n\n${paragraphs.slice(0, 100).join('\n\n')}\n\n-->\n\n${paragraphs.slice(100).join('\n\n')}\n`;
  const edits = [
    body.replace('第10段', '<!--\n\n第10段'),
    body.replace('第10段', '<!-- 一行 -->\n\n第10段'),
    body.replace('-->\n\n', '').replace('第10段', '<!--\n\n第10段'),
  ];
  for (const edited of edits) {
    render(body, 'note.md', { cache });
    const incremental = render(edited, 'note.md', { cache });
    const whole = render(edited, 'note.md', { incremental: false });
    assert.equal(incremental.html, whole.html);
  }
  const unclosed = body.replace('-->\n\n', '').replace('第10段', '<!--\n\n第10段');
  render(unclosed, 'note.md', { cache });
  const closed = unclosed.replace('第150段', '-->\n\n第150段');
  assert.equal(render(closed, 'note.md', { cache }).html, render(closed, 'note.md', { incremental: false }).html);
});

test('a Markdown note reads the same with \\n, \\r\\n and \\r line ends: body, lines, title line, front matter', () => {
  const lf = '---\ntitle: 标题\ndate: 2024-01-02\n---\n\n正文第一段，$x$。\n\n# 一级标题\n\n$$\na\n$$\n\n末段';
  const a = parseNote(lf, 'a.md').posts[0];
  for (const ends of ['\r\n', '\r']) {
    const b = parseNote(lf.replace(/\n/g, ends), 'a.md').posts[0];
    assert.equal(b.body, a.body);
    assert.deepEqual(b.bodyLineMap, a.bodyLineMap);
    assert.deepEqual([b.startLine, b.endLine, b.titleLine, b.meta.title], [a.startLine, a.endLine, a.titleLine, a.meta.title]);
  }
  assert.deepEqual([a.endLine, a.bodyLineMap.length, a.bodyLineMap[0], a.titleLine, a.meta.title], [14, 10, 4, 7, '标题']);
  // Front matter is looked for in the first lines only: past its bounds the note has none.
  const late = '---\n' + 'x: 1\n'.repeat(600) + '---\n正文';
  assert.equal(parseNote(late, 'b.md').posts[0].bodyLineMap[0], 0);
});
