// The preview page's script: applies keyed page updates from the host (reusing the DOM of blocks
// that did not change), keeps the reading position, syncs scrolling with the editor, and turns
// clicks into messages for the host: the page itself never navigates.

import type {
  BlockUpdate,
  FromWebview,
  PageUpdate,
  PreviewLabel,
  PreviewSettings,
  ToWebview,
  WebviewState,
} from '../core/preview/protocol';
import { installEquationTools } from './equations';
import { lineAtOffset, lineAtScrollTop, scrollToLine, stampedLine, stopSettling } from './scrollSync';
import { installSeries } from './series';
import { installSnippets } from './snippets';
import type { SeriesPageInfo } from '../core/series/pageSeries';

interface VsCodeApi {
  postMessage(message: FromWebview): void;
  getState(): WebviewState | undefined;
  setState(state: WebviewState): void;
}
declare function acquireVsCodeApi(): VsCodeApi;

/** When this script began to run (the open bench reads it beside the frame's start and the ready message). */
const scriptAt = Date.now();
const vscode = acquireVsCodeApi();
const root = document.getElementById('mn-root') as HTMLElement;
const status = document.getElementById('mn-status') as HTMLElement;
const post = (m: FromWebview) => vscode.postMessage(m);

let state: WebviewState = vscode.getState() ?? { source: '', line: 0, locked: false };
let settings: PreviewSettings | undefined;
/** The words the page shows (the host sends them once, on load). */
let labels: Partial<Record<PreviewLabel, string>> = {};
const blocks = new Map<string, HTMLElement>();
const sections = new Map<string, { el: HTMLElement; body: HTMLElement }>();
/**
 * Only the reader's own scrolling of the page moves the editor: the wheel, keys, the scrollbar, touch.
 * Programmatic scrolls (the editor's lead, the settle loop, a patch keeping its anchor, an equation
 * jump) and layout shifts (blocks laid out as they come into view) never do. Until then, scroll
 * events are the reader's.
 */
let lastReaderInput = -Infinity;
/** The reader's input started a scroll whose end (`scrollend`) has not come yet. */
let readerScrollOpen = false;
/** The scrollbar is held (a drag sends no wheel or key events). */
let draggingScrollbar = false;
/** How long after a wheel turn or key press its scrolling (smooth, animated) is still the reader's. */
const READER_SCROLL_MS = 500;
/** A smooth scroll that ends this long after its input is still the reader's (its `scrollend`). */
const READER_SCROLL_END_MS = 1500;
/** The last editor scroll the page followed, echoed in `revealLine` so the host can drop stale ones. */
let editorSeq = 0;
/** A fresh page is being built: its scroll events are the build's, never the reader's. */
let building = false;
/** The extension runs its tests: after each update the page counts what it shows for them. */
let countForTests = false;

const equations = installEquationTools(root, {
  label: (k) => labels[k] ?? k,
  copyTex: (tex) => post({ type: 'copyTex', tex }),
});
const series = installSeries(root, {
  label: (k, ...args) => (labels[k] ?? k).replace(/\{(\d)\}/g, (_, i: string) => String(args[Number(i)] ?? '')),
  open: (id, generation) => post({ type: 'openTarget', id, generation }),
  show: () => ({ bar: settings?.seriesBar !== false, backlinks: settings?.backlinks !== false }),
  report: (counts) => countForTests && post({ type: 'seriesRendered', ...counts() }),
});
const snippets = installSnippets(root, {
  label: (k) => labels[k] ?? k,
  run: (line) => post({ type: 'runSnippet', line }),
});
/** Snippet results by the note they are for. */
let snippetState: Extract<ToWebview, { type: 'snippets' }> | undefined;
/** Series info by the note it is for: it may arrive before that note's page does. */
let seriesInfo: { source: string; info: SeriesPageInfo } | undefined;

function saveState(patch: Partial<WebviewState>): void {
  state = { ...state, ...patch };
  vscode.setState(state);
}

function setBase(href: string): void {
  let base = document.querySelector('base');
  if (!base) base = document.head.appendChild(document.createElement('base'));
  if (base.getAttribute('href') !== href) base.setAttribute('href', href);
}

function fragment(html: string): DocumentFragment {
  const t = document.createElement('template');
  t.innerHTML = html;
  return t.content;
}

function makeSection(shell: string): { el: HTMLElement; body: HTMLElement } {
  if (!shell) {
    const el = document.createElement('div');
    el.className = 'mn-section';
    return { el, body: el };
  }
  const el = (fragment(shell).firstElementChild as HTMLElement | null) ?? document.createElement('div');
  return { el, body: el.querySelector<HTMLElement>('.mn-post-body') ?? el };
}

