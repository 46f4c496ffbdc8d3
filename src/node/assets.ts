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
  const fonts = new Map(katexFontNames(css).map((font) => [font, readFileSync(join(katexDir, 'fonts', font + '.woff2')).toString('base64')]));
  cached = { katexCss: inlineKatexFonts(css, fonts), noteCss: readFileSync(join(extensionRoot, 'media', 'preview.css'), 'utf8') };
  return cached;
}
