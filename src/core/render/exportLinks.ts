// Links between exported pages. A note links another note by its source file (`[上一篇](二.md)`);
// exported side by side as HTML, that link has to lead to the other page, not to the Markdown.
// This reads only the `<a href="…">` our own renderers wrote (markdown-it and the raw-HTML
// sanitizer both write `href="…"` with `&` and `"` escaped), not the note.

import { escapeHtml } from '../html';

/** A note's file, as a link names it: a relative path to a .md, .markdown or .txt file. */
const NOTE_LINK = /^(?![a-z][a-z0-9+.-]*:|\/|#)[^?#]*\.(?:md|markdown|txt)$/i;

/** An anchor's opening tag up to its href's value, read where a `<a` starts (sticky). */
const ANCHOR_HREF = /(<a\b[^>]*?\shref=")([^"]*)(")/y;

/**
 * The fragment with each link to a note file (path decoded, `#fragment` kept) replaced by what
 * `pageFor` gives for that path — or left as it is when it gives nothing (a note not exported).
 */
export function retargetNoteLinks(html: string, pageFor: (notePath: string) => string | undefined): string {
  // Found by indexOf, then matched in place: a global regular expression tries every position
  // of a page (17 ms for a 1.8 MB one, against 1 ms).
  let out = '';
  let copied = 0;
  for (let at = html.indexOf('<a'); at >= 0; at = html.indexOf('<a', at + 2)) {
    ANCHOR_HREF.lastIndex = at;
    const m = ANCHOR_HREF.exec(html);
    if (!m) continue;
    const target = retarget(m[2], pageFor);
    if (target === undefined) continue;
    out += html.slice(copied, at) + m[1] + target + m[3];
    copied = at + m[0].length;
    at = copied - 2;
  }
  return copied === 0 ? html : out + html.slice(copied);
}

/** The escaped href for a link to a note file that is exported, else undefined. */
function retarget(href: string, pageFor: (notePath: string) => string | undefined): string | undefined {
  const url = unescapeAttribute(href);
  const hash = url.indexOf('#');
  const [path, fragment] = hash < 0 ? [url, ''] : [url.slice(0, hash), url.slice(hash)];
  let decoded: string;
  try {
    decoded = decodeURI(path);
  } catch {
    return undefined;
  }
  if (!NOTE_LINK.test(decoded)) return undefined;
  const page = pageFor(decoded);
  return page === undefined ? undefined : escapeHtml(encodePath(page) + fragment);
}

/** A `/`-separated relative path as a URL path: each segment percent-encoded, as markdown-it writes them. */
function encodePath(path: string): string {
  return path.split('/').map(encodeURIComponent).join('/');
}

function unescapeAttribute(value: string): string {
  return value.replace(/&(amp|quot|#39|lt|gt);/g, (_m, e: string) => ({ amp: '&', quot: '"', '#39': "'", lt: '<', gt: '>' })[e]!);
}