/**
 * The first block at or below the top of the view: kept in place across a patch. A block, not any
 * stamped element: a post's `<article>` carries a line too, and spans everything.
 */
function scrollAnchor(): { el: Element; top: number } | undefined {
  for (const el of root.querySelectorAll('.mn-block > [data-line]')) {
    const r = el.getBoundingClientRect();
    if (r.bottom > 0 && r.height > 0) return { el, top: r.top };
  }
  return undefined;
}

const nextFrame = () => new Promise<void>((resolve) => requestAnimationFrame(() => resolve()));
const escapeAttr = (s: string) => s.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;');
/** How much HTML one frame of a fresh page takes: the first screen shows at once, the rest follows. */
const SLICE_CHARS = 400_000;

/**
 * A fresh page (first render, another note, a reload), built in slices: one HTML parse per slice
 * instead of one per block, and a frame between slices so the page shows and scrolls meanwhile.
 */
async function buildPage(page: PageUpdate): Promise<void> {
  root.replaceChildren();
  blocks.clear();
  sections.clear();
  for (const s of page.sections) {
    const sec = makeSection(s.shell ?? '');
    sections.set(s.key, sec);
    root.append(sec.el);
    let i = 0;
    while (i < s.blocks.length) {
      let html = '';
      const start = i;
      for (; i < s.blocks.length && (i === start || html.length < SLICE_CHARS); i++) {
        const b = s.blocks[i];
        html += blockHtml(b);
      }
      const before = sec.body.lastElementChild;
      sec.body.insertAdjacentHTML('beforeend', html);
      for (let el = before ? before.nextElementSibling : sec.body.firstElementChild; el; el = el.nextElementSibling) {
        const block = el as HTMLElement;
        blocks.set(block.dataset.key ?? '', block);
        equations.decorate(block);
      }
      if (i < s.blocks.length) await nextFrame();
    }
  }
}

/** A block's element: its line stamps count from `data-base` (see stampedLine). */
const blockHtml = (b: BlockUpdate) =>
  `<div class="mn-block" data-key="${escapeAttr(b.key)}" data-base="${b.line ?? 0}">${b.html ?? ''}</div>`;

/** A fresh page needs every shell and every block's HTML. */
function complete(page: PageUpdate): boolean {
  return page.sections.every((s) => s.shell !== undefined && s.blocks.every((b) => b.html !== undefined));
}

/** Scrolls back by how far the anchor moved: what the reader sees stays where it was. */
function keepAnchor(anchor: { el: Element; top: number } | undefined): void {
  if (!anchor?.el.isConnected) return;
  const drift = anchor.el.getBoundingClientRect().top - anchor.top;
  if (Math.abs(drift) >= 1) window.scrollBy(0, drift);
}

/**
 * Patches the page to `page`, reusing every block it already holds. New blocks next to each other
 * are parsed as one piece of HTML, and an update with much new HTML (the rest of a long note after
 * its first screen) goes in slices, a frame apart, with the reader's place kept after each.
 */
