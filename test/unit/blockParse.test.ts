// The block parse reused across edits (render/blockParse.ts) is the whole parse: after every edit of
// a sequence of random edits on every real note, its tokens equal a fresh parse of the new text.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import type MarkdownIt = require('markdown-it');
import { markdownEngine } from '../../src/core/markdown/engine';
import { postParseInput } from '../../src/core/markdown/postParse';
import { parseNote } from '../../src/core/note/parseNote';
import { blockTokens, cutsOf, knownCuts, lineStartsOf, wholeBlockTokens } from '../../src/core/render/blockParse';
import { splitBlocks } from '../../src/core/render/blocks';
import { random } from '../../src/bench/hostileSeries';
import { sharedPath } from '../support/shared';

const SHARED = sharedPath();
const FOLDERS = ['corpus/kexue-md', 'corpus/pumpkin-book', 'corpus/notes-zh', 'seeds'];

/** What a consumer reads of a block token. */
function signature(tokens: readonly MarkdownIt.Token[]): string[] {
  return tokens.map((t) =>
    JSON.stringify([
      t.type,
      t.tag,
      t.nesting,
      t.level,
      t.map,
      t.content,
      t.markup,
      t.info,
      t.block,
      t.hidden,
      (t.meta as { horizon?: number } | null)?.horizon,
    ]),
  );
}

/** markdown-it's parse of the whole source, with the horizons blockParse adds (failed display searches). */
const wholeParse = (md: ReturnType<typeof markdownEngine>, source: string, env: object): MarkdownIt.Token[] =>
  wholeBlockTokens(md, source, env);

/** How many characters markdown-it's block parser reads while `fn` runs. */
function charactersParsed(md: ReturnType<typeof markdownEngine>, fn: () => void): number {
  const parse = md.block.parse;
  let parsed = 0;
  md.block.parse = function (src, ...rest) {
    parsed += src.length;
    return parse.call(this, src, ...rest);
  };
  try {
    fn();
  } finally {
    md.block.parse = parse;
  }
  return parsed;
}

/** Edits an author makes, and ones that change what reaches far: fences, displays, lists, quotes, HTML. */
const INSERTS = [
  'x',
  '中',
  '\n',
  '\n\n',
  '$$',
  '$$\n',
  '\\begin{equation}',
  '\\end{equation}',
  '\\[',
  '\\]',
  '```\n',
  '~~~',
  '- ',
  '1. ',
  '> ',
  '    ',
  '<div>',
  '</div>',
  '<details>\n',
  '</details>\n',
  '<!--',
  '-->',
  '$',
  '|a|b|\n|-|-|\n',
  '# ',
  '===\n',
];

function edit(text: string, rnd: () => number): string {
  const at = Math.floor(rnd() * text.length);
  if (rnd() < 0.3) return text.slice(0, at) + text.slice(Math.min(text.length, at + 1 + Math.floor(rnd() * 40)));
  return text.slice(0, at) + INSERTS[Math.floor(rnd() * INSERTS.length)] + text.slice(at);
}

