// Formula images for hovers (issue #19): MathJax's SVG drawing of the TeX the preview renders, sized
// to the editor font, in the caller's colour, errors as values, bounded like the preview.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { formulaSvg, MAX_DRAWN_LENGTH, MAX_PARSED_CHARS, type FormulaSvg, type FormulaSvgOptions } from '../../src/core/math/formulaSvg';
import { MAX_FORMULA_LENGTH } from '../../src/core/math/formulaBounds';
import { RenderCache } from '../../src/core/math/katexRenderer';
import { renderNote } from '../../src/core/render/renderNote';

/** The image's SVG markup, or a failure naming MathJax's error. */
function draw(tex: string, opts: Partial<FormulaSvgOptions> = {}): { svg: string; widthPx: number; heightPx: number } {
  const r = formulaSvg(tex, { display: false, ...opts });
  assert.ok(!('error' in r), `drawn: ${'error' in r ? r.error : ''}`);
  const m = /^data:image\/svg\+xml;base64,([A-Za-z0-9+/]+=*)$/.exec(r.dataUri);
  assert.ok(m, 'a base64 SVG data URI');
  return { svg: Buffer.from(m[1], 'base64').toString('utf8'), widthPx: r.widthPx, heightPx: r.heightPx };
}

const errorOf = (r: FormulaSvg) => ('error' in r ? r.error : undefined);

/** The glyph ids an SVG uses (`TEX-N-33` is the digit 3 of the normal font). */
const glyphs = (svg: string) => [...svg.matchAll(/xlink:href="#MJX-\d+-TEX-([A-Z]+-[0-9A-F]+)"/g)].map((m) => m[1]);

/** The TeX the preview hands KaTeX for each formula of a note, with its macros. */
function prepared(markdown: string) {
  return renderNote(markdown, 'note.md', { cache: new RenderCache() }).math.flatMap((m) => m.formulas);
}