async function applyUpdate(page: PageUpdate): Promise<boolean> {
  for (const s of page.sections) {
    if (s.shell === undefined && !sections.has(s.key)) return false;
    for (const b of s.blocks) if (b.html === undefined && !blocks.has(b.key)) return false;
  }
  let anchor = scrollAnchor();
  // What the page no longer has goes last: removed first, it would shorten the page above the
  // reader while the rest is still to come, and the view, clamped, would lose its place. Until
  // then it is skipped over, so every kept block is already in place and only new ones go in (no
  // kept element moves, so nothing else is laid out or painted again).
  const liveBlocks = new Set<string>();
  const liveSections = new Set<string>();
  for (const s of page.sections) {
    liveSections.add(s.key);
    for (const b of s.blocks) liveBlocks.add(b.key);
  }
  const dead = new Set<ChildNode>();
  for (const [key, el] of blocks) if (!liveBlocks.has(key)) (dead.add(el), blocks.delete(key));
  for (const [key, sec] of sections) if (!liveSections.has(key)) (dead.add(sec.el), sections.delete(key));
  const alive = (node: ChildNode | null): ChildNode | null => {
    while (node && dead.has(node)) node = node.nextSibling;
    return node;
  };
  let sliceChars = 0;
  let prevSection: Element | null = null;
  for (const s of page.sections) {
    let sec = sections.get(s.key);
    if (!sec) sections.set(s.key, (sec = makeSection(s.shell ?? '')));
    const wantSection = alive(prevSection ? prevSection.nextSibling : root.firstChild);
    if (sec.el !== wantSection) root.insertBefore(sec.el, wantSection);
    prevSection = sec.el;
    const body = sec.body;
    let prev: Element | null = null;
    for (let i = 0; i < s.blocks.length;) {
      const b = s.blocks[i];
      const el = blocks.get(b.key);
      if (el) {
        // Moved by an edit above: its stamps count from its new first line.
        if (b.line !== undefined) el.dataset.base = String(b.line);
        const want = alive(prev ? prev.nextSibling : body.firstChild);
        if (el !== want) body.insertBefore(el, want);
        prev = el;
        i++;
        continue;
      }
      // A run of new blocks: one parse.
      let html = '';
      const runStart = i;
      for (; i < s.blocks.length && !blocks.has(s.blocks[i].key) && (i === runStart || html.length < SLICE_CHARS); i++) {
        html += blockHtml(s.blocks[i]);
      }
      const before: Element | null = prev;
      // New blocks go after `prev`, ahead of any dead ones there.
      if (before) before.insertAdjacentHTML('afterend', html);
      else body.insertAdjacentHTML('afterbegin', html);
      let added = before ? before.nextElementSibling : body.firstElementChild;
      for (let n = runStart; n < i && added; n++, added = added.nextElementSibling) {
        const block = added as HTMLElement;
        blocks.set(block.dataset.key ?? '', block);
        equations.decorate(block);
        prev = block;
      }
      sliceChars += html.length;
      if (sliceChars >= SLICE_CHARS) {
        keepAnchor(anchor);
        await nextFrame();
        anchor = scrollAnchor();
        sliceChars = 0;
      }
    }
  }
  // A reader on a placeholder that its blocks replace stays on the line they were at (its place
  // in the placeholder was only an estimate): the block there comes to the top.
  const placeholderLine =
    anchor?.el.classList.contains('mn-pending') && dead.has(anchor.el.parentElement as ChildNode) ? lineAtScrollTop(root) : undefined;
  for (const node of dead) node.remove();
  if (placeholderLine !== undefined) scrollToLine(root, placeholderLine);
  else keepAnchor(anchor);
  return true;
}

/**
 * Placeholders (blocks not rendered yet) near the view: the host is told which lines the reader
 * sees, a screen each way, and a very long note renders them (a shorter one is on its way whole).
 */
const nearPlaceholders = new Set<Element>();
const placeholderWatch = new IntersectionObserver(
  (entries) => {
    for (const e of entries) {
      if (e.isIntersecting) nearPlaceholders.add(e.target);
      else nearPlaceholders.delete(e.target);
    }
    if (nearPlaceholders.size) askForView();
  },
  { rootMargin: '100% 0px' },
);

/** Watches the page's placeholders (after each build or patch: they come and go with it). */
function watchPlaceholders(): void {
  placeholderWatch.disconnect();
  nearPlaceholders.clear();
  for (const el of root.querySelectorAll('.mn-pending')) placeholderWatch.observe(el);
}

let viewFrame = 0;
let lastView = '';
function askForView(): void {
  if (viewFrame) return;
  viewFrame = requestAnimationFrame(() => {
    viewFrame = 0;
    const line = lineAtOffset(root, Math.max(0, window.scrollY - window.innerHeight));
    const lastLine = lineAtOffset(root, window.scrollY + 2 * window.innerHeight);
    if (line === undefined || lastLine === undefined) return;
    const view = `${line}-${lastLine}`;
    if (view === lastView) return;
    lastView = view;
    post({ type: 'viewport', line, lastLine });
  });
}

function showStatus(message: string | undefined, kind: 'busy' | 'error' = 'busy'): void {
  status.hidden = !message;
  status.textContent = message ?? '';
  status.className = `mn-status mn-status-${kind}`;
}

function applySettings(s: PreviewSettings): void {
  settings = s;
  const style = document.documentElement.style;
  style.setProperty('--mn-font-size', `${s.fontSize}px`);
  style.setProperty('--mn-line-height', String(s.lineHeight));
  style.setProperty('--mn-max-width', s.maxWidth);
  series.apply();
  snippets.apply();
}

