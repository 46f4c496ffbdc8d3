// A long note's first render: the reader's screen only, placeholders for the rest, and a second
// render that fills them in to exactly the page a whole render gives.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { RenderCache } from '../../src/core/math/katexRenderer';
import { createRenderHandler, type RenderResponse } from '../../src/core/preview/renderRequests';
import type { PageUpdate } from '../../src/core/preview/protocol';
import { FIRST_SCREEN_MIN_CHARS, firstScreen, firstScreenPrefix, LAZY_MIN_CHARS } from '../../src/core/render/firstScreen';
import { renderNote } from '../../src/core/render/renderNote';

/** A note of `sections` sections, each a paragraph and a numbered, labelled equation; the last cites the first. */
function longNote(sections: number): string {
  const parts = ['# 长笔记', ''];
  for (let i = 1; i <= sections; i++) {
    parts.push(`## 第${i}节`, '', `这一段说明第${i}个式子，与式$\\eqref{eq:${sections}}$相关，$a_${i}+b_${i}$。`.repeat(3), '');
    parts.push('\\begin{equation}', `x_{${i}} = \\sum_{k=1}^{${i}} k^2 \\label{eq:${i}}`, '\\end{equation}', '');
  }
  parts.push('由$\\eqref{eq:1}$可知。');
  return parts.join('\n');
}

const placeholders = (html: string) =>
  [...html.matchAll(/<div class="mn-pending" data-line="(\d+)" data-last-line="(\d+)"/g)].map((m) => [Number(m[1]), Number(m[2])]);

test("firstScreen: the lines around the reader's line, bounded by characters and lines", () => {
  const lines = Array.from({ length: 2000 }, (_, i) => `line ${i} `.padEnd(100, 'x'));
  const text = lines.join('\n');
  const w = firstScreen(text, 1000);
  assert.ok(w.from < 1000 && w.from >= 1000 - 60, `from ${w.from}`);
  assert.ok(w.to > 1030 && w.to <= 1000 + 400, `to ${w.to}`);
  // About 2 KB above and 4 KB below: a screen of context, more than a screen ahead.
  assert.equal(1000 - w.from, 20);
  assert.equal(w.to - 1000, 40);
  // At the start and past the end.
  assert.deepEqual(firstScreen(text, 0).from, 0);
  const end = firstScreen(text, 5000);
  assert.equal(end.to, 2000);
  assert.ok(end.from < 1999);
  // Short lines: the line bounds hold.
  const short = firstScreen('a\n'.repeat(5000), 2500);
  assert.deepEqual(short, { from: 2440, to: 2900 });
});

test('a window renders its blocks only; one placeholder per run of the others, stamped with its lines', () => {
  const text = longNote(60);
  const lineCount = text.split('\n').length;
  const whole = renderNote(text, 'n.md', { cache: new RenderCache() });
  const part = renderNote(text, 'n.md', { cache: new RenderCache(), window: { from: 200, to: 260 } });
  assert.equal(whole.pending, 0);
  assert.ok(part.pending > 100, `${part.pending} blocks left`);
  const runs = placeholders(part.html);
  assert.equal(runs.length, 2, 'one run before the window, one after');
  assert.ok(runs[0][1] < 200 && runs[1][0] >= 200, JSON.stringify(runs));
  assert.ok(runs[1][1] >= lineCount - 3, 'the last run reaches the end of the note');
  // What the window shows is what the whole render shows: numbers and references of the whole note.
  const shown = part.sections[0].blocks.filter((b) => !b.includes('mn-pending'));
  for (const b of shown) assert.ok(whole.sections[0].blocks.includes(b), b.slice(0, 120));
  assert.ok(
    shown.some((b) => b.includes('KaTeX') || b.includes('katex')),
    'formulas in the window',
  );
  assert.match(shown.join(''), /\(60\)/, "the window's references give the last equation's number");
});

test('the render after the first screen gives exactly the whole page', () => {
  const text = longNote(60);
  const cache = new RenderCache();
  renderNote(text, 'n.md', { cache, window: { from: 300, to: 330 } });
  const rest = renderNote(text, 'n.md', { cache });
  assert.equal(rest.pending, 0);
  assert.equal(rest.html, renderNote(text, 'n.md', { cache: new RenderCache() }).html);
});

/** The render worker's answers to a page request, the page parsed. */
function pageOf(
  handle: ReturnType<typeof createRenderHandler>,
  responses: RenderResponse[],
  request: Parameters<ReturnType<typeof createRenderHandler>>[0],
) {
  responses.length = 0;
  handle(request);
  const chunks: Record<string, string> = {};
  for (const r of responses) if ('chunk' in r) Object.assign(chunks, JSON.parse(r.chunk) as Record<string, string>);
  const done = responses.find((r) => !('chunk' in r) && r.ok && 'pageJson' in r) as Extract<RenderResponse, { pageJson: string }>;
  const page = JSON.parse(done.pageJson) as PageUpdate;
  for (const s of page.sections) for (const b of s.blocks) b.html ??= chunks[b.key];
  return { page, stats: done.stats };
}

