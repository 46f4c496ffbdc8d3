// A self-contained HTML document for export: the same fragment as the preview, with KaTeX's CSS
// (fonts inlined) and our stylesheet, and a policy that allows no script at all.

import { escapeHtml } from '../html';

/** The stylesheets inlined (one self-contained file), or linked (a folder export's shared assets). */
export type StandaloneAssets = InlineAssets | LinkedAssets;

export interface InlineAssets {
  /** KaTeX's stylesheet with its fonts as data: URLs. */
  katexCss: string;
  /** media/preview.css */
  noteCss: string;
}

export interface LinkedAssets {
  /** Relative URLs of the stylesheets (KaTeX's, loading its fonts beside it, then ours). */
  stylesheets: readonly string[];
}

const FONT_URL = /src:\s*url\(fonts\/([\w-]+)\.woff2\)\s*format\("woff2"\)[^;}]*/g;

/** The woff2 fonts KaTeX's stylesheet (media/katex/katex.min.css) loads. */
export function katexFontNames(katexCss: string): string[] {
  return [...new Set([...katexCss.matchAll(FONT_URL)].map((m) => m[1]))];
}

/** KaTeX's stylesheet with each woff2 font inlined as a data: URL (only woff2 is shipped: every engine that opens the export reads it). */
export function inlineKatexFonts(katexCss: string, base64ByFont: ReadonlyMap<string, string>): string {
  return katexCss.replace(
    FONT_URL,
    (_m, font: string) => `src:url(data:font/woff2;base64,${base64ByFont.get(font) ?? ''}) format("woff2")`,
  );
}

/** The mark of a document we wrote: `render -o` replaces a file only when it starts with it. */
const GENERATOR = '<meta name="generator" content="Math Notes">';

/** Does a file that begins with `start` (its first kilobyte or more) look like a page `standaloneDocument` wrote? */
export function isStandaloneDocument(start: string): boolean {
  return start.startsWith('<!DOCTYPE html>\n<html') && start.slice(0, 1024).includes(GENERATOR);
}

export function standaloneDocument(fragment: string, title: string, assets: StandaloneAssets): string {
  // Linked stylesheets come from the page's own folder: 'self' where it is served, file: where it is opened.
  const csp =
    'stylesheets' in assets
      ? "default-src 'none'; style-src 'self' file: 'unsafe-inline'; font-src 'self' file: data:; img-src data: https:"
      : "default-src 'none'; style-src 'unsafe-inline'; font-src data:; img-src data: https:";
  const styles =
    'stylesheets' in assets
      ? assets.stylesheets.map((href) => `<link rel="stylesheet" href="${escapeHtml(href)}">`).join('\n')
      : `<style>${assets.katexCss}</style>\n<style>${assets.noteCss}</style>`;
  return `<!DOCTYPE html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="viewport" content="width=device-width, initial-scale=1">
${GENERATOR}
<title>${escapeHtml(title)}</title>
${styles}
</head>
<body>
<main class="mn-note">
${fragment}
</main>
</body>
</html>
`;
}
