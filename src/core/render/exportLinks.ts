// Links between exported pages. A note links another note by its source file (`[上一篇](二.md)`);
// exported side by side as HTML, that link has to lead to the other page, not to the Markdown.
// This reads only the `<a href="…">` our own renderers wrote (markdown-it and the raw-HTML
// sanitizer both write `href="…"` with `&` and `"` escaped), not the note.

import { escapeHtml } from '../html';

/** A note's file, as a link names it: a relative path to a .md, .markdown or .txt file. */
const NOTE_LINK = /^(?![a-z][a-z0-9+.-]*:|\/|#)[^?#]*\.(?:md|markdown|txt)$/i;

const ANCHOR_HREF = /(<a\b[^>]*?\shref=")([^"]*)(")/g;

/**
 * The fragment with each link to a note file (path decoded, `#fragment` kept) replaced by what
 * `pageFor` gives for that path — or left as it is when it gives nothing (a note not exported).
 */
export function retargetNoteLinks(html: string, pageFor: (notePath: string) => string | undefined): string {
  return html.replace(ANCHOR_HREF, (whole, open: string, href: string, close: string) => {
    const url = unescapeAttribute(href);
    const hash = url.indexOf('#');
    const [path, fragment] = hash < 0 ? [url, ''] : [url.slice(0, hash), url.slice(hash)];
    let decoded: string;
    try {
      decoded = decodeURI(path);
    } catch {
      return whole;
    }
    if (!NOTE_LINK.test(decoded)) return whole;
    const page = pageFor(decoded);
    return page === undefined ? whole : `${open}${escapeHtml(encodePath(page) + fragment)}${close}`;
  });
}

/** A `/`-separated relative path as a URL path: each segment percent-encoded, as markdown-it writes them. */
function encodePath(path: string): string {
  return path.split('/').map(encodeURIComponent).join('/');
}

function unescapeAttribute(value: string): string {
  return value.replace(/&(amp|quot|#39|lt|gt);/g, (_m, e: string) => ({ amp: '&', quot: '"', '#39': "'", lt: '<', gt: '>' })[e]!);
}
