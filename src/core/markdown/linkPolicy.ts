// What a link or image in a note may point at: one policy for Markdown links (markdown-it's
// validateLink, engine.ts) and for the note's raw HTML (`href`, `src`: rawHtml.ts).

const SAFE_DATA_IMAGE = /^data:image\/(?:gif|png|jpeg|webp);/i;

/** What a link or image may point at: no scheme (a relative path or an anchor), http(s), mailto, or a raster data: image. */
export function isAllowedLink(url: string): boolean {
  const scheme = /^([a-z][a-z0-9+.-]*):/i.exec(url.trim())?.[1]?.toLowerCase();
  return (
    scheme === undefined ||
    scheme === 'http' ||
    scheme === 'https' ||
    scheme === 'mailto' ||
    (scheme === 'data' && SAFE_DATA_IMAGE.test(url.trim()))
  );
}