test("the render worker: a long new page starts at the reader's screen, and the next render sends only the rest", () => {
  const text = longNote(200);
  assert.ok(text.length > FIRST_SCREEN_MIN_CHARS);
  const responses: RenderResponse[] = [];
  const handle = createRenderHandler((r) => responses.push(r));
  const first = pageOf(handle, responses, {
    id: 1,
    channel: 'p',
    text,
    fileName: 'n.md',
    macros: {},
    reset: true,
    view: { line: 600, lastLine: 600 },
  });
  assert.ok(first.stats.pending > 0);
  const firstBlocks = first.page.sections.flatMap((s) => s.blocks);
  const pendingKeys = firstBlocks.filter((b) => b.html?.includes('mn-pending')).map((b) => b.key);
  assert.equal(pendingKeys.length, 2);
  const rest = pageOf(handle, responses, { id: 2, channel: 'p', text, fileName: 'n.md', macros: {}, reset: false });
  assert.equal(rest.stats.pending, 0);
  const restBlocks = rest.page.sections.flatMap((s) => s.blocks);
  // The first screen's blocks travel as keys only; the placeholders are gone.
  const shownKeys = new Set(firstBlocks.filter((b) => !pendingKeys.includes(b.key)).map((b) => b.key));
  for (const b of restBlocks) {
    assert.ok(!pendingKeys.includes(b.key));
    assert.equal(b.html === undefined, shownKeys.has(b.key), b.key);
  }
  assert.equal(rest.page.changedBlocks, restBlocks.length - shownKeys.size);
  // A short note, and an edit (not a new page), render whole.
  const short = pageOf(handle, responses, {
    id: 3,
    channel: 'q',
    text: longNote(5),
    fileName: 'm.md',
    macros: {},
    reset: true,
    view: { line: 0, lastLine: 0 },
  });
  assert.equal(short.stats.pending, 0);
  const edit = pageOf(handle, responses, { id: 4, channel: 'p', text: text + '\n\n又一段。', fileName: 'n.md', macros: {}, reset: false });
  assert.equal(edit.stats.pending, 0);
  assert.ok(edit.page.changedBlocks <= 2, `${edit.page.changedBlocks} blocks sent for an edit`);
});

test("a note rendered before: a new page still carries the reader's screen first, its cached blocks after", () => {
  const text = longNote(150);
  const responses: RenderResponse[] = [];
  const handle = createRenderHandler((r) => responses.push(r));
  const base = { fileName: 'cached.md', macros: {}, text };
  const whole = pageOf(handle, responses, { ...base, id: 1, channel: 'a', reset: true });
  assert.equal(whole.stats.pending, 0);
  // Another page of the same note: every block is cached, yet only the window travels.
  const first = pageOf(handle, responses, { ...base, id: 2, channel: 'b', reset: true, view: { line: 300, lastLine: 300 } });
  assert.equal(first.stats.renderedBlocks, 0);
  assert.ok(first.stats.pending > 0);
  assert.ok(
    first.page.changedBlocks * 5 < whole.page.changedBlocks,
    `${first.page.changedBlocks} of ${whole.page.changedBlocks} blocks in the first update`,
  );
  const rest = pageOf(handle, responses, { ...base, id: 3, channel: 'b', reset: false });
  assert.equal(rest.stats.pending, 0);
  assert.equal(rest.page.changedBlocks + first.page.changedBlocks - 2, whole.page.changedBlocks);
});

