// The series index keeps of a note what its page shows (issue #17): exactly the citations the page
// marks — none in code, math, HTML, a link's target or an image's description — at their source
// ranges, and the first sentence of the first paragraph as the page shows it. Both come from the
// page's own parse of the post, of the parts of it they are in (PostParts), which must parse as
// the whole post does.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { RenderCache } from '../../src/core/math/katexRenderer';
import { parseNote } from '../../src/core/note/parseNote';
import { renderNote } from '../../src/core/render/renderNote';
import { summarizeNote, type PostSummary } from '../../src/core/series/noteSummary';
import { citationDifferences, indexCitations, pageCitations } from '../support/pageCitations';
import { sharedPath } from '../support/shared';

const cache = new RenderCache();
const summarize = (text: string, file = 'n.md', whole = false): PostSummary[] =>
  summarizeNote(file, text, parseNote(text, file), { whole });
const page = (text: string, file = 'n.md') => renderNote(text, file, { cache }).html;
const keys = (text: string, file = 'n.md') => [...indexCitations(text, summarize(text, file)).values()].flat().map((c) => c.key);

test('citations in code, math, link targets and image descriptions are not in the index, as the page does not mark them', () => {
  const note = [
    '# 笔记',
    '',
    '```',
    '《围栏里》',
    '',
    '中文中文《围栏里的段落》',
    '```',
    '',
    '    《缩进代码》',
    '',
    '见`《代码片段》`与$\\text{《行内公式》}$，还有《真的》。',
    '',
    '$$',
    'a',
    '',
    '\\text{《跨空行的公式》}',
    '$$',
    '',
    '[![《图片说明》](x.png)](y)，[文字](/a "《链接标题》")，[《链接》](/archives/1 "《t》")，[x](《链接目标》)。',
    '',
    '《**强调拆开**》与《A\\_B》。',
    '',
  ].join('\n');
  assert.deepEqual(keys(note), ['真的', '链接', 'A_B']);
  assert.deepEqual(citationDifferences('note', note, page(note), summarize(note)), []);
  // At their source ranges, with the title the page shows (`A_B`, not `A\_B`).
  const lines = note.split('\n');
  assert.deepEqual(
    summarize(note)[0].citations.map((c) => [c.text, c.line, lines[c.line].substr(c.col, c.length)]),
    [
      ['真的', 10, '《真的》'],
      ['链接', 18, '《链接》'],
      ['A_B', 20, '《A\\_B》'],
    ],
  );
});

test('a part reference before a linked title: the page marks the title only, as the grammar reads the line', () => {
  const note = '# 某漫谈（三）：丙\n\n这个系列的第二篇[《某漫谈（二）：乙》](/archives/2)说过，本系列第一篇文章也说过。\n';
  assert.deepEqual(keys(note), ['某漫谈（二）：乙', '#1']);
  assert.doesNotMatch(page(note), /data-part="2"/);
  assert.deepEqual(citationDifferences('note', note, page(note), summarize(note)), []);
});

test('an HTML comment: the index keeps what the page marks, whether the page shows the comment as text or hides it', () => {
  const note = '# 笔记\n\n前文<!-- 《注释里》 -->后文《外面》。\n\n<!--\n《块注释》\n-->\n';
  assert.deepEqual(citationDifferences('note', note, page(note), summarize(note)), []);
  assert.ok(keys(note).includes('外面'));
});

test('first sentence: after a display crossing a blank line, after `$$…$$` starting a line, around a display in a paragraph', () => {
  const first = (body: string) => summarize(`# T\n\n${body}`)[0].firstSentence;
  assert.equal(first('$$\n\\begin{cases}\nx\n\\end{cases}\n\ny\n$$\n\n第一句在这里。第二句。\n'), '第一句在这里。');
  assert.equal(first('$$a$$ 是开头的公式，然后才是第一句。第二句。\n'), '$$a$$ 是开头的公式，然后才是第一句。');
  assert.equal(first('前文：$$\nx\n$$\n后文。\n'), '前文：$$x$$ 后文。');
  assert.equal(
    first(
      '> 引文不是。\n\n| 表 | 格 |\n|---|---|\n| 不 | 是 |\n\n![图](a.png)\n\n```\n代码也不是。\n```\n\n**原文链接**: [x](http://a)\n**发布日期**: 2024\n\n这才是。\n',
    ),
    '这才是。',
  );
  assert.equal(first('Astronomy Calendar  \n**2020年全年天象**\n'), 'Astronomy Calendar 2020年全年天象');
  assert.equal(first('很长的段落。'.repeat(40).slice(0, 200).replace(/。/g, '，') + '\n')?.length, 140);
});

