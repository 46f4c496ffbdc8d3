// Source line ↔ scroll position, through the data-line attributes the renderer stamps on blocks:
// between two stamped elements the position is interpolated, so scrolling is smooth, not jumpy.
//
// Positions are measured at the moment they are needed, never cached: blocks far off screen are
// `content-visibility: auto` (media/webview.css) and stand at a 2em placeholder until the browser
// lays them out, so any table of offsets goes stale as the reader scrolls. Only the page's top-level
// blocks are measured (one layout, no skipped subtree opened), then the stamps inside the one block
// that holds the point. After a jump, `settle` re-measures for a few frames and corrects once the
// browser has laid out the region it landed in (which moves everything below the placeholders).

interface LineBox {
  line: number;
  top: number;
  el: Element;
}

/** Where a line sits below the top of the view, in pixels (a little context above it shows). */
const TOP_MARGIN = 8;

/**
 * The source line an element is stamped with (`data-line`, or another stamp), NaN without one.
 * Stamps inside a block count from its first line (the block's `data-base`): an edit above that
 * moves a block changes that one attribute, not its HTML.
 */
export function stampedLine(el: Element, stamp = 'data-line'): number {
  const own = el.getAttribute(stamp);
  if (own === null) return NaN;
  const base = el.closest('.mn-block')?.getAttribute('data-base');
  return Number(own) + (base ? Number(base) : 0);
}

function box(el: Element): LineBox | undefined {
  const line = stampedLine(el);
  if (!Number.isFinite(line)) return undefined;
  const r = el.getBoundingClientRect();
  if (r.height === 0 && r.width === 0) return undefined;
  return { line, top: r.top + window.scrollY, el };
}

/**
 * The page's top-level stamped blocks, measured now, in document order (tops ascending). A
 * placeholder (blocks not rendered yet) also ends at its last line: lines inside it are spread
 * over its height, even when nothing follows it.
 */
function topLevelBoxes(root: HTMLElement): LineBox[] {
  const out: LineBox[] = [];
  for (const el of root.querySelectorAll('.mn-block > [data-line]')) {
    const b = box(el);
    if (!b) continue;
    out.push(b);
    const last = stampedLine(el, 'data-last-line');
    if (el.classList.contains('mn-pending') && last >= b.line)
      out.push({ line: last + 1, top: b.top + el.getBoundingClientRect().height, el });
  }
  return out;
}

/** `outer` and the stamps inside it, measured now, with `next` (the block after it) to end the span. */
function refine(outer: LineBox, next: LineBox | undefined): LineBox[] {
  const out = [outer];
  for (const el of outer.el.querySelectorAll('[data-line]')) {
    const b = box(el);
    // Only stamps that continue the sequence (nested stamps may repeat their parent's line).
    if (b && b.line > out[out.length - 1].line && b.top >= out[out.length - 1].top && (!next || (b.line < next.line && b.top <= next.top)))
      out.push(b);
  }
  if (next) out.push(next);
  return out;
}

/** The last box that is `atOrBefore` the point, and the first one past it. */
function around(boxes: readonly LineBox[], atOrBefore: (b: LineBox) => boolean): [LineBox, LineBox | undefined] {
  let before = boxes[0];
  for (const b of boxes) {
    if (!atOrBefore(b)) return [before, b];
    before = b;
  }
  return [before, undefined];
}

/** The page offset where a source line starts, measured now; undefined on an empty page. */
export function offsetOfLine(root: HTMLElement, line: number): number | undefined {
  const outer = topLevelBoxes(root);
  if (!outer.length) return undefined;
  if (line <= outer[0].line) return 0;
  const [before, after] = around(outer, (b) => b.line <= line);
  const [lo, hi] = around(refine(before, after), (b) => b.line <= line);
  let y = lo.top;
  if (hi && line > lo.line && hi.line > lo.line) y += ((line - lo.line) / (hi.line - lo.line)) * (hi.top - lo.top);
  return y;
}

/** The source line at the top of the view, measured now. */
export function lineAtScrollTop(root: HTMLElement): number | undefined {
  return lineAtOffset(root, window.scrollY + TOP_MARGIN);
}

/** The source line at page offset `y`, measured now. */
export function lineAtOffset(root: HTMLElement, y: number): number | undefined {
  const outer = topLevelBoxes(root);
  if (!outer.length) return undefined;
  const [before, after] = around(outer, (b) => b.top <= y);
  const [lo, hi] = around(refine(before, after), (b) => b.top <= y);
  if (y <= lo.top || !hi || hi.line <= lo.line || hi.top <= lo.top) return lo.line;
  return Math.floor(lo.line + ((y - lo.top) / (hi.top - lo.top)) * (hi.line - lo.line));
}

/** Scrolls so that `line` is at the top; false when the page is already there (or cannot go further). */
function jump(root: HTMLElement, line: number): boolean {
  const y = offsetOfLine(root, line);
  if (y === undefined) return false;
  const max = document.documentElement.scrollHeight - window.innerHeight;
  const want = Math.max(0, Math.min(Math.round(y - TOP_MARGIN), max));
  if (Math.abs(window.scrollY - want) < 2) return false;
  window.scrollTo({ top: want, behavior: 'instant' as ScrollBehavior });
  return true;
}

let settling: { line: number; frame: number } | undefined;
/** How long a jump keeps correcting itself, and after how many quiet frames it stops. */
const SETTLE_MS = 1500;
const QUIET_FRAMES = 6;

/** Stops correcting the last jump (the reader took over, or the page is replaced). */
export function stopSettling(): void {
  if (settling) cancelAnimationFrame(settling.frame);
  settling = undefined;
}

/**
 * Scrolls `line` to the top, then for a few frames measures again and corrects: the jump itself
 * makes the browser lay out the blocks it lands among, which changes their heights.
 */
export function scrollToLine(root: HTMLElement, line: number): void {
  stopSettling();
  jump(root, line);
  const started = performance.now();
  let quiet = 0;
  const state = { line, frame: 0 };
  const step = () => {
    if (settling !== state) return;
    quiet = jump(root, line) ? 0 : quiet + 1;
    if (quiet >= QUIET_FRAMES || performance.now() - started > SETTLE_MS) settling = undefined;
    else state.frame = requestAnimationFrame(step);
  };
  settling = state;
  state.frame = requestAnimationFrame(step);
}