test('a block parse reused across edits equals the whole parse, on random edits of every real note', () => {
  const rnd = random(17);
  let edits = 0;
  let notes = 0;
  for (const folder of FOLDERS) {
    const dir = join(SHARED, folder);
    for (const name of readdirSync(dir)
      .filter((f) => /\.(md|txt)$/.test(f))
      .sort()) {
      const note = parseNote(readFileSync(join(dir, name), 'utf8'), name);
      const md = markdownEngine(note.format);
      for (const post of note.posts.slice(0, 3)) {
        if (post.body.length < 5000) continue; // shorter bodies are parsed whole
        notes++;
        let body = post.body;
        const input = postParseInput(note.format, body);
        const env = { bracketDelimiters: input.bracketDelimiters, dialect: input.dialect };
        blockTokens(md, input.source, env);
        for (let k = 0; k < 6; k++) {
          body = edit(body, rnd);
          const source = note.format === 'markdown' ? postParseInput(note.format, body).source : body;
          const reusedTokens = blockTokens(md, source, env);
          const wholeTokens = wholeParse(md, source, env);
          const reused = signature(reusedTokens);
          const whole = signature(wholeTokens);
          if (reused.length !== whole.length || reused.some((s, i) => s !== whole[i])) {
            const i = reused.findIndex((s, j) => s !== whole[j]);
            assert.fail(`${folder}/${name}, edit ${k}: token ${i} differs\n  reused: ${reused[i]}\n  whole:  ${whole[i]}`);
          }
          // The line starts and cuts the reused parse kept (moved from the old parse's, not found
          // again) are the text's and the ones a walk over the whole parse's tokens finds.
          const kept = knownCuts(reusedTokens);
          assert.deepEqual(kept?.lineStarts, lineStartsOf(source), `${folder}/${name}, edit ${k}: line starts differ`);
          assert.deepEqual(kept?.cuts, cutsOf(wholeTokens, source, lineStartsOf(source)), `${folder}/${name}, edit ${k}: cuts differ`);
          // The cuts the reused parse kept are the ones a walk over the whole parse's tokens finds.
          assert.deepEqual(
            splitBlocks(md, source, env, reusedTokens),
            splitBlocks(md, source, env, wholeTokens),
            `${folder}/${name}, edit ${k}: blocks differ`,
          );
          edits++;
        }
      }
    }
  }
  assert.ok(notes > 300 && edits > 1800, `${notes} posts, ${edits} edits`);
});

test('an opener the edit leaves unclosed, or closes over a cut, is parsed as the whole note reads it', () => {
  const md = markdownEngine('markdown');
  const env = { bracketDelimiters: false, dialect: { escapedBrackets: false, escapedDollars: false } };
  const para = (i: number) => `第${i}段，$x_${i}$ 与 $$y_${i}$$ 之间。\n\n`;
  let body = '';
  for (let i = 0; i < 200; i++) body += para(i);
  blockTokens(md, body, env);
  // A `$$` alone on a line in the middle; then its closer far below, over blank lines of TeX.
  const mid = body.indexOf('第100段');
  const cases = [
    body.slice(0, mid) + '$$\n' + body.slice(mid),
    body.slice(0, mid) + '$$\na = b\n\nc = d\n$$\n\n' + body.slice(mid),
    body.slice(0, mid) + '```\n' + body.slice(mid),
    body.slice(0, mid) + '\\begin{align}\na &= b\n\n' + body.slice(mid, mid + 40) + '\n\n\\end{align}\n\n' + body.slice(mid + 40),
  ];
  for (const text of cases) {
    blockTokens(md, body, env);
    assert.deepEqual(signature(blockTokens(md, text, env)), signature(wholeParse(md, text, env)));
  }
  // An `<!--` nothing closes is prose (rawHtml.ts); a `-->` typed far below makes it a comment.
  const unclosed = body.slice(0, mid) + '<!-- 注释\n\n' + body.slice(mid);
  const far = unclosed.indexOf('第150段');
  const closed = unclosed.slice(0, far) + '-->\n\n' + unclosed.slice(far);
  blockTokens(md, unclosed, env);
  assert.deepEqual(signature(blockTokens(md, closed, env)), signature(wholeParse(md, closed, env)));
});

