// Turns a rendered note into a keyed page update: each block gets a key (the renderer's id for
// the block's current HTML, else a hash of it), and only blocks the webview does not already hold travel. The webview reuses the DOM of the others, so
// math already on the page is neither re-parsed nor re-typeset, and nothing flickers.

import { hashString } from '../math/macros';
import type { RenderedSection } from '../render/renderNote';
import { shiftLineStamps } from '../render/blocks';
import type { BlockUpdate, PageUpdate, SectionUpdate } from './protocol';

/** Content keys, made unique within a page (the same HTML twice gets `#2`). */
class KeyMaker {
  private readonly seen = new Map<string, number>();
  key(html: string): string {
    const base = `h${hashString(html).toString(36)}.${html.length.toString(36)}`;
    const n = (this.seen.get(base) ?? 0) + 1;
    this.seen.set(base, n);
    return n === 1 ? base : `${base}#${n}`;
  }
}

/** What a webview holds: its blocks' keys (and its sections'), each with the line it counts from. */
export type KnownBlocks = ReadonlyMap<string, number>;

/**
 * The update for one webview. `known` holds the keys the webview has now; it is replaced by the
 * keys of this update (the webview drops everything else). Block HTML goes with its line stamps
 * counted from the block's first line (shiftLineStamps): a block an edit moved is the same HTML,
 * and keeps its key; only its line travels.
 */
export function pageUpdate(sections: readonly RenderedSection[], known: KnownBlocks): { page: PageUpdate; known: Map<string, number> } {
  const keys = new KeyMaker();
  const next = new Map<string, number>();
  let changed = 0;
  let total = 0;
  const out: SectionUpdate[] = [];
  for (const s of sections) {
    const shell = s.open + s.close;
    const sectionKey = 's' + keys.key(shell);
    next.set(sectionKey, 0);
    const blocks: BlockUpdate[] = [];
    for (let i = 0; i < s.blocks.length; i++) {
      const absolute = s.blocks[i];
      if (absolute === '') continue;
      const line = s.bases[i] ?? 0;
      // A block the renderer reused keeps its id: no need to read its HTML at all. Two blocks of
      // one page never share a key.
      let html: string | undefined;
      let key = s.ids[i];
      if (!key || next.has(key)) key = keys.key((html = shiftLineStamps(absolute, -line)));
      next.set(key, line);
      total++;
      const had = known.get(key);
      if (had === line) blocks.push({ key });
      else if (had !== undefined) blocks.push({ key, line });
      else {
        blocks.push({ key, html: html ?? shiftLineStamps(absolute, -line), line });
        changed++;
      }
    }
    out.push(known.has(sectionKey) ? { key: sectionKey, blocks } : { key: sectionKey, shell, blocks });
  }
  return { page: { sections: out, changedBlocks: changed, totalBlocks: total }, known: next };
}
