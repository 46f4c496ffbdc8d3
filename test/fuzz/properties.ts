// Property-based tests (issue #8): notes built from the pieces that trouble parsers — delimiters,
// environments, braces, fences, quotes, front matter, CJK punctuation, control characters, HTML —
// must never make the parser, math preprocessing, renderer, linter or title grammar throw, must be
// handled within a time bound, and must keep their invariants. Shared by `npm test` (a fixed-seed
// sample) and `npm run fuzz` (100 000 cases).
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { lintedFormulas, lintNote } from '../../src/core/lint/lintNote';
import { renderKatex, RenderCache } from '../../src/core/math/katexRenderer';
import { parseNote } from '../../src/core/note/parseNote';
import { markdownEngine } from '../../src/core/markdown/engine';
import { splitBlocks } from '../../src/core/render/blocks';
import { renderNote } from '../../src/core/render/renderNote';
import { noteEquations } from '../../src/core/editor/noteEquations';
import { normalizeTitle, parseSeriesTitle } from '../../src/core/series/titleGrammar';
import { blockLeaks, htmlProblems } from '../support/htmlProblems';
import { errorTexts, visibleText } from '../support/render';
import { snippetsNotAsShown } from '../support/snippetsShown';
import { readFrontMatter } from '../../src/core/note/frontMatter';

/** How long one case may take (a 2-core machine under test load). */
export const CASE_BOUND_MS = 2000;

const PIECES = [
  '$',
  '$$',
  '\\(',
  '\\)',
  '\\[',
  '\\]',
  '\\begin{equation}',
  '\\end{equation}',
  '\\begin{align}',
  '\\end{align}',
  '\\begin{aligned}',
  '\\end{aligned}',
  '\\begin{cases}',
  '\\label{a}',
  '\\label{b}',
  '\\eqref{a}',
  '\\ref{b}',
  '\\tag{1}',
  '\\nonumber',
  '{',
  '}',
  '\\frac',
  '\\sqrt',
  '\\left(',
  '\\right)',
  '\\left\\\\{',
  '\\\\',
  '\\\\\\',
  '&',
  '^',
  '_',
  '\\text{中文}',
  '\\newcommand{\\x}{y}',
  '\\def\\a{\\a}',
  '\\x',
  '\\href{javascript:x}{y}',
  '\\style{position:fixed}{x}',
  '\n',
  '\n\n',
  '```',
  '```python {file=../x}\n',
  '~~~',
  '`',
  '# ',
  '## ',
  '> ',
  '- ',
  '1. ',
  '| a | b |',
  '| --- | --- |',
  '《',
  '》',
  '（一）',
  '(二)',
  '本系列的(三)',
  '第7篇',
  '：',
  '，',
  '。',
  'x',
  'y',
  '1',
  ' ',
  '  ',
  '\t',
  '中文',
  '---\n',
  'title: t\n',
  '%',
  '\\',
  '\r\n',
  '\r',
  '\u0000',
  '\ufeff',
  '\u3000',
  '<script>x</script>',
  '<img src=x onerror=y>',
  '[a](javascript:b)',
  '![i](../../etc/passwd)',
  'By 作者 | 2024-01-01 | 3位读者 | 引用',
  '点击阅读全文...',
  '\\setCounter{5}',
  '\\bbox[red]{x}',
  '\\require{cancel}',
  '*',
  '_x_',
  // Amplifiers (issue #16): macros that double, arguments used many times, bookkeeping names, lengths.
  '\\def\\b{\\a\\a}',
  '\\def\\c{\\b\\b\\b\\b}',
  '\\newcommand{\\d}[1]{#1#1#1#1}',
  '\\d{',
  '\\c',
  '\\def\\df@tag#1{#1#1}',
  '\\df@tag{',
  '\\tag{1}',
  '\\kern-999em',
  '\\raisebox{-99em}{x}',
  '\\htmlClass{mn-back}{x}',
  'tags: [[[[',
  '   ```python\n',
  '      ```\n',
  '```python\n>>> 1\n',
  // Raw HTML (rendered through rawHtml.ts): elements left open or closed out of turn, anchors, comments, list items and cells out of place.
  '<div>',
  '</div>',
  '<span style="color:red">',
  '</span>',
  '<center>',
  '</center>',
  '<details>',
  '<summary>',
  '</details>',
  '<li>',
  '<td>',
  '<ul>',
  '</ul>',
  '<table><tr>',
  '<br>',
  '<sup>',
  '</sup>',
  '<a id="x">',
  '</a>',
  '[a](#x)',
  '<!--',
  '-->',
  '<pre>',
  '</pre>',
  '<p>',
  '</p>',
];