/** Notes made of the constructs that decide what is a citation and where a part may be cut. */
function randomNotes(count: number, seed: number): string[] {
  let s = seed >>> 0;
  const rand = () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const pieces: string[][] = [
    ['中文段落说明一下《标题甲》的内容。'],
    ['本系列的(二)、(三)说过，本系列第一篇文章也说过。'],
    ['English prose with 《Title B》 in it.'],
    ['见`《代码里》`与《外面》。'],
    ['公式$\\text{《数学》}$之后《外面二》。'],
    ['$$x$$ 后面的文字《行内显示》。'],
    ['$$', 'x = 1', '$$'],
    ['$$', 'a', '', '\\text{《跨》}', '$$'],
    ['\\begin{equation}', '\\text{《环境》}', '\\end{equation}'],
    ['$$', '《未闭合》'],
    ['文字$$', '\\text{《段中显示》}', '$$后文。'],
    ['```', '《围栏》', '', '中文中文《围栏里》', '```'],
    ['~~~', '《未闭的围栏》'],
    ['    《缩进》'],
    ['- 列表中文《项》', '  续行中文《续》'],
    ['> 引用中文《块》'],
    ['| 《甲》 | b |', '|---|---|', '| $|$ 《乙》 | c |'],
    ['## 标题《头》'],
    ['[《链接》](/archives/1 "《题》")，![《图》](x)，<http://a/《自动》>'],
    ['[《A》](/x "《B》") 和《B》，[《C》](/《D》)与《D》，[x](/y "《E》")和《E》。'],
    ['这个系列的第二篇[《链接标题》](/archives/2)文章，本系列第三篇**《粗体》**。'],
    ['《**强调**》与《A\\_B》'],
    ['<!-- 《注释》 -->'],
    ['---'],
    ['{% raw %}', '中文中文《生》', '{% endraw %}'],
    ['**原文链接**: [http://a](http://a)'],
    ['[r]: /archives/3 "《定义》"'],
    ['见[《链接》][r]与![《图》][r]，[r]。'],
    ['中文', '$$', 'y', '', 'z', '$$ 接着《尾》'],
    // HTML blocks whose closer may come parts later, or never.
    ['<!--', '中文中文《注内》'],
    ['-->'],
    ['<script>'],
    ['</script> 后文中文《脚本后》'],
    // A dialect read from the whole body (mdBook's \\( \\[, kramdown's doubled escapes), in a part or not.
    ['mdBook中文\\\\(x\\\\)《行内括号》'],
    ['\\\\[', 'x《显示括号》', '\\\\]'],
    ['$a \\\\\\\\ b$ 与 $c\\_d$ 中文《双写》'],
    ['> | 《甲》 | b |', '> |---|---|', '> | $|$ 《乙》 | c |'],
  ];
  const notes: string[] = [];
  for (let n = 0; n < count; n++) {
    const lines: string[] = [];
    for (let k = 3 + Math.floor(rand() * 14); k > 0; k--) {
      lines.push(...pieces[Math.floor(rand() * pieces.length)]);
      for (let b = Math.floor(rand() * 3); b > 0; b--) lines.push('');
    }
    notes.push(lines.join('\n') + '\n');
  }
  return notes;
}

test('parts parse as the whole post does: the same citations and first sentence, on generated notes', () => {
  for (const note of randomNotes(3000, 17)) {
    for (const file of ['n.md', 'n.txt']) assert.deepEqual(summarize(note, file), summarize(note, file, true), `${file}:\n${note}`);
  }
});

test('the index keeps the citations the page marks, at their source ranges, on generated notes', () => {
  for (const note of randomNotes(150, 99)) {
    assert.deepEqual(citationDifferences('generated', note, page(note), summarize(note)), [], note);
  }
});

test('parts parse as the whole post does on every note of the corpus and the seeds', () => {
  const shared = sharedPath();
  const files = [
    ...['kexue-md', 'pumpkin-book', 'notes-zh'].flatMap((d) =>
      readdirSync(join(shared, 'corpus', d))
        .filter((f) => f.endsWith('.md'))
        .map((f) => join(shared, 'corpus', d, f)),
    ),
    ...readdirSync(join(shared, 'seeds')).map((f) => join(shared, 'seeds', f)),
  ];
  assert.ok(files.length >= 470, `${files.length}`);
  for (const f of files) {
    const text = readFileSync(f, 'utf8');
    assert.deepEqual(summarize(text, f), summarize(text, f, true), f);
  }
});

test('pageCitations reads the marks of each post', () => {
  const html = page('# 甲\n\n见《乙》与本系列的(二)。\n');
  assert.deepEqual(
    [...pageCitations(html)],
    [
      [
        0,
        [
          { key: '乙', text: '《乙》' },
          { key: '#2', text: '(二)' },
        ],
      ],
    ],
  );
});
