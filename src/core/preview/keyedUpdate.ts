// Turns a rendered note into a keyed page update: each block gets a key (the renderer's id for
// the block's current HTML, else a hash of it), and only blocks the webview does not already hold travel. The webview reuses the DOM of the others, so
// math already on the page is neither re-parsed nor re-typeset, and nothing flickers.

import { hashString } from '../math/macros';
import type { RenderedSection } from '../render/renderNote';
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

/**
 * The update for one webview. `known` holds the keys the webview has now; it is replaced by the
 * keys of this update (the webview drops everything else).
 */
export function pageUpdate(sections: readonly RenderedSection[], known: Set<string>): { page: PageUpdate; known: Set<string> } {
  const keys = new KeyMaker();
  const next = new Set<string>();
  let changed = 0;
  let total = 0;
  const out: SectionUpdate[] = [];
  for (const s of sections) {
    const shell = s.open + s.close;
    const sectionKey = 's' + keys.key(shell);
    next.add(sectionKey);
    const blocks: BlockUpdate[] = [];
    for (let i = 0; i < s.blocks.length; i++) {
      const html = s.blocks[i];
      if (html === '') continue;
      // A block the renderer reused keeps its id: no need to read its HTML at all.
      const key = s.ids[i] || keys.key(html);
      next.add(key);
      total++;
      if (known.has(key)) blocks.push({ key });
      else {
        blocks.push({ key, html });
        changed++;
      }
    }
    out.push(known.has(sectionKey) ? { key: sectionKey, blocks } : { key: sectionKey, shell, blocks });
  }
  return { page: { sections: out, changedBlocks: changed, totalBlocks: total }, known: next };
}
