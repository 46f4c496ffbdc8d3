// Every class the preview page or an exported page uses for itself, found in its sources (so a
// class added tomorrow is covered): selectors in media/*.css and KaTeX's CSS, and every `mn-…`
// name in the page's script, the panel's HTML and the HTML the core emits. A formula may wear none.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';

const ROOT = resolve(__dirname, '../../..');

function filesUnder(dir: string, ext: RegExp): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) out.push(...filesUnder(path, ext));
    else if (ext.test(name)) out.push(path);
  }
  return out;
}

/** Classes in CSS selectors (declarations and comments dropped first). */
function cssClasses(css: string): string[] {
  const selectors = css.replace(/\/\*[\s\S]*?\*\//g, '').replace(/\{[^{}]*\}/g, '{}');
  return [...selectors.matchAll(/\.(-?[A-Za-z_][\w-]*)/g)].map((m) => m[1]);
}

export interface PageClasses {
  /** The page's own classes: the preview's controls and layout, and KaTeX's. */
  page: Set<string>;
  /** Where each was found (for messages). */
  from: Map<string, string>;
  /** The page's classes that KaTeX itself never emits: none may appear inside a formula. */
  notKatex: Set<string>;
}

let cached: PageClasses | undefined;

export function pageClasses(): PageClasses {
  if (cached) return cached;
  const page = new Set<string>();
  const from = new Map<string, string>();
  const add = (name: string, file: string) => {
    if (name.startsWith('mnf-')) return; // the formulas' own namespace (styled, never used by the page)
    page.add(name);
    if (!from.has(name)) from.set(name, file.slice(ROOT.length + 1));
  };
  const katexCss = join(ROOT, 'node_modules/katex/dist/katex.css');
  const katexClasses = new Set(cssClasses(readFileSync(katexCss, 'utf8')));
  const css = [...filesUnder(join(ROOT, 'media'), /\.css$/).filter((f) => !f.includes('/katex/') && !f.includes('/dist/')), katexCss];
  for (const file of css) for (const c of cssClasses(readFileSync(file, 'utf8'))) add(c, file);
  const scripts = [
    ...filesUnder(join(ROOT, 'src/webview'), /\.ts$/),
    ...filesUnder(join(ROOT, 'src/extension/preview'), /\.ts$/),
    ...filesUnder(join(ROOT, 'src/core'), /\.ts$/),
  ];
  for (const file of scripts) {
    const text = readFileSync(file, 'utf8');
    for (const m of text.matchAll(/(?<![\w-])mn-[a-z0-9]+(?:-[a-z0-9]+)*/g)) add(m[0], file);
    for (const m of text.matchAll(/class(?:Name)?\s*=\s*\\?["'`]([^"'`$\\]*)/g)) for (const c of m[1].split(/\s+/)) if (c) add(c, file);
  }
  // KaTeX's own (styled by katex.css, or emitted by it with our error class) may be inside a formula.
  const notKatex = new Set([...page].filter((c) => !katexClasses.has(c) && !/^katex/.test(c)));
  cached = { page, from, notKatex };
  return cached;
}
