// Bundles the extension, its render worker, the preview page's script, the CLI and the benchmark
// with esbuild (one rendering pipeline behind all of them).
import { build } from 'esbuild';
import { cpSync, mkdirSync, readdirSync } from 'node:fs';

// KaTeX's stylesheet and woff2 fonts go to media/katex/ (the webview and export load them from there).
mkdirSync('media/katex/fonts', { recursive: true });
cpSync('node_modules/katex/dist/katex.min.css', 'media/katex/katex.min.css');
for (const f of readdirSync('node_modules/katex/dist/fonts')) {
  if (f.endsWith('.woff2')) cpSync(`node_modules/katex/dist/fonts/${f}`, `media/katex/fonts/${f}`);
}

// sanitize-html (raw HTML in notes) loads postcss only to parse style attributes, which we filter
// ourselves (src/core/markdown/rawHtml.ts): a stub keeps postcss out of the bundles.
const alias = { postcss: './scripts/stubs/postcss.cjs' };
// highlight.js's modules only define grammars: marked free of side effects, they stay out of the
// bundles that parse notes but never render them (the extension host, the index worker).
const pureHighlightJs = {
  name: 'pure-highlight.js',
  setup(b) {
    b.onResolve({ filter: /^highlight\.js\// }, async (args) => {
      if (args.pluginData?.pure) return undefined;
      const resolved = await b.resolve(args.path, { kind: args.kind, resolveDir: args.resolveDir, pluginData: { pure: true } });
      return { ...resolved, sideEffects: false };
    });
  },
};
const common = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  sourcemap: true,
  logLevel: 'warning',
  alias,
  plugins: [pureHighlightJs],
};
// What ships in the .vsix is minified (its size budget, test/unit/package.test.ts) with names kept,
// so a stack trace in the extension host's log still reads; the CLI and bench stay readable.
const shipped = { minify: true, keepNames: true };
await Promise.all([
  // The banner marks when the extension host starts loading the bundle (activation time = load + activate()).
  build({
    ...common,
    ...shipped,
    entryPoints: ['src/extension/desktop.ts'],
    outfile: 'dist/extension.js',
    external: ['vscode'],
    banner: { js: '"use strict";\nvar __mathNotesLoadStart = performance.now();' },
  }),
  // The web extension host (vscode.dev): a browser bundle, so any Node API that reaches it fails the build.
  build({
    ...common,
    platform: 'browser',
    target: 'es2022',
    entryPoints: ['src/extension/web.ts'],
    outfile: 'dist/web/extension.js',
    external: ['vscode'],
    minify: true,
    banner: { js: '"use strict";\nvar __mathNotesLoadStart = performance.now();' },
  }),
  // Formula images for hovers (MathJax's SVG output, src/core/math/formulaSvg.ts): heavy, so not in
  // either host's bundle; src/extension/formulaSvgLoader.ts reads and runs it on first use. One file
  // for both hosts: a browser bundle (no Node API) in CommonJS form, as the web host runs extensions.
  build({
    ...common,
    ...shipped,
    platform: 'browser',
    target: 'es2022',
    entryPoints: ['src/core/math/formulaSvg.ts'],
    outfile: 'dist/formulaSvg.js',
  }),
  build({ ...common, ...shipped, entryPoints: ['src/node/renderWorker.ts'], outfile: 'dist/renderWorker.js' }),
  build({ ...common, ...shipped, entryPoints: ['src/node/indexWorker.ts'], outfile: 'dist/indexWorker.js' }),
  build({ ...common, entryPoints: ['src/node/snippets/jsSandbox.ts'], outfile: 'dist/jsSandbox.js', sourcemap: false }),
  build({ ...common, entryPoints: ['src/cli/main.ts'], outfile: 'dist/cli.js' }),
  // The preview page's script lives in media/ (the webview may load only from there and the workspace).
  build({
    ...common,
    platform: 'browser',
    target: 'chrome120',
    format: 'iife',
    entryPoints: ['src/webview/preview.ts'],
    outfile: 'media/dist/preview.js',
  }),
  build({
    ...common,
    entryPoints: ['src/bench/main.ts'],
    outfile: 'dist/bench.js',
    external: ['mathjax-full', '@vscode/markdown-it-katex'],
  }),
]);
