// Bundles the extension, the CLI and the benchmark with esbuild (one pipeline, three entry points).
import { build } from 'esbuild';

const common = { bundle: true, platform: 'node', target: 'node20', format: 'cjs', sourcemap: true, logLevel: 'warning' };
await Promise.all([
  build({ ...common, entryPoints: ['src/extension/extension.ts'], outfile: 'dist/extension.js', external: ['vscode'] }),
  build({ ...common, entryPoints: ['src/cli/main.ts'], outfile: 'dist/cli.js' }),
  build({ ...common, entryPoints: ['src/bench/main.ts'], outfile: 'dist/bench.js', external: ['mathjax-full', '@vscode/markdown-it-katex'] }),
]);
