// Bundles the extension, the CLI and the benchmark with esbuild (one pipeline, three entry points).
import { build } from 'esbuild';
import { cpSync, mkdirSync, readdirSync } from 'node:fs';

// KaTeX's stylesheet and woff2 fonts go to media/katex/ (the webview and export load them from there).
mkdirSync('media/katex/fonts', { recursive: true });
cpSync('node_modules/katex/dist/katex.min.css', 'media/katex/katex.min.css');
for (const f of readdirSync('node_modules/katex/dist/fonts')) {
  if (f.endsWith('.woff2')) cpSync(`node_modules/katex/dist/fonts/${f}`, `media/katex/fonts/${f}`);
}

const common = { bundle: true, platform: 'node', target: 'node20', format: 'cjs', sourcemap: true, logLevel: 'warning' };
await Promise.all([
  build({ ...common, entryPoints: ['src/extension/extension.ts'], outfile: 'dist/extension.js', external: ['vscode'] }),
  build({ ...common, entryPoints: ['src/cli/main.ts'], outfile: 'dist/cli.js' }),
  build({ ...common, entryPoints: ['src/bench/main.ts'], outfile: 'dist/bench.js', external: ['mathjax-full', '@vscode/markdown-it-katex'] }),
]);
