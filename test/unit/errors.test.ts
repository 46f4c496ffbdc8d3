import assert from 'node:assert/strict';
import { test } from 'node:test';
import { errorTexts, render, visibleText } from '../support/render';

test("a broken formula shows its source with KaTeX's message; the rest renders", () => {
  const out = render(
    '前文$\\frac{1}{$后文$x^2$\n\n\\begin{equation}\\undefinedthing\\end{equation}\n\n\\begin{equation}\\begin{nosuchenv}x\\end{nosuchenv}\\end{equation}\n\n尾',
  );
  const p = out.posts[0];
  assert.equal(p.errors.length, 3, 'an undefined command is still an error of the note');
  assert.match(out.html, /<span class="katex-error" title="[^"]*expected[^"]*">\\frac\{1\}\{<\/span>/);
  // An undefined command renders in red inside its formula (test/unit/tolerance.test.ts); an
  // undefined environment refuses the formula, as MathJax does.
  assert.match(out.html, /title="Undefined control sequence \(shown in red\): \\undefinedthing" class="mn-math-undefined katex-display"/);
  assert.match(out.html, /<div class="katex-error" title="No such environment: nosuchenv"/);
  assert.deepEqual(errorTexts(out.html).length, 2);
  assert.match(visibleText(out.html), /前文[\s\S]*后文[\s\S]*尾/);
  assert.equal(p.errors[1].line, 3);
});

test('a display inside a paragraph that fails shows its error box as a span: a div would end the paragraph early', () => {
  const out = render('前 $$\\frac{1}{$$ 后\n');
  assert.match(
    out.html,
    /<p data-line="0">前 <span class="mn-display mn-display-inline mn-math-error"[^>]*><span class="katex-error mn-error-display" title="[^"]*">\\frac\{1\}\{<\/span><\/span> 后<\/p>/,
  );
});

test('the renderer never throws, whatever the input', () => {
  const pieces = [
    '$',
    '$$',
    '\\(',
    '\\)',
    '\\[',
    '\\]',
    '\\begin{align}',
    '\\end{align}',
    '\\begin{equation}',
    '{',
    '}',
    '\\\\',
    '&',
    '\\label{a}',
    '\\eqref{a}',
    '\\tag{',
    '\\newcommand',
    '\\def\\x{\\x}',
    '\n',
    '\n\n',
    '> ',
    '- ',
    '# ',
    '```',
    'x',
    '中文',
    '\\left(',
    '%',
    '#',
    '^',
    '_',
  ];
  let seed = 42;
  const rand = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
  for (let i = 0; i < 400; i++) {
    let s = '';
    const n = 1 + Math.floor(rand() * 30);
    for (let k = 0; k < n; k++) s += pieces[Math.floor(rand() * pieces.length)];
    assert.doesNotThrow(() => render(s), s);
    assert.doesNotThrow(() => render(s, 'n.txt'), s);
  }
});

test('huge and pathological sizes are bounded', () => {
  const out = render('$\\rule{1e6em}{1e6em}$');
  const lengths = [...out.html.matchAll(/style="[^"]*"/g)].flatMap((m) => [...m[0].matchAll(/([\d.]+)em/g)].map((x) => Number(x[1])));
  assert.ok(Math.max(...lengths) <= 60, `largest length ${Math.max(...lengths)}em`);
  const many = '$'.repeat(1) + ' a'.repeat(10) + '\n' + 'x$y '.repeat(20000);
  const t0 = Date.now();
  render(many);
  assert.ok(Date.now() - t0 < 5000);
});

test('hostile shapes stay linear: unclosed environments, brackets, braces, text groups', () => {
  const cases: Array<[string, string]> = [
    ['\\begin{equation}\n'.repeat(10000), 'n.md'],
    ['a \\begin{equation} '.repeat(10000), 'n.md'],
    ['a \\[ x '.repeat(10000), 'n.txt'],
    ['$' + '{'.repeat(20000) + 'x$', 'n.md'],
    ['$' + '\\text{'.repeat(40000) + '%$', 'n.md'],
    ['$\\bbox[' + 'x'.repeat(20000) + '$', 'n.md'],
    ['$$' + '\\newcommand{'.repeat(5000) + '$$', 'n.md'],
  ];
  for (const [text, name] of cases) {
    const t0 = Date.now();
    render(text, name);
    assert.ok(Date.now() - t0 < 4000, `${JSON.stringify(text.slice(0, 30))}… took ${Date.now() - t0} ms`);
  }
});

test('an error in a table cell reports its own line', () => {
  const out = render('前文\n\n| a | b |\n| - | - |\n| x | $\\frac{1}{$ |\n');
  assert.equal(out.posts[0].errors[0].line, 5);
});