test("a long note's new page comes from its first part, the whole note's render after it makes the whole page", () => {
  // Each section cites the last equation: a reference forward, out of the first part's reach.
  const text = longNote(1600);
  assert.ok(text.length > 200_000);
  assert.equal(firstScreenPrefix(longNote(20), firstScreen(longNote(20), 0)), undefined, 'a short note renders from all of it');
  const prefix = firstScreenPrefix(text, firstScreen(text, 0))!;
  assert.ok(prefix.length < text.length / 10 && prefix.endsWith('\n') && text.slice(prefix.length - 1).startsWith('\n\n'));
  const responses: RenderResponse[] = [];
  const handle = createRenderHandler((r) => responses.push(r));
  const base = { channel: 'prefix', fileName: 'p.md', macros: {}, text };
  const first = pageOf(handle, responses, { ...base, id: 1, reset: true, view: { line: 0, lastLine: 0 } });
  assert.equal(first.stats.partial, true);
  const shown = (page: PageUpdate) => page.sections.flatMap((s) => s.blocks.map((b) => b.html ?? '')).join('');
  // The forward reference waits for the whole note, shown as pending: not the red (??) of a label
  // that does not exist (the first part cannot know that it does not).
  assert.match(shown(first.page), /<a class="mn-eqref mn-eqref-pending" data-label="eq:1600" aria-busy="true">\(…\)<\/a>/);
  assert.doesNotMatch(shown(first.page), /mn-eqref-undefined|\(\?\?\)/);
  // The whole note's render (the panel asks for it at once): the references resolve, and the page
  // the two updates make is the page a whole render makes.
  const rest = pageOf(handle, responses, { ...base, id: 2, reset: false });
  assert.equal(rest.stats.partial, undefined);
  assert.equal(rest.stats.pending, 0);
  assert.ok(
    first.stats.formulas * 10 < rest.stats.formulas,
    `${first.stats.formulas} of ${rest.stats.formulas} formulas in the first part`,
  );
  const held = new Map<string, string>();
  for (const s of first.page.sections) for (const b of s.blocks) if (b.html !== undefined) held.set(b.key, b.html);
  const page = rest.page.sections.flatMap((s) => s.blocks.map((b) => b.html ?? held.get(b.key)!));
  assert.doesNotMatch(page.join(''), /mn-eqref-undefined|mn-eqref-pending/);
  const whole = renderNote(text, 'p.md', { cache: new RenderCache() });
  assert.equal(page.length, whole.sections.flatMap((s) => s.blocks).filter((b) => b !== '').length);
  // Another page of the same text (a reload, a second preview): rendered from all of it, which the
  // worker holds (a first part's render would let the whole note's blocks go, and the next render
  // make them all again).
  const again = pageOf(handle, responses, { ...base, channel: 'reload', id: 3, reset: true, view: { line: 0, lastLine: 0 } });
  assert.equal(again.stats.partial, undefined);
  assert.equal(again.stats.renderedBlocks, 0);
  // CRLF line ends: the first part ends at a blank line all the same.
  const crlf = text.replace(/\n/g, '\r\n');
  const cut = firstScreenPrefix(crlf, firstScreen(crlf, 0))!;
  assert.ok(cut.length < crlf.length / 10 && cut.endsWith('\r\n') && crlf.slice(cut.length).startsWith('\r\n'));
});

test("a first screen's reference to a label the note never defines is pending, then (??) when the whole note is read", () => {
  // In prose and inside a formula, each beside one that resolves further on.
  const text = longNote(1600).replace(
    '# 长笔记\n',
    '# 长笔记\n\n见\\eqref{nowhere}与\\eqref{eq:1600}，$$y = \\eqref{nowhere} + \\eqref{eq:1600}$$\n',
  );
  const responses: RenderResponse[] = [];
  const handle = createRenderHandler((r) => responses.push(r));
  const base = { channel: 'never', fileName: 'never.md', macros: {}, text };
  const first = pageOf(handle, responses, { ...base, id: 1, reset: true, view: { line: 0, lastLine: 0 } });
  assert.equal(first.stats.partial, true);
  const lead = (page: PageUpdate) => page.sections.flatMap((s) => s.blocks).find((b) => b.html?.includes('nowhere'))?.html ?? '';
  const before = lead(first.page);
  assert.equal(before.match(/mn-eqref-pending/g)?.length, 2, 'the two prose references');
  assert.equal(before.match(/class="enclosing mnf-eqref-pending"/g)?.length, 2, 'the two in the formula');
  assert.doesNotMatch(before, /\(\?\?\)|eqref-undefined/);
  // The whole note: the block is made again (its pending HTML is not reused), one reference now
  // leads to its equation, the other is (??).
  const rest = pageOf(handle, responses, { ...base, id: 2, reset: false });
  const after = lead(rest.page);
  assert.ok(after, 'the block was sent again');
  assert.doesNotMatch(after, /pending/);
  assert.equal(after.match(/class="mn-eqref mn-eqref-undefined" data-label="nowhere"/g)?.length, 1);
  assert.equal(after.match(/class="enclosing mnf-eqref-undefined"/g)?.length, 1);
  assert.match(after, /<a class="mn-eqref" href="#mn-p0-l-eq.3a.1600" data-label="eq:1600">\(1600\)<\/a>/);
});

