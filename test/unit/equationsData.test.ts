// The editor's equation analysis crosses from the render worker to the extension host as data
// (core/editor/equationsData.ts): rebuilt on the host, every feature answers as over the original.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { test } from 'node:test';
import { equationCompletions } from '../../src/core/editor/equationCompletion';
import { equationHover } from '../../src/core/editor/equationHover';
import { equationsFromData, equationsToData } from '../../src/core/editor/equationsData';
import { equationSymbols } from '../../src/core/editor/equationSymbols';
import { noteEquations } from '../../src/core/editor/noteEquations';
import { prepareLabelRename, renameLabel } from '../../src/core/editor/renameLabel';
import { createRenderHandler, type RenderResponse } from '../../src/core/preview/renderRequests';
import { blockCounters } from '../../src/core/render/blocks';

const EXAMPLES = resolve(process.cwd(), 'examples');
// A post in a quote and a list (formulas placed line by line), a prose \eqref, a macro, two posts.
const OWN =
  '# 一\n\n> $$\\begin{aligned}a&=b\\label{eq:q}\\\\\n> c&=\\R\\end{aligned}$$\n\n- \\begin{equation}x\\label{eq:l}\\end{equation}\n  由\\eqref{eq:l}与\\eqref{eq:q}。\n';

/** Every offset's answers, as one string per feature. */
function answers(eq: ReturnType<typeof noteEquations>, text: string): string[] {
  const out: string[] = [JSON.stringify(equationSymbols(eq))];
  for (let o = 0; o <= text.length; o++) {
    // A completion item carries its label site: compared by where it is, not by every field the page's formula has.
    const completions = JSON.stringify(equationCompletions(eq, o), (k, v: unknown) =>
      k === 'label' && v && typeof v === 'object' ? `${(v as { start: number }).start}` : v,
    );
    out.push(
      JSON.stringify([
        o,
        equationHover(eq, o, { drawFormula: (f) => `![](${f.tex}|${f.display})` }),
        completions,
        prepareLabelRename(eq, o),
        renameLabel(eq, o, 'eq:new'),
      ]),
    );
  }
  return out;
}

test('equations rebuilt from their data (after a structured clone, as a worker sends them) answer every offset as the original', () => {
  const notes: Array<[string, string]> = [
    ['own.md', OWN],
    ...readdirSync(EXAMPLES)
      .filter((f) => /\.(md|txt)$/.test(f))
      .map((f): [string, string] => [f, readFileSync(join(EXAMPLES, f), 'utf8')]),
  ];
  let compared = 0;
  for (const [name, text] of notes) {
    const eq = noteEquations(text, name);
    const rebuilt = equationsFromData(structuredClone(equationsToData(eq)), text);
    assert.deepEqual(answers(rebuilt, text), answers(eq, text), name);
    compared += eq.posts.reduce((n, p) => n + p.formulas.length, 0);
  }
  assert.ok(compared > 30, `${compared} formulas compared`);
});

test('the render worker answers an equations request with that data', () => {
  const responses: RenderResponse[] = [];
  createRenderHandler((r) => responses.push(r))({
    id: 7,
    channel: 'equations:x',
    text: OWN,
    fileName: 'own.md',
    macros: { '\\R': '\\mathbb{R}' },
    reset: false,
    mode: 'equations',
  });
  const r = responses[0];
  assert.ok(r && 'equations' in r, JSON.stringify(r).slice(0, 200));
  const eq = equationsFromData(r.equations, OWN);
  assert.deepEqual(
    equationSymbols(eq).map((s) => s.name),
    equationSymbols(noteEquations(OWN, 'own.md')).map((s) => s.name),
  );
  assert.equal(eq.posts[0].labels.length, 2);
});

