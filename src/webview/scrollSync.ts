// Source line ↔ scroll position, through the data-line attributes the renderer stamps on blocks:
// between two stamped elements the position is interpolated, so scrolling is smooth, not jumpy.

interface LineBox {
  line: number;
  top: number;
}

let cached: LineBox[] | undefined;

/** Layout changed (an update, a resize, fonts or images loaded): measure again on next use. */
export function invalidateLineBoxes(): void {
  cached = undefined;
}
window.addEventListener('resize', invalidateLineBoxes);
document.fonts?.addEventListener?.('loadingdone', invalidateLineBoxes);
document.addEventListener('load', invalidateLineBoxes, true);

function lineBoxes(root: HTMLElement): LineBox[] {
  if (cached) return cached;
  const out: LineBox[] = [];
  for (const el of root.querySelectorAll('[data-line]')) {
    const r = el.getBoundingClientRect();
    if (r.height === 0 && r.width === 0) continue;
    const line = Number(el.getAttribute('data-line'));
    if (Number.isFinite(line)) out.push({ line, top: r.top + window.scrollY });
  }
  // Nested stamps (a paragraph in a list item) may come out of order: keep a monotone sequence.
  out.sort((a, b) => a.line - b.line || a.top - b.top);
  return (cached = out);
}

/** The last box (in order) that is `atOrBefore` the point, and the first one past it. */
function around(boxes: readonly LineBox[], atOrBefore: (b: LineBox) => boolean): [LineBox, LineBox | undefined] {
  let before = boxes[0];
  for (const b of boxes) {
    if (!atOrBefore(b)) return [before, b];
    before = b;
  }
  return [before, undefined];
}

export function scrollToLine(root: HTMLElement, line: number): void {
  const boxes = lineBoxes(root);
  if (!boxes.length) return;
  if (line <= boxes[0].line) {
    window.scrollTo({ top: 0, behavior: 'instant' as ScrollBehavior });
    return;
  }
  const [before, after] = around(boxes, (b) => b.line <= line);
  let y = before.top;
  if (after && line > before.line) y += ((line - before.line) / (after.line - before.line)) * (after.top - before.top);
  window.scrollTo({ top: Math.max(0, y - 8), behavior: 'instant' as ScrollBehavior });
}

export function lineAtScrollTop(root: HTMLElement): number | undefined {
  const boxes = lineBoxes(root);
  if (!boxes.length) return undefined;
  const y = window.scrollY + 8;
  const byTop = [...boxes].sort((a, b) => a.top - b.top);
  const [before, after] = around(byTop, (b) => b.top <= y);
  if (y <= before.top || !after || after.line <= before.line) return before.line;
  return Math.floor(before.line + ((y - before.top) / (after.top - before.top)) * (after.line - before.line));
}