window.addEventListener('message', (event: MessageEvent<ToWebview>) => {
  const m = event.data;
  switch (m.type) {
    case 'settings':
      applySettings(m.settings);
      break;
    case 'labels':
      labels = m.labels;
      equations.relabel();
      series.apply();
      snippets.apply();
      break;
    case 'snippets':
      snippetState = m;
      updates = updates.then(() => {
        if (snippetState?.source === state.source) snippets.set(snippetState);
      });
      break;
    case 'series':
      seriesInfo = { source: m.source, info: m.info };
      // After the page it belongs to (updates are applied in order, asynchronously).
      updates = updates.then(() => {
        if (seriesInfo?.source === state.source) series.set(seriesInfo.info);
      });
      break;
    case 'busy':
      showStatus(m.message);
      break;
    case 'renderFailed':
      showStatus(m.message, 'error');
      break;
    case 'countForTests':
      countForTests = true;
      break;
    case 'scrollToLine':
      editorSeq = m.seq;
      // The reader is scrolling the page: they lead (this is most likely the echo of their own scroll).
      if (settings?.scrollPreviewWithEditor === false) break;
      if (readerScrolling()) {
        // Say where the reader is again, under the new seq: what went before it is now stale.
        followReader(true);
        break;
      }
      programmaticScroll();
      scrollToLine(root, m.line);
      saveState({ line: m.line });
      break;
    case 'blocks': {
      const chunk = arrivingHtml.get(m.version) ?? new Map<string, string>();
      for (const [key, html] of Object.entries(JSON.parse(m.html) as Record<string, string>)) chunk.set(key, html);
      arrivingHtml.set(m.version, chunk);
      break;
    }
    case 'update':
      // In order: an update builds on the blocks the previous one left.
      updates = updates.then(() => applyMessage(m)).catch((e: Error) => post({ type: 'reportError', message: e.message }));
      break;
  }
});

let updates = Promise.resolve();
/** Block HTML sent ahead of the update (by version) that uses it. */
const arrivingHtml = new Map<number, Map<string, string>>();

/** Where the time of recent updates went (read by the latency bench). */
const timings: Array<Record<string, number | undefined>> = [];
(window as unknown as { __mnTimings: typeof timings }).__mnTimings = timings;

async function applyMessage(m: Extract<ToWebview, { type: 'update' }>): Promise<void> {
  const t0 = performance.now();
  const receivedAt = Date.now();
  const reset = m.reset || m.source !== state.source;
  const page = JSON.parse(m.page) as PageUpdate;
  const chunk = arrivingHtml.get(m.version);
  let chars = m.page.length;
  for (const html of chunk?.values() ?? []) chars += html.length;
  if (chunk)
    for (const s of page.sections) for (const b of s.blocks) if (b.html === undefined && chunk.has(b.key)) b.html = chunk.get(b.key);
  for (const v of arrivingHtml.keys()) if (v <= m.version) arrivingHtml.delete(v);
  setBase(m.baseHref);
  if (reset && !complete(page)) {
    post({ type: 'missingBlocks' });
    return;
  }
  if (reset) {
    stopSettling();
    building = true;
    try {
      await buildPage(page);
    } finally {
      building = false;
    }
  } else if (!(await applyUpdate(page))) {
    post({ type: 'missingBlocks' });
    return;
  }
  showStatus(undefined);
  // The same view is never asked for twice (its render may leave a placeholder near it: asking
  // again would render it again, and again); a new page starts afresh.
  if (reset) lastView = '';
  watchPlaceholders();
  saveState({ source: m.source, locked: m.locked, ...(m.line !== undefined ? { line: m.line } : {}) });
  // New blocks carry bare citation marks; another note's info does not fit this page.
  series.set(seriesInfo?.source === m.source ? seriesInfo.info : undefined);
  snippets.set(snippetState?.source === m.source ? snippetState : undefined);
  if (reset && m.line !== undefined) {
    programmaticScroll();
    scrollToLine(root, m.line);
  }
  timings.push({
    version: m.version,
    ...m.timing,
    worker: m.stats.milliseconds,
    workerOnCpu: m.stats.onCpu,
    workerWaited: m.stats.waited,
    receivedAt,
    appliedAt: Date.now(),
    chars,
  });
  if (timings.length > 50) timings.shift();
  if (countForTests) reportCounts(m, t0);
}

/** What the page shows after an update, for the tests, once it has painted with the fonts it asked for. */
function reportCounts(m: Extract<ToWebview, { type: 'update' }>, t0: number): void {
  const milliseconds = Math.round(performance.now() - t0);
  setTimeout(
    () =>
      void document.fonts.ready.then(() =>
        post({
          type: 'rendered',
          version: m.version,
          formulas: root.querySelectorAll('.katex').length,
          // Refused formulas, and those drawn with undefined commands in red: both errors of the note.
          katexErrors: root.querySelectorAll('.katex-error, .mn-math-undefined').length,
          displays: root.querySelectorAll('.mn-display').length,
          blocks: blocks.size,
          milliseconds,
          warnings: [...root.querySelectorAll('.mn-warning')].map((w) => w.textContent ?? ''),
          pending: m.stats.pending,
        }),
      ),
  );
}