test("the worker's equation analysis and its lint of a note share one block cache: each block is parsed once", () => {
  const responses: RenderResponse[] = [];
  const handle = createRenderHandler((r) => responses.push(r));
  // Blocks no other test parses (a block cache is the worker's, whatever the test).
  const text = Array.from(
    { length: 40 },
    (_, i) => `## 节 ${i} 共享\n\n$$\\begin{equation}y_{${i}} = 7^{${i}}\\label{eq:s${i}}\\end{equation}$$\n\n由\\eqref{eq:s${i}}。`,
  ).join('\n\n');
  const ask = (id: number, mode: 'equations' | 'lint', note: string) => {
    handle({ id, channel: `${mode}:shared`, text: note, fileName: '/shared.md', macros: {}, reset: false, mode });
    const r = responses.at(-1)!;
    assert.ok('ok' in r && r.ok, JSON.stringify(r).slice(0, 200));
    return r;
  };
  const before = blockCounters.parsed;
  ask(1, 'equations', text);
  const parsed = blockCounters.parsed - before;
  assert.ok(parsed >= 80, `${parsed} blocks parsed for the analysis`);
  const lint = ask(2, 'lint', text);
  assert.equal(blockCounters.parsed - before, parsed, "lint took every block from the analysis' parse");
  assert.ok('diagnostics' in lint);
  // An edit: the changed block is parsed once, by whichever asks first.
  const edited = text.replace('7^{20}', '7^{20} + 1');
  ask(3, 'lint', edited);
  ask(4, 'equations', edited);
  assert.equal(blockCounters.parsed - before, parsed + 1);
});

test('the render worker draws a formula for a hover when its host gives it the drawer, and says so when not', async () => {
  const svg = await import('../../src/core/math/formulaSvg');
  const responses: RenderResponse[] = [];
  const handle = createRenderHandler(
    (r) => responses.push(r),
    async () => svg,
  );
  handle({
    id: 1,
    channel: 'draw:x',
    text: '',
    fileName: '',
    macros: {},
    reset: false,
    mode: 'draw',
    draw: { tex: 'x^2\\tag{3}', display: true, color: '#cccccc' },
  });
  for (let i = 0; i < 100 && !responses.length; i++) await new Promise((r) => setTimeout(r, 20));
  const r = responses[0];
  assert.ok(r && 'drawn' in r && 'dataUri' in r.drawn, JSON.stringify(r).slice(0, 200));
  assert.ok(r.drawn.widthPx > 20);
  // Too wide to read in a hover: its size said, not a 0.9 MB sliver sent to the host.
  handle({
    id: 3,
    channel: 'draw:y',
    text: '',
    fileName: '',
    macros: {},
    reset: false,
    mode: 'draw',
    draw: { tex: `${'x+'.repeat(1000)}x`, display: true },
    locale: 'zh-cn',
  });
  for (let i = 0; i < 200 && responses.length < 2; i++) await new Promise((r) => setTimeout(r, 20));
  const wide = responses[1];
  assert.ok(wide && 'drawn' in wide && 'error' in wide.drawn);
  assert.match(wide.drawn.error, /太大，无法在悬停提示中绘制（按编辑器字号为 \d+ × \d+ 像素）/);
  const none: RenderResponse[] = [];
  createRenderHandler((x) => none.push(x))({
    id: 2,
    channel: 'draw:x',
    text: '',
    fileName: '',
    macros: {},
    reset: false,
    mode: 'draw',
    draw: { tex: 'x', display: false },
  });
  assert.deepEqual(none, [{ id: 2, ok: false, message: 'no formula drawer here' }]);
});

test('the render worker applies changed settings macros at once, and unchanged ones as the same table', () => {
  const responses: RenderResponse[] = [];
  const handle = createRenderHandler((r) => responses.push(r));
  const render = (macros: Record<string, string>) => {
    handle({ id: responses.length, channel: 'macros:x', text: 'Set $\\R$.\n', fileName: 'macros.md', macros, reset: true, mode: 'html' });
    const r = responses.at(-1) as { ok: boolean; html?: string };
    assert.ok(r.ok);
    return r.html!;
  };
  const bold = render({ '\\R': '\\mathbf{R}' });
  assert.equal(render({ '\\R': '\\mathbf{R}' }), bold, 'the same settings, a new object: the same page');
  const blackboard = render({ '\\R': '\\mathbb{R}' });
  assert.notEqual(blackboard, bold, 'changed settings change the page');
  assert.match(blackboard, /mathbb/);
});
