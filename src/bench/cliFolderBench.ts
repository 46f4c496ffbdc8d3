// A folder from the command line (issue #21, point 5): `mathnotes render DIR -o OUT` against VS
// Code's built-in pipeline writing the same folder of pages, each in a fresh Node process (start,
// read, render, write), best of 3, interleaved. The built-in pipeline renders only `$…$`/`$$…$$`,
// so it runs twice: on the notes as they are, and with each bare environment wrapped in `$$`
// (the same math as ours).
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import type { Markdown } from '../core/markdown/engine';

/** A bare environment on its own lines, wrapped in `$$` for a pipeline that sees only `$$…$$`. */
export const wrapEnvironments = (t: string) => t.replace(/^(\\begin\{([a-z]+\*?)\}[\s\S]*?\\end\{\2\})[ \t]*$/gm, '$$$$$1$$$$');

/** `node dist/bench.js --builtin-folder DIR OUT [--same-math]`: the baseline's own process. */
export function builtinFolder(builtin: Markdown, dir: string, out: string, sameMath: boolean): void {
  mkdirSync(join(out, 'katex/fonts'), { recursive: true });
  // One shared copy of KaTeX's stylesheet and fonts, as our folder export writes.
  const katexDist = join(__dirname, '../node_modules/katex/dist');
  copyFileSync(join(katexDist, 'katex.min.css'), join(out, 'katex/katex.min.css'));
  for (const f of readdirSync(join(katexDist, 'fonts'))) copyFileSync(join(katexDist, 'fonts', f), join(out, 'katex/fonts', f));
  for (const name of readdirSync(dir).filter((f) => f.endsWith('.md'))) {
    const text = readFileSync(join(dir, name), 'utf8');
    const body = builtin.render(sameMath ? wrapEnvironments(text) : text);
    const page = `<!DOCTYPE html>\n<html><head><meta charset="utf-8"><title>${name}</title><link rel="stylesheet" href="katex/katex.min.css"></head><body>${body}</body></html>\n`;
    writeFileSync(join(out, name.replace(/\.md$/, '.html')), page);
  }
}

/** Wall time of one process, in ms; throws when it fails. */
function timed(args: string[]): number {
  const t0 = performance.now();
  const r = spawnSync(process.execPath, args, { stdio: ['ignore', 'ignore', 'pipe'], encoding: 'utf8' });
  const ms = performance.now() - t0;
  if (r.status !== 0) throw new Error(`${args.join(' ')} exited ${r.status}: ${r.stderr}`);
  return ms;
}

export function cliFolderBench(corpusDir: string, bareKatexMs: number, formulas: number): void {
  const root = mkdtempSync(join(tmpdir(), 'mathnotes-bench-'));
  const cli = join(__dirname, 'cli.js');
  const cores = availableParallelism();
  const runs: Record<string, { args: (out: string) => string[]; ms: number[] }> = {
    'Math Notes CLI, -j 1': { args: (out) => [cli, 'render', corpusDir, '-o', out, '-j', '1'], ms: [] },
    [`Math Notes CLI, -j ${cores} (default)`]: { args: (out) => [cli, 'render', corpusDir, '-o', out], ms: [] },
    'built-in pipeline, notes as they are': { args: (out) => [__filename, '--builtin-folder', corpusDir, out], ms: [] },
    'built-in pipeline, environments in $$': { args: (out) => [__filename, '--builtin-folder', corpusDir, out, '--same-math'], ms: [] },
  };
  try {
    for (let rep = 0; rep < 3; rep++) {
      for (const [name, run] of Object.entries(runs)) {
        const out = join(root, name.replace(/\W+/g, '-'));
        rmSync(out, { recursive: true, force: true });
        run.ms.push(timed(run.args(out)));
      }
    }
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
  const best = Object.fromEntries(Object.entries(runs).map(([name, r]) => [name, Math.min(...r.ms)]));
  console.log(`\nA folder to HTML pages, each run a fresh process (start, read, render, write; best of 3, ms), ${cores} cores:`);
  for (const [name, ms] of Object.entries(best)) console.log(`  ${name.padEnd(44)} ${ms.toFixed(0)}`);
  const [j1, jn, builtinAsIs, builtinSame] = Object.values(best);
  const ours = Math.min(j1, jn);
  console.log(`  bare KaTeX on our ${formulas} formulas, in process ${bareKatexMs.toFixed(0)}`);
  console.log(
    `  ratio built-in / Math Notes = ${(builtinAsIs / ours).toFixed(2)}× (notes as they are; target ≥ 1.5×), ${(builtinSame / ours).toFixed(2)}× (same math)`,
  );
  console.log(`  ratio Math Notes CLI / bare KaTeX = ${(ours / bareKatexMs).toFixed(2)}×; -j ${cores} / -j 1 = ${(jn / j1).toFixed(2)}×`);
}
