// Loads the stylesheets that exported documents inline (Node hosts: CLI, desktop extension).
// scripts/build.mjs copies KaTeX's CSS and woff2 fonts to media/katex/.

import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { inlineKatexFonts, katexFontNames, type StandaloneAssets } from '../core/render/standalone';

let cached: StandaloneAssets | undefined;

export function loadStandaloneAssets(extensionRoot: string): StandaloneAssets {
  if (cached) return cached;
  const katexDir = join(extensionRoot, 'media', 'katex');
  const cssPath = join(katexDir, 'katex.min.css');
  if (!existsSync(cssPath)) throw new Error(`KaTeX stylesheet missing at ${cssPath}: run the build (npm run build).`);
  const css = readFileSync(cssPath, 'utf8');
  const fonts = new Map(
    katexFontNames(css).map((font) => [font, readFileSync(join(katexDir, 'fonts', font + '.woff2')).toString('base64')]),
  );
  cached = { katexCss: inlineKatexFonts(css, fonts), noteCss: readFileSync(join(extensionRoot, 'media', 'preview.css'), 'utf8') };
  return cached;
}

/** A folder export's shared assets, by name below its assets folder: KaTeX's CSS and fonts, and ours. */
export function sharedAssetFiles(extensionRoot: string): Map<string, string | Uint8Array> {
  const katexDir = join(extensionRoot, 'media', 'katex');
  const css = readFileSync(join(katexDir, 'katex.min.css'), 'utf8');
  const files = new Map<string, string | Uint8Array>([['katex.min.css', css]]);
  for (const font of katexFontNames(css)) files.set(`fonts/${font}.woff2`, readFileSync(join(katexDir, 'fonts', font + '.woff2')));
  files.set('note.css', readFileSync(join(extensionRoot, 'media', 'preview.css'), 'utf8'));
  return files;
}

/** How a page `depth` folders below the export's root links the shared assets. */
export function sharedStylesheets(assetsFolder: string, depth: number): string[] {
  const up = '../'.repeat(depth);
  return [`${up}${assetsFolder}/katex.min.css`, `${up}${assetsFolder}/note.css`];
}