/** A note: a sequence of troublesome pieces and arbitrary text. */
export const noteText = fc
  .array(fc.oneof({ weight: 5, arbitrary: fc.constantFrom(...PIECES) }, { weight: 1, arbitrary: fc.string({ maxLength: 12 }) }), {
    maxLength: 200,
    size: 'max',
  })
  .map((parts) => parts.join(''));

export const fileName = fc.constantFrom('note.md', 'listing.txt');

/** TeX that KaTeX must render: built only from valid constructions. */
export const validFormula: fc.Arbitrary<string> = fc.letrec((tie) => ({
  f: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.constantFrom('x', 'y', '1', '\\alpha', '\\beta', '\\infty', '\\cdot', '\\sum_{i=1}^n', '\\int_0^1'),
    fc.tuple(tie('f'), tie('f')).map(([a, b]) => `${a} + ${b}`),
    fc.tuple(tie('f'), tie('f')).map(([a, b]) => `\\frac{${a}}{${b}}`),
    fc.tuple(tie('f'), tie('f')).map(([a, b]) => `{${a}}^{${b}}`),
    tie('f').map((a) => `\\sqrt{${a}}`),
    tie('f').map((a) => `\\left(${a}\\right)`),
    tie('f').map((a) => `\\boldsymbol{${a}}`),
    tie('f').map((a) => `\\text{文}${a}`),
  ),
})).f as fc.Arbitrary<string>;

/** Lines of fences in containers: prefixes that open or continue list items and quotes, indents, fence markers. */
const containerNote = fc
  .array(
    fc.tuple(
      fc.array(fc.constantFrom('- ', '* ', '1. ', '10.  ', '> ', '>', '  ', '   ', '    ', '      ', '\t', ' '), { maxLength: 3 }),
      fc.constantFrom(
        '```python',
        '```py {timeout=1}',
        '~~~js',
        '```&#112;ython',
        '```\u3000js',
        '``` p\\y',
        '````python',
        '```',
        '~~~',
        '````',
        '```output',
        'print(1)',
        '>>> 1 + 1',
        '2',
        '',
        "[r]: /u '",
        "'",
        'text',
        '$$',
        '\\[',
        '\\]',
        '<div>',
      ),
    ),
    { maxLength: 40 },
  )
  .map((lines) => lines.map(([prefix, rest]) => prefix.join('') + rest).join('\n'));

/** Front matter nested in any of YAML's ways, possibly deep. */
const nestedFrontMatter = fc
  .array(fc.constantFrom('[', ']', '{', '}', 'a: ', '- ', '? ', ', ', 'x', '\n', '\n  ', '\n    ', '"', "'", '#', '&a ', '*a'), {
    maxLength: 400,
  })
  .chain((pieces) => fc.nat({ max: 3000 }).map((depth) => pieces.join('') + '['.repeat(depth)));

function timed<T>(what: string, fn: () => T): T {
  const t0 = performance.now();
  const out = fn();
  const ms = performance.now() - t0;
  assert.ok(ms < CASE_BOUND_MS, `${what} took ${ms.toFixed(0)} ms`);
  return out;
}

const cache = new RenderCache();
const wholeCache = new RenderCache();

