// markdown-it's link normalisation (percent-encoding, punycode) without the rendering engine, for
// code that matches a page's hrefs but renders nothing: importing the engine would load KaTeX
// (about 600 KB) into the extension host at activation.
import MarkdownIt = require('markdown-it');

let md: MarkdownIt | undefined;

/** The href markdown-it writes for a link to `url` (the engine does not change this step). */
export function normalizeLink(url: string): string {
  return (md ??= new MarkdownIt()).normalizeLink(url);
}
