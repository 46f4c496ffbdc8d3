// Fenced code is highlighted (highlight.js, the languages notes use), escaped as text when the
// language is unknown or the block is over a bound, and the worst block within its bound costs
// what SECURITY.md says.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { RenderCache } from '../../src/core/math/katexRenderer';
import { MAX_HIGHLIGHT_BLOCK, MAX_HIGHLIGHT_LINE, highlightCode } from '../../src/core/markdown/codeHighlight';
import { renderNote } from '../../src/core/render/renderNote';

const render = (text: string) => renderNote(text, 'code.md', { cache: new RenderCache() }).html;
const codeOf = (html: string) => /<pre><code[^>]*>([\s\S]*?)<\/code><\/pre>/.exec(html)?.[1] ?? '';
const fence = (lang: string, code: string) => `# t\n\n\`\`\`${lang}\n${code}\n\`\`\`\n`;

test('fences in the common languages are highlighted with hljs classes; the text is unchanged', () => {
  const samples: Record<string, string> = {
    python: 'def f(x):\n    return "s"  # c',
    'python {timeout=3}': 'import math\nprint(math.pi)',
    js: 'const x = 1; // c',
    typescript: 'let n: number = 2;',
    bash: 'echo "$HOME" # c',
    shell: 'for f in *; do echo $f; done',
    json: '{"a": [1, true, null]}',
    c: '#include <stdio.h>\nint main(void) { return 0; }',
    cpp: 'template <class T> T id(T x) { return x; }',
    rust: 'fn main() { let v: Vec<u8> = vec![]; }',
    go: 'func main() { fmt.Println("hi") }',
    latex: '\\begin{equation} x^2 \\end{equation} % c',
    matlab: 'A = zeros(3); % c',
    julia: 'function f(x) return 2x end',
    sql: 'SELECT a FROM t WHERE b = 1;',
  };
  for (const [info, code] of Object.entries(samples)) {
    const html = codeOf(render(fence(info, code)));
    assert.match(html, /<span class="hljs-/, `${info} is highlighted`);
    const text = html
      .replace(/<[^>]+>/g, '')
      .replace(/&lt;/g, '<')
      .replace(/&gt;/g, '>')
      .replace(/&quot;/g, '"')
      .replace(/&#x27;|&#39;/g, "'")
      .replace(/&amp;/g, '&');
    assert.equal(text, `${code}\n`, `${info}: the text shown is the text written`);
  }
});

test('code stays text: markup in it is escaped, highlighted or not', () => {
  for (const lang of ['python', 'javascript', 'nolang', '']) {
    const html = codeOf(render(fence(lang, 's = "</code></pre><img src=x onerror=alert(1)>"  # <script>')));
    assert.doesNotMatch(html, /<img|<script|<\/pre/);
    assert.match(html, /&lt;img/);
  }
});

test('an unknown language, a block over the bound and a line over the bound are escaped text, not highlighted', () => {
  assert.doesNotMatch(codeOf(render(fence('brainfudge', 'def f(): return 1'))), /hljs/);
  const long = 'x = 1\n'.repeat(Math.ceil(MAX_HIGHLIGHT_BLOCK / 6) + 1);
  assert.doesNotMatch(codeOf(render(fence('python', long))), /hljs/);
  assert.match(codeOf(render(fence('python', long.slice(0, MAX_HIGHLIGHT_BLOCK - 10)))), /hljs/);
  const wide = `x = "${'a'.repeat(MAX_HIGHLIGHT_LINE)}"\ny = 2`;
  assert.doesNotMatch(codeOf(render(fence('python', wide))), /hljs/);
  assert.equal(highlightCode('x = 1', 'PYTHON') !== '', true, 'language names are case-insensitive');
});

test('the worst block within the bounds highlights in bounded time (SECURITY.md)', () => {
  // Measured: a block of 299-character identifiers in C++ is the slowest of 15 characters × 13
  // languages (the identifier rule is quadratic in a word's length); 0.23 s alone, ~1 s under load.
  const line = 'a'.repeat(MAX_HIGHLIGHT_LINE - 1);
  let block = '';
  while (block.length + line.length + 1 <= MAX_HIGHLIGHT_BLOCK) block += `${line}\n`;
  for (const lang of ['cpp', 'matlab']) {
    const code = lang === 'matlab' ? block.replace(/a/g, ' ') : block;
    const t0 = performance.now();
    assert.notEqual(highlightCode(code, lang), '');
    const ms = performance.now() - t0;
    console.log(`      ${lang}, ${code.length} characters: ${ms.toFixed(0)} ms (bound 5000 ms)`);
    assert.ok(ms < 5_000);
  }
});
