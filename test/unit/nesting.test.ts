// Deep nesting in every structured input a note or a workspace can hand us (issue #16): what made
// V8 abort the process was not one stack overflow but a few in one thread. Each input, nested
// 20 000 deep, goes through every entry point several times over in one child process, which must
// end normally, with the notes still rendered.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { resolve } from 'node:path';
import { test } from 'node:test';

const N = 20000;
const NESTED: Record<string, string> = {
  'front matter flow': '---\ntitle: ' + '[{'.repeat(N) + '}]'.repeat(N) + '\n---\n\n$x$\n',
  'front matter blocks': '---\na:\n  ' + '- '.repeat(N) + 'x\n---\n\n$x$\n',
  braces: '$$' + '{'.repeat(N) + 'x' + '}'.repeat(N) + '$$\n',
  'left/right': '$$' + '\\left('.repeat(N) + 'x' + '\\right)'.repeat(N) + '$$\n',
  fractions: '$$' + '\\frac{'.repeat(N) + 'x' + '}{y}'.repeat(N) + '$$\n',
  scripts: '$$x' + '^{'.repeat(N) + 'x' + '}'.repeat(N) + '$$\n',
  environments: '$$' + '\\begin{matrix}'.repeat(N) + 'x' + '\\end{matrix}'.repeat(N) + '$$\n',
  'text in math in text': '$$' + '\\text{$'.repeat(N) + 'x' + '$}'.repeat(N) + '$$\n',
  'small formulas nested': '$' + '\\sqrt{'.repeat(400) + 'x' + '}'.repeat(400) + '$\n',
  quotes: '>'.repeat(N) + ' $x$\n',
  'list items': Array.from({ length: 2000 }, (_, i) => ' '.repeat(i * 2) + '- a $x$').join('\n'),
  links: '['.repeat(N) + 'x' + ']'.repeat(N) + '(u)\n',
  emphasis: '*_'.repeat(N) + 'x' + '_*'.repeat(N) + '\n',
  citations: '《'.repeat(N) + '标题' + '》'.repeat(N) + '\n',
  'macro definitions': '$$' + '\\def\\a{'.repeat(2000) + 'x' + '}'.repeat(2000) + '\\a$$\n',
};

test('every structured input nested 20 000 deep, through every entry point, four times in one process', () => {
  const script = `
    const { renderNote } = require('./out/src/core/render/renderNote');
    const { lintNote } = require('./out/src/core/lint/lintNote');
    const { summarizeText } = require('./out/src/core/series/noteSummary');
    const { parseMacroFile } = require('./out/src/core/math/macroFile');
    const { parseSeriesTitle, normalizeTitle } = require('./out/src/core/series/titleGrammar');
    const notes = ${JSON.stringify(NESTED)};
    const deepJson = '{"\\\\\\\\x": ' + '['.repeat(${N}) + ']'.repeat(${N}) + '}';
    const deepTex = '\\\\newcommand{\\\\x}{' + '{'.repeat(${N}) + '}'.repeat(${N}) + '}';
    const slowest = {};
    for (let round = 0; round < 4; round++) {
      for (const [name, text] of Object.entries(notes)) {
        const t = Date.now();
        for (const file of ['n.md', 'n.txt']) {
          if (!renderNote(text, file).html.includes('mn-post')) throw new Error(name + ': no page');
          lintNote(text, file);
          summarizeText(file, file, text);
        }
        parseSeriesTitle(text.slice(0, 5000)); normalizeTitle(text.slice(0, 5000));
        slowest[name] = Math.max(slowest[name] || 0, Date.now() - t);
      }
      parseMacroFile(deepJson, 'm.json'); parseMacroFile(deepTex, 'm.tex');
    }
    console.log(JSON.stringify(slowest));`;
  const r = spawnSync(process.execPath, ['-'], {
    input: script,
    cwd: resolve(__dirname, '../../..'),
    encoding: 'utf8',
    timeout: 240_000,
    maxBuffer: 1 << 24,
  });
  assert.equal(r.status, 0, `exit ${r.status} ${r.signal ?? ''}: ${r.stderr.slice(-1500)}`);
  const slowest = JSON.parse(r.stdout.trim()) as Record<string, number>;
  console.log(`      slowest round per input (ms): ${JSON.stringify(slowest)}`);
  assert.deepEqual(Object.keys(slowest).sort(), Object.keys(NESTED).sort());
});