test('a display that a container line ends does not make later edits parse the note whole', () => {
  const md = markdownEngine('markdown');
  const env = { bracketDelimiters: false, dialect: { escapedBrackets: false, escapedDollars: false } };
  // A list item whose `$$` line has its TeX unindented below: within the item the window ends at
  // the next line, which leaves it; nothing after that line was read. (Seen in a corpus note.)
  const item = '1. **范数**：\n$$\n\\|E\\|_{\\infty} = \\max_{i,j} |E_{ij}| \\tag{69}\n$$\n\n';
  let body = item;
  for (let i = 0; i < 400; i++) body += `第${i}段，$x_${i}$ 与 $$y_${i}$$ 之间。\n\n`;
  blockTokens(md, body, env);
  const far = body.indexOf('第300段');
  const edited = body.slice(0, far) + '中' + body.slice(far);
  const parsed = charactersParsed(md, () =>
    assert.deepEqual(signature(blockTokens(md, edited, env)), signature(wholeParse(md, edited, env))),
  );
  // The reused parse read the edited paragraph and its neighbours; the check above read it all once.
  assert.ok(
    parsed - edited.length < edited.length / 10,
    `${parsed - edited.length} characters parsed again for a one-character edit of ${edited.length}`,
  );
});

test('a line break typed inside a display parses a wider region again, not the note whole', () => {
  const md = markdownEngine('markdown');
  const env = { bracketDelimiters: false, dialect: { escapedBrackets: false, escapedDollars: false } };
  let body = '';
  for (let i = 0; i < 400; i++) body += `第${i}段，$x_${i}$ 之后：\n\n\\begin{equation}\ny_${i} = ${i}\n\\end{equation}\n\n`;
  blockTokens(md, body, env);
  let text = body;
  const parsed = charactersParsed(md, () => {
    // Enter pressed twice inside the display of paragraph 300: a blank line in it, judged by what
    // follows its closer, which the narrowest region ends right after.
    const at = text.indexOf('y_300');
    for (let k = 0; k < 2; k++) {
      text = text.slice(0, at) + '\n' + text.slice(at);
      blockTokens(md, text, env);
    }
  });
  assert.deepEqual(signature(blockTokens(md, text, env)), signature(wholeParse(md, text, env)));
  assert.ok(parsed < text.length / 10, `${parsed} characters parsed again for two line breaks in ${text.length}`);
});

test('a closer typed below a display that found none parses the display again', () => {
  const md = markdownEngine('markdown');
  const env = { bracketDelimiters: false, dialect: { escapedBrackets: false, escapedDollars: false } };
  // The first display has no closer of its own, and the same environment opens again below: its
  // search stops there, having read the quote. A closer typed into the quote then closes it.
  let body = '开头\n\n\\begin{equation}\ny = 1\n\n> 引用\n> 第二行\n\n';
  for (let i = 0; i < 200; i++) body += `第${i}段\n\n\\begin{equation}\nz_${i}\n\\end{equation}\n\n`;
  blockTokens(md, body, env);
  const edited = body.replace('> 第二行', '> \\end{equation}第二行');
  assert.deepEqual(signature(blockTokens(md, edited, env)), signature(wholeParse(md, edited, env)));
});

test('a wrapper closer restored below its opener takes the cuts inside the wrapper away again', () => {
  const md = markdownEngine('markdown');
  const env = { bracketDelimiters: false, dialect: { escapedBrackets: false, escapedDollars: false } };
  let body = '';
  for (let i = 0; i < 300; i++) body += `第${i}段，$x_${i}$ 在此。\n\n`; // over 4 KB: reused
  const inside = Array.from({ length: 40 }, (_, i) => `折叠的第${i}段，$y_${i}$。\n\n`).join('');
  const withCloser = `${body}<details>\n<summary>证明</summary>\n\n${inside}</details>\n\n${body}`;
  const closer = withCloser.indexOf('</details>');
  const withoutCloser = withCloser.slice(0, closer) + withCloser.slice(closer + '</details>'.length);
  // Closer removed (the opener wraps nothing: cuts inside), then typed back: the parse reused from
  // the one without it (its cut before the closer is inside the wrapper) must not keep those cuts.
  for (const source of [withCloser, withoutCloser, withCloser]) {
    const tokens = blockTokens(md, source, env);
    const whole = wholeParse(md, source, env);
    assert.deepEqual(signature(tokens), signature(whole));
    assert.deepEqual(knownCuts(tokens)?.cuts, cutsOf(whole, source, lineStartsOf(source)));
  }
});