function readerScrolling(): boolean {
  return draggingScrollbar || performance.now() - lastReaderInput < READER_SCROLL_MS;
}

function readerInput(): void {
  lastReaderInput = performance.now();
  readerScrollOpen = true;
  stopSettling(); // the reader takes over from the editor's lead
}

const SCROLL_KEYS = new Set(['ArrowUp', 'ArrowDown', 'PageUp', 'PageDown', 'Home', 'End', ' ']);
window.addEventListener('wheel', readerInput, { passive: true });
window.addEventListener('touchmove', readerInput, { passive: true });
window.addEventListener('keydown', (e) => {
  if (SCROLL_KEYS.has(e.key)) readerInput();
});
window.addEventListener('pointerdown', (e) => {
  // Past the client area: on the page's scrollbar.
  const html = document.documentElement;
  if (e.clientX >= html.clientWidth || e.clientY >= html.clientHeight) {
    draggingScrollbar = true;
    readerInput();
  }
});
const releaseScrollbar = () => {
  if (!draggingScrollbar) return;
  draggingScrollbar = false;
  readerInput(); // the last scroll of the drag is still the reader's
};
window.addEventListener('pointerup', releaseScrollbar);
window.addEventListener('pointermove', (e) => {
  if (e.buttons === 0) releaseScrollbar(); // a pointerup the scrollbar swallowed
});

let scrollFrame = 0;
/** A scroll the page makes itself: what scrolling the reader did before it is over. */
function programmaticScroll(): void {
  lastReaderInput = -Infinity;
  readerScrollOpen = false;
}

/** The next report goes even if the line is unchanged. */
let resend = false;

/**
 * Tells the host the line at the top, once per frame, while the reader scrolls. `again`: at the end
 * of a scroll, or when a new `seq` came in, the line goes even if unchanged — the host may have
 * dropped the last one as stale (an editor scroll crossed it), and this one carries the newest seq.
 */
function followReader(again = false): void {
  if (building || !(again || readerScrolling())) return;
  if (again) resend = true;
  if (scrollFrame) return;
  scrollFrame = requestAnimationFrame(() => {
    scrollFrame = 0;
    const line = lineAtScrollTop(root);
    const force = resend;
    resend = false;
    if (line === undefined || (line === state.line && !force)) return;
    saveState({ line });
    if (settings?.scrollEditorWithPreview !== false) post({ type: 'revealLine', line, seq: editorSeq });
  });
}
window.addEventListener(
  'scroll',
  () => {
    // A scroll past the reader's window is someone else's: its end is not the reader's.
    if (!readerScrolling()) readerScrollOpen = false;
    followReader();
    // Inside a long placeholder (a scrollbar drag, a jump) no new one comes into view: ask again.
    if (nearPlaceholders.size) askForView();
  },
  { passive: true },
);
// A smooth scroll may end after its input's window: its last position still counts.
window.addEventListener('scrollend', () => {
  // Only the end of the reader's scroll: not that of a later one (a script's, Ctrl+F's).
  if (readerScrollOpen && performance.now() - lastReaderInput < READER_SCROLL_END_MS) followReader(true);
  readerScrollOpen = false; // the next input opens the next one
});

document.addEventListener('dblclick', (e) => {
  if (settings?.doubleClickToSwitchToEditor === false) return;
  const el = (e.target as Element | null)?.closest?.('[data-line]');
  if (!el) return;
  window.getSelection()?.removeAllRanges(); // the double-click selected a word: not what was meant
  post({ type: 'openLine', line: stampedLine(el) });
});

// Every link click is ours: in-page anchors scroll, everything else is the host's decision.
document.addEventListener(
  'click',
  (e) => {
    const a = (e.target as Element | null)?.closest?.('a');
    if (!a) return;
    // VS Code's webview host opens http(s)/mailto/vscode links itself unless the click stops here.
    e.preventDefault();
    e.stopPropagation();
    const href = a.getAttribute('href');
    if (!href) return;
    if (href.startsWith('#')) {
      stopSettling(); // the reader's jump, not the editor's lead
      programmaticScroll();
      equations.jumpTo(decodeURIComponent(href.slice(1)));
    } else post({ type: 'openLink', href });
  },
  true,
);

window.addEventListener('error', (e) => post({ type: 'reportError', message: e.message }));

post({ type: 'ready' });
(window as unknown as { __mnPageTimes: Record<string, number> }).__mnPageTimes = {
  frameAt: Math.round(performance.timeOrigin),
  scriptAt,
  readyAt: Date.now(),
};