export const PROPERTIES: Array<{ name: string; property: fc.IPropertyWithHooks<never> | fc.IProperty<never> }> = [
  {
    name: 'parseNote: never throws; posts in order inside the note; every body line maps to a source line',
    property: fc.property(noteText, fileName, (text, file) => {
      const note = timed('parseNote', () => parseNote(text, file));
      const lines = text.split(/\r\n|\r|\n/).length;
      let previousEnd = 0;
      for (const p of note.posts) {
        assert.ok(
          p.startLine >= previousEnd && p.startLine <= p.endLine && p.endLine <= lines,
          `post lines ${p.startLine}-${p.endLine} of ${lines}`,
        );
        previousEnd = p.endLine;
        assert.equal(p.bodyLineMap.length, p.body.split('\n').length);
        for (let i = 0; i < p.bodyLineMap.length; i++) {
          assert.ok(p.bodyLineMap[i] >= 0 && p.bodyLineMap[i] < Math.max(lines, 1), 'a body line maps into the note');
          if (i) assert.ok(p.bodyLineMap[i] >= p.bodyLineMap[i - 1], 'in order');
        }
      }
    }) as never,
  },
  {
    name: 'splitBlocks: every body line is in exactly one block, in order, or is blank between blocks',
    property: fc.property(noteText, (text) => {
      const body = text.replace(/\r\n?/g, '\n');
      const lines = body.split('\n');
      const blocks = timed('splitBlocks', () => splitBlocks(markdownEngine('markdown'), body, {}));
      let next = 0;
      for (const b of blocks) {
        assert.ok(b.start >= next, 'blocks do not overlap');
        for (let i = next; i < b.start; i++) assert.match(lines[i], /^[ \t]*$/, 'only blank lines between blocks');
        const n = b.text.split('\n').length;
        assert.equal(lines.slice(b.start, b.start + n).join('\n'), b.text, 'a block is its lines');
        next = b.start + n;
      }
      for (let i = next; i < lines.length; i++) assert.match(lines[i], /^[ \t]*$/, 'only blank lines after the last block');
    }) as never,
  },
  {
    name: 'renderNote: never throws, in bounded time; the HTML has no script, handler, foreign URL, stray CSS or id; every block stays in its place',
    property: fc.property(noteText, fileName, (text, file) => {
      const { html, sections } = timed('renderNote', () => renderNote(text, file, { cache }));
      assert.deepEqual(htmlProblems(html), []);
      assert.deepEqual(blockLeaks(sections), []);
    }) as never,
  },
  {
    name: 'lintNote: never throws; every range and every fix lies inside the document',
    property: fc.property(noteText, fileName, (text, file) => {
      const found = timed('lintNote', () => lintNote(text, file, { cache }));
      for (const d of found) {
        assert.ok(d.start >= 0 && d.start <= d.end && d.end <= text.length, `${d.rule} range ${d.start}-${d.end} of ${text.length}`);
        for (const fix of d.fixes)
          for (const e of fix.edits)
            assert.ok(e.start >= 0 && e.start <= e.end && e.end <= text.length, `${d.rule} fix ${e.start}-${e.end}`);
      }
    }) as never,
  },
  {
    name: 'rendering in blocks equals rendering the body whole: no cut splits a formula, a fence or a list',
    property: fc.property(noteText, fileName, (text, file) => {
      const whole = timed('renderNote (whole)', () => renderNote(text, file, { cache: wholeCache, incremental: false }).html);
      assert.equal(
        timed('renderNote (blocks)', () => renderNote(text, file, { cache }).html),
        whole,
      );
    }) as never,
  },
  {
    name: 'lint agrees with the page: each unclosed-math is an opener the page shows as text',
    property: fc.property(noteText, fileName, (text, file) => {
      const shown = visibleText(renderNote(text, file, { cache }).html);
      for (const d of lintNote(text, file, { cache }).filter((x) => x.rule === 'unclosed-math' && x.fixes.length === 0)) {
        const opener = text.slice(d.start, d.end);
        if (!/^(?:\$\$?|\\[([]|\\begin\s*\{[A-Za-z]+\*?\})$/.test(opener)) continue; // an environment inside a formula
        assert.ok(shown.includes(opener), `${JSON.stringify(opener)} is reported but not on the page`);
      }
    }) as never,
  },
  {
    // Every formula the page typesets is checked; each where the parse found it, except math in raw
    // HTML (its TeX came through the sanitizer: `<details>$a&amp;b$`), which is checked on its line.
    name: 'lint agrees with the page: the formulas lint checks are exactly the formulas the page typesets, each where its TeX is',
    property: fc.property(noteText, fileName, (text, file) => {
      const { html, math } = renderNote(text, file, { cache });
      // A formula that is only `\ref{…}` is typeset as the reference's link.
      const references = math
        .flatMap((m) => m.formulas)
        .filter((f) => !f.display && /^\s*\\(eqref|ref)\s*\{[^{}]*\}\s*$/.test(f.tex.text)).length;
      const onPage = (html.match(/class="(?:mn-math-undefined )?katex"/g) ?? []).length + errorTexts(html).length + references;
      const linted = lintedFormulas(text, file, { cache });
      // An empty formula (`\(\)`) has nothing to check or to place.
      if (!text.includes('<'))
        assert.deepEqual(
          linted.unplaced.filter((tex) => tex.trim()),
          [],
          'every formula on the page is placed in the note',
        );
      assert.equal(linted.placed.length + linted.unplaced.length, onPage, 'the formulas checked are the formulas typeset');
      for (const f of linted.placed) {
        // A formula in a quote or list is placed line by line (its `> ` prefixes between): its first line starts the range.
        const head = f.source.replace(/\r\n?/g, '\n').replace(/^\n+/, '').split('\n')[0];
        const range = text
          .slice(f.start, f.end)
          .replace(/\u0000/g, '\ufffd')
          .replace(/\r\n?/g, '\n')
          .trim();
        assert.ok(
          range.startsWith(head.trim()),
          `the checked range ${JSON.stringify(range)} starts with its formula ${JSON.stringify(head)}`,
        );
      }
    }) as never,
  },
  {
    // One parse: the page's references, lint's and the editor's are the same, each where it is written.
    name: 'lint and the editor agree with the page: each reference the page makes, once, where its text is',
    property: fc.property(noteText, fileName, (text, file) => {
      const { math } = renderNote(text, file, { cache });
      const onPage = math.flatMap((m) => m.references);
      const sites = noteEquations(text, file, { cache }).posts.flatMap((p) => p.references);
      for (const r of sites) {
        assert.match(text.slice(r.commandStart, r.commandEnd), /^\\(?:eq)?ref\s*\{[^{}]*\}$/, JSON.stringify(r));
        assert.equal(text.slice(r.start, r.end), r.name);
      }
      // Math in raw HTML came through the sanitizer: its TeX (and references) may not be in the note as written.
      if (!text.includes('<')) assert.equal(sites.length, onPage.length, 'the editor finds each reference the page makes');
      const unresolved = new Set(onPage.filter((r) => !r.resolved).map((r) => r.label));
      const linted = lintNote(text, file, { cache, rules: ['undefined-ref'] }).map((d) => [d.start, d.end]);
      assert.deepEqual(
        linted,
        sites.filter((r) => unresolved.has(r.name)).map((r) => [r.start, r.end]),
        'undefined-ref reports the unresolved references the editor finds',
      );
    }) as never,
  },
  {
    name: 'a valid formula renders without a KaTeX error, inline and displayed, and lints without errors',
    property: fc.property(validFormula, (tex) => {
      for (const display of [false, true]) assert.equal(renderKatex(tex, display, {}).error, undefined, tex);
      const note = `# T\n\n$${tex}$\n\n$$${tex}$$\n`;
      assert.deepEqual(
        lintNote(note, 'n.md', { cache })
          .filter((d) => d.severity === 'error')
          .map((d) => d.message),
        [],
      );
    }) as never,
  },
  {
    name: 'snippets: fences in any container run exactly the code the page shows, and only where it shows a runnable block',
    property: fc.property(containerNote, (text) => {
      assert.deepEqual(
        timed('findSnippets', () => snippetsNotAsShown(text, 'n.md')),
        [],
      );
    }) as never,
  },
  {
    name: 'front matter: any nesting is read or refused with a notice, never overflows the parser',
    property: fc.property(nestedFrontMatter, (yaml) => {
      const fm = timed('readFrontMatter', () => readFrontMatter(['---', 'title: t', ...yaml.split('\n'), '---']));
      assert.ok(fm.lineCount > 0);
      if (fm.warning) assert.equal(typeof fm.meta, 'object');
    }) as never,
  },
  {
    name: 'title grammar: never throws on any title; normalising is idempotent',
    property: fc.property(fc.oneof(noteText, fc.string({ maxLength: 60 })), (title) => {
      timed('parseSeriesTitle', () => parseSeriesTitle(title));
      const once = normalizeTitle(title);
      assert.equal(normalizeTitle(once), once);
    }) as never,
  },
];