test('a window that meets a block showing nothing reaches past it, whether that block is cached or not', () => {
  // A long comment where the reader is: the screen must show what comes after it.
  const lines = longNote(60).split('\n');
  const at = lines.findIndex((l) => l.startsWith('## 第20节'));
  lines.splice(at, 0, '<!-- 草稿', ...Array.from({ length: 120 }, (_, k) => `draft ${k} ${'x'.repeat(50)}`), '-->', '');
  const text = lines.join('\n');
  const responses: RenderResponse[] = [];
  const handle = createRenderHandler((r) => responses.push(r));
  const view = { line: at, lastLine: at };
  const base = { fileName: 'blank.md', macros: {}, text, reset: true, view };
  const firstAfter = (page: PageUpdate) =>
    page.sections.flatMap((s) => s.blocks).find((b) => b.line !== undefined && b.line > at + 120)?.html ?? '';
  // The preview's render ahead (nothing cached), then the page's own request (all of it cached).
  for (const [id, channel] of [
    [1, 'ahead'],
    [2, 'page'],
  ] as const) {
    const { page } = pageOf(handle, responses, { ...base, id, channel });
    assert.match(firstAfter(page), /第20节/, channel);
  }
});

test('a very long note renders only around the reader, as they scroll and as they type', () => {
  let text = longNote(200);
  while (text.length < LAZY_MIN_CHARS) text += '\n\n' + longNote(200).replace(/eq:/g, `eq${text.length}:`);
  const lines = text.split('\n').length;
  const responses: RenderResponse[] = [];
  const handle = createRenderHandler((r) => responses.push(r));
  const base = { channel: 'lazy', fileName: 'n.md', macros: {} };
  const rendered = (page: PageUpdate) => page.sections.flatMap((s) => s.blocks).filter((b) => !b.html?.includes('mn-pending'));
  const first = pageOf(handle, responses, { ...base, id: 1, text, reset: true, view: { line: 100, lastLine: 100 } });
  assert.ok(first.stats.pending > 0);
  // Not whole after the first screen: the next render (the reader scrolled to the middle) renders
  // that stretch, and keeps what the page holds.
  const middle = Math.round(lines / 2);
  const scrolled = pageOf(handle, responses, { ...base, id: 2, text, reset: false, view: { line: middle, lastLine: middle + 50 } });
  // The first screen came from the note's first part; this render reads the whole note.
  assert.equal(first.stats.partial, true);
  assert.ok(scrolled.stats.pending > 0 && scrolled.stats.partial === undefined);
  const fresh = rendered(scrolled.page).filter((b) => b.html !== undefined);
  assert.ok(fresh.length > 0 && fresh.length < 200, `${fresh.length} blocks rendered for the middle`);
  // (A block whose reference the first part could not resolve is made again when next in view.)
  for (const b of rendered(first.page).filter((x) => !x.html?.includes('mn-eqref-pending')))
    assert.ok(
      scrolled.page.sections.some((s) => s.blocks.some((x) => x.key === b.key && x.html === undefined)),
      'the first screen stays, by key',
    );
  // Typing in the middle renders the edited block, not the note.
  const at = text.indexOf('\n\n', text.length / 2);
  const typed = pageOf(handle, responses, {
    ...base,
    id: 3,
    text: text.slice(0, at) + '又' + text.slice(at),
    reset: false,
    view: { line: middle, lastLine: middle + 50 },
  });
  assert.ok(typed.page.changedBlocks <= 3, `${typed.page.changedBlocks} blocks sent for a keystroke`);
  assert.ok(typed.stats.pending > 0);
});

test("a window above the first post's body (a long front matter) renders where the page starts", () => {
  // One line of 12 000 characters: the window's characters run out inside it.
  const frontMatter = ['---', `title: ${'长'.repeat(12_000)}`, '---', ''].join('\n');
  const text = frontMatter + longNote(40);
  const out = renderNote(text, 'n.md', { cache: new RenderCache(), window: firstScreen(text, 0) });
  const shown = out.sections.flatMap((s) => s.blocks).filter((b) => !b.includes('mn-pending'));
  assert.ok(
    shown.some((b) => b.includes('katex')),
    'formulas of the body on the first page',
  );
  assert.ok(out.pending > 0);
});

test("the screen's bottom is found counting on from its top: the same as counted from the start", () => {
  const text = Array.from({ length: 3000 }, (_, i) => (i % 7 ? `line ${i} ${'字'.repeat(i % 50)}` : '')).join('\n');
  for (const [line, lastLine] of [
    [0, 1],
    [10, 2999],
    [1500, 1540],
    [2990, 3500],
    [100, 100],
  ]) {
    assert.equal(firstScreen(text, line, lastLine).to, firstScreen(text, lastLine, lastLine).to, `${line}–${lastLine}`);
    assert.equal(firstScreen(text, line, lastLine).from, firstScreen(text, line, line).from, `${line}–${lastLine}`);
  }
});
