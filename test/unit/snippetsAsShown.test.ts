// The code a snippet runs is the code the page shows, byte for byte, and only that (issue #16,
// finding 2: a second fence scanner read past a closing fence markdown-it accepts in a list item
// and ran a hidden line). Checked on fences in every container, on hostile shapes, and on every
// example and corpus note: the page's runnable code blocks and the snippet list are the same set.
import assert from 'node:assert/strict';
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { test } from 'node:test';
import { RenderCache } from '../../src/core/math/katexRenderer';
import { renderNote } from '../../src/core/render/renderNote';
import { findSnippets } from '../../src/core/snippets/snippets';
import { snippetsNotAsShown } from '../support/snippetsShown';
import { sharedPath } from '../support/shared';

const root = resolve(__dirname, '../../..');

function assertRunsWhatIsShown(text: string, file: string, label: string): number {
  assert.deepEqual(snippetsNotAsShown(text, file), [], label);
  return findSnippets(text, file).length;
}

test('a closing fence markdown-it accepts in a list item ends the snippet: a hidden line after it never runs', () => {
  const note = [
    '# t',
    '',
    '1. step',
    '',
    '   ```python',
    '   >>> 1 + 1',
    '   2',
    '      ```',
    '',
    "[x]: /u '",
    'print("HIDDEN")',
    '```',
    "'",
    '',
  ].join('\n');
  const [snippet, ...rest] = findSnippets(note, 'n.md');
  assert.equal(rest.length, 0);
  assert.equal(snippet.code, '>>> 1 + 1\n2');
  assert.equal(snippet.doctest, true);
  assert.equal(snippet.endLine, 7);
  assertRunsWhatIsShown(note, 'n.md', 'repro');
});

test('fences in every container: the snippet is the page’s code block, byte for byte', () => {
  const fences = [
    ['```python', 'print(1)', '```'],
    ['~~~js', 'console.log(2)', '~~~'],
    ['````py {timeout=2}', '```', 'print(3)', '````'],
    ['```python', '>>> 1 + 1', '2'], // unclosed: runs to the container's end
    ['```python', '\tx = 1', '  print(x)', '```'],
    // The language as markdown-it reads it for the page: entities decoded, any Unicode space trimmed.
    ['```&#112;ython', 'print(5)', '```'],
    ['```\u3000python', 'print(6)', '```'],
    ['~~~ py\\{x}', 'print(7)', '~~~'],
  ];
  // Each container: how it prefixes its first line and the rest, and a closing-fence indent to try.
  const containers: Array<[string, (i: number) => string]> = [
    ['top level', () => ''],
    ['three spaces in', () => '   '],
    ['bullet item', (i) => (i === 0 ? '- ' : '  ')],
    ['ordered item', (i) => (i === 0 ? '1. ' : '   ')],
    ['wide ordered item', (i) => (i === 0 ? '10.  ' : '     ')],
    ['nested item', (i) => (i === 0 ? '- a\n  - ' : '    ')],
    ['blockquote', () => '> '],
    ['lazy blockquote', (i) => (i === 0 ? '> ' : '>')],
    ['quote in item', (i) => (i === 0 ? '- > ' : '  > ')],
    ['item in quote', (i) => (i === 0 ? '> - ' : '>   ')],
  ];
  let checked = 0;
  for (const [name, prefix] of containers) {
    for (const fence of fences) {
      for (const closerExtra of ['', '   ', '    ', '      ']) {
        const lines = fence.map((l, i) => prefix(i) + (i === fence.length - 1 && /^[`~]{3,}$/.test(l) ? closerExtra : '') + l);
        // After it: text that would be code if the fence ran on (a reference title, a later fence).
        const note = [
          '# c',
          '',
          ...lines,
          '',
          "[r]: /u '",
          'print("HIDDEN")',
          '```',
          "'",
          '',
          '```python',
          'print("later")',
          '```',
          '',
        ].join('\n');
        checked += assertRunsWhatIsShown(note, 'c.md', `${name}, ${JSON.stringify(fence)}, closer +${closerExtra.length}`);
      }
    }
  }
  assert.ok(checked > 200, `${checked} snippets checked`);
});

test('an expected output fence belongs to the snippet right before it, in the same container', () => {
  const note = ['- ```python', '  print(4)', '  ```', '  ```output', '  4', '  ```', '', '```output', 'stray', '```', ''].join('\n');
  const [s] = findSnippets(note, 'o.md');
  assert.deepEqual(s.expected, { text: '4', fenceLine: 3, endLine: 5 });
  assert.equal(findSnippets(['```python', 'x', '```', '', 'text', '', '```output', 'y', '```'].join('\n'), 'p.md')[0].expected, undefined);
});

test('every example and corpus note: the snippets are exactly the page’s runnable code blocks', () => {
  const files: string[] = [];
  const walk = (dir: string) => {
    for (const name of readdirSync(dir)) {
      const p = join(dir, name);
      if (statSync(p).isDirectory()) walk(p);
      else if (name.endsWith('.md')) files.push(p);
    }
  };
  walk(join(root, 'examples'));
  const corpus = sharedPath('corpus');
  if (existsSync(corpus)) walk(corpus);
  let snippets = 0;
  let withCode = 0;
  for (const f of files) {
    const text = readFileSync(f, 'utf8');
    // Rendering costs; a note with no fence of a runnable language has nothing to compare.
    if (!/(`{3,}|~{3,})[ \t]*(python|py|js|javascript)/i.test(text)) continue;
    withCode++;
    snippets += assertRunsWhatIsShown(text, f, f);
  }
  assert.ok(withCode > 10 && snippets > 10, `${withCode} of ${files.length} notes, ${snippets} snippets`);
});

test('bidirectional controls in code are shown, not obeyed: the page says ⟦U+202E⟧ where the snippet has it', () => {
  const code = 'access = "user\u202e \u2066# admin\u2069 \u2066"';
  const note = ['# b', '', '```python', code, '```', '', 'Inline `x\u202ey`.', ''].join('\n');
  const html = renderNote(note, 'b.md').html;
  assert.ok(html.includes('user⟦U+202E⟧ ⟦U+2066⟧# admin⟦U+2069⟧ ⟦U+2066⟧'), html);
  assert.ok(html.includes('<code>x⟦U+202E⟧y</code>'));
  assert.doesNotMatch(html, /[\u202a-\u202e\u2066-\u2069]/);
  assert.equal(findSnippets(note, 'b.md')[0].code, code);
  assertRunsWhatIsShown(note, 'b.md', 'bidi');
});

test('a snippet that runs an attached file says so on the page, in the reader’s language', () => {
  const note = ['# f', '', '```python {file=helpers/topk.py}', 'print("safe")', '```', ''].join('\n');
  assert.match(
    renderNote(note, 'f.md').html,
    /<div class="mn-snippet-file">▶ Run runs the file helpers\/topk\.py, not the text below\.<\/div>\s*<pre><code/,
  );
  assert.match(renderNote(note, 'f.md', { cache: new RenderCache(undefined, 'zh-cn') }).html, /执行的是文件 helpers\/topk\.py/);
  assert.doesNotMatch(renderNote(note.replace(' {file=helpers/topk.py}', ''), 'f.md').html, /mn-snippet-file/);
});