test('a formula is drawn as glyph paths, sized to the font: one em is fontSizePx', () => {
  // (At 16 px and more: below, MathJax keeps scripts at 8 px at least, as a browser's MathJax does.)
  const small = draw('x^2+\\frac{a}{b}', { fontSizePx: 16 });
  const large = draw('x^2+\\frac{a}{b}', { fontSizePx: 32 });
  assert.match(small.svg, /^<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg"/);
  assert.match(small.svg, /<path id="MJX-\d+-TEX-I-1D465" d="M\d/, 'the x glyph as a path');
  assert.ok(glyphs(small.svg).includes('N-2B'), 'the + sign is used');
  assert.match(small.svg, new RegExp(`width="${small.widthPx}" height="${small.heightPx}"`));
  // Five symbols and a fraction: about three em wide, more than one em tall (the fraction).
  assert.ok(large.widthPx > 2 * 32 && large.widthPx < 5 * 32, `width ${large.widthPx}`);
  assert.ok(large.heightPx > 32 && large.heightPx < 2.5 * 32, `height ${large.heightPx}`);
  assert.ok(Math.abs(large.widthPx / small.widthPx - 2) < 0.01 && Math.abs(large.heightPx / small.heightPx - 2) < 0.01);
});

test("the preview's equation number is drawn: the TeX after numbering carries \\tag{n}", () => {
  const [first, second] = prepared('$$\\begin{equation}a=b\\label{eq:a}\\end{equation}$$\n\n$$\\begin{equation}E=mc^2\\end{equation}$$\n');
  assert.match(second.tex.text, /\\tag\{2\}/);
  const { svg, widthPx } = draw(second.tex.text, { display: true, fontSizePx: 16 });
  const labels = /<svg data-labels="true"[\s\S]*<\/svg>/.exec(svg)?.[0] ?? '';
  assert.deepEqual(glyphs(labels), ['N-28', 'N-32', 'N-29'], '(2) in the label column');
  assert.ok(widthPx > 5 * 16 && widthPx < 20 * 16, `the image is as wide as the equation and its tag, not its container: ${widthPx}`);
  assert.match(svg, /viewBox="0 0 /);
  assert.deepEqual(glyphs(/<svg data-labels="true"[\s\S]*<\/svg>/.exec(draw(first.tex.text, { display: true }).svg)![0]), [
    'N-28',
    'N-31',
    'N-29',
  ]);
  // A caller may also pass a number of its own.
  assert.ok(glyphs(draw('x\\tag{3}', { display: true }).svg).includes('N-33'));
});

test('a \\tag in a row of `aligned` (which KaTeX numbers the whole by) is drawn, not refused', () => {
  const { svg } = draw('\\begin{equation*}\\begin{aligned}a&=b \\tag{6}\\\\c&=d\\end{aligned}\\end{equation*}', { display: true });
  assert.deepEqual(glyphs(/<svg data-labels="true"[\s\S]*<\/svg>/.exec(svg)?.[0] ?? ''), ['N-28', 'N-36', 'N-29']);
});

test("the note's macros apply, presets included; MathJax's own commands replace KaTeX stand-ins", () => {
  const f = prepared('$\\newcommand{\\R}{\\mathbb{R}}\\newcommand{\\pair}[2]{(#1,#2)}x$ and $\\pair{a}{b}\\in\\R \\tr A$\n')[1];
  const { svg } = draw(f.tex.text, { macros: f.macros });
  const used = glyphs(svg);
  assert.ok(used.includes('D-211D'), 'ℝ from \\R');
  assert.ok(used.includes('N-2C') && used.includes('N-28'), '(a,b) from \\pair');
  assert.doesNotMatch(svg, /fill="red"/, 'nothing undefined');
  // Without the note's macros the same TeX shows \R in red, as MathJax's noundefined does.
  assert.match(draw(f.tex.text).svg, /fill="red"/);
  // \iiiint is drawn by MathJax (one glyph sequence), not by the preset's kerned integrals.
  assert.equal(errorOf(formulaSvg('\\iiiint f', { display: false, macros: f.macros })), undefined);
  // Macros do not leak from one drawing to the next.
  assert.match(draw('\\pair{a}{b}').svg, /fill="red"/);
});

test('\\style, \\color and \\unicode as the preview rewrote them', () => {
  const [f] = prepared('$\\style{color:blue}{x} \\color{red}{y} z \\unicode{x2124}$\n');
  const { svg } = draw(f.tex.text, { macros: f.macros });
  assert.match(svg, /style="color: blue;?"/);
  // \color{red}{y} colours y only (MathJax 2 and the preview): z is not inside the red group.
  const red = /<g fill="red" stroke="red"[^>]*>(?:<g[^>]*>)*<use xlink:href="#MJX-\d+-TEX-I-([0-9A-F]+)"><\/use>(?:<\/g>)*/.exec(svg);
  assert.equal(red?.[1], '1D466', 'y is red');
  assert.match(
    svg.slice(red!.index + red![0].length),
    /^<g[^>]*><use xlink:href="#MJX-\d+-TEX-I-1D467"/,
    'z follows, outside the red group',
  );
  assert.ok(glyphs(svg).includes('N-2124'), 'ℤ from \\unicode');
  // \bbox became the allowlist's CSS: MathJax draws its background, padding and border.
  const [boxed] = prepared('$\\bbox[yellow,5px,border:1px solid red]{x}$\n');
  const box = draw(boxed.tex.text, { macros: boxed.macros }).svg;
  assert.match(box, /<rect fill="yellow"/);
  assert.equal(box.match(/<polygon [^>]*fill="red"/g)?.length, 4, 'four border sides');
});

test("an operator takes its form from its place in the row (MathJax's rule, without its n² count)", () => {
  const offsets = (tex: string) => [...draw(tex).svg.matchAll(/translate\(([\d.]+),0\)/g)].map((m) => Number(m[1]));
  assert.deepEqual(offsets('-x'), [778], 'a leading minus is a prefix: no space after its 778 units');
  assert.deepEqual(offsets('a-x'), [751.2, 1751.4], 'between two terms, infix: spaced');
  assert.deepEqual(offsets('x!'), [572], 'a trailing ! is a postfix: no space');
  // A row of 2 000 operators keeps the rule at both ends and in between.
  const row = offsets('-' + 'x+'.repeat(2000) + 'x!');
  assert.equal(row[0], 778);
  assert.equal(row[2] - row[1], 1000.2, 'infix + inside the long row');
});

test("broken TeX is an error value with MathJax's message; an undefined command is drawn in red", () => {
  assert.equal(errorOf(formulaSvg('\\frac{', { display: false })), 'Missing close brace');
  assert.match(errorOf(formulaSvg('\\begin{nosuch}x\\end{nosuch}', { display: true }))!, /Unknown environment 'nosuch'/);
  const { svg } = draw('a + \\nosuchcommand + b');
  assert.match(svg, /<g fill="red" stroke="red"[^>]*><use xlink:href="#MJX-\d+-TEX-N-5C">/, 'a red backslash and the name');
});

test('hostile TeX: recursion and expansion blow-ups are errors, quickly', () => {
  const started = performance.now();
  assert.match(errorOf(formulaSvg('\\def\\a{\\a\\a}\\a', { display: false }))!, /maximum macro substitution count exceeded/);
  assert.match(errorOf(formulaSvg('\\a', { display: false, macros: { '\\a': '\\a\\a' } }))!, /maximum macro substitution count exceeded/);
  // Few expansions, each large: MathJax's own bounds let 100 × 5 000 characters through.
  const big = { '\\b': 'x'.repeat(5000) };
  assert.match(
    errorOf(formulaSvg('\\b'.repeat(100), { display: false, macros: big }))!,
    new RegExp(`longer than ${MAX_PARSED_CHARS} characters`),
  );
  assert.equal(errorOf(formulaSvg('\\b', { display: false, macros: big })), undefined, 'within the bound');
  // The formula's own length counts too: a long formula leaves its macros less.
  const own = 'x+'.repeat(1500);
  assert.equal(errorOf(formulaSvg(own + '\\b', { display: false, macros: big })), undefined);
  assert.match(errorOf(formulaSvg(own + own + '\\b', { display: false, macros: big }))!, /longer than/);
  // Doubling arguments nest exponentially.
  const doubling = { '\\d': '{#1#1}' };
  assert.ok(errorOf(formulaSvg('\\d{'.repeat(20) + 'x' + '}'.repeat(20), { display: false, macros: doubling })));
  console.log(`      hostile formulas refused in ${(performance.now() - started).toFixed(0)} ms`);
  assert.ok(MAX_DRAWN_LENGTH <= MAX_FORMULA_LENGTH, 'never more than the preview renders');
  const long = 'x'.repeat(MAX_DRAWN_LENGTH + 1);
  assert.match(errorOf(formulaSvg(long, { display: false }))!, /Formula too long/);
  assert.match(errorOf(formulaSvg(long, { display: false, locale: 'zh-cn' }))!, /公式太长/);
});

test("the colour is the caller's, on the image itself (an image cannot inherit the editor's)", () => {
  const { svg } = draw('x', { color: '#abcdef' });
  assert.match(svg, /^<svg [^>]*color="#abcdef"/);
  assert.match(svg, /fill="currentColor"/);
  for (const color of ['rgb(10, 20, 30)', 'white'])
    assert.match(draw('x', { color }).svg, new RegExp(`color="${color.replace(/[()]/g, '\\$&')}"`));
  // Anything else is left out rather than written into the markup.
  assert.doesNotMatch(draw('x', { color: 'red" onload="alert(1)' }).svg, /onload|color="/);
});
