// Loads the stylesheets that exported documents inline (Node hosts: CLI, desktop extension).
// scripts/build.mjs copies KaTeX's CSS and woff2 fonts to media/katex/.

import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { StandaloneAssets } from '../core/render/standalone';

let cached: StandaloneAssets | undefined;

export function loadStandaloneAssets(extensionRoot: string): StandaloneAssets {
  if (cached) return cached;
  const katexDir = join(extensionRoot, 'media', 'katex');
  const cssPath = join(katexDir, 'katex.min.css');
  if (!existsSync(cssPath)) throw new Error(`KaTeX stylesheet missing at ${cssPath}: run the build (npm run build).`);
  // Only woff2 is shipped: every engine that opens the export reads it.
  const katexCss = readFileSync(cssPath, 'utf8').replace(
    /src:\s*url\(fonts\/([\w-]+)\.woff2\)\s*format\("woff2"\)[^;}]*/g,
    (_m, font: string) => `src:url(data:font/woff2;base64,${readFileSync(join(katexDir, 'fonts', font + '.woff2')).toString('base64')}) format("woff2")`,
  );
  cached = { katexCss, noteCss: readFileSync(join(extensionRoot, 'media', 'preview.css'), 'utf8') };
  return cached;
}
