// What a reader sees on the corpus, ours against VS Code's built-in pipeline (markdown-it +
// @vscode/markdown-it-katex, as its markdown-math extension configures it): formulas typeset,
// error boxes, formulas with undefined names drawn red, `$` and TeX left as text, HTML shown as
// text. `node out/test/support/corpusReport.js [folder…]` prints one table per corpus folder.
import MarkdownIt = require('markdown-it');
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { RenderCache } from '../../src/core/math/katexRenderer';
import { renderNote } from '../../src/core/render/renderNote';
import { errorTexts, rawTexLeft, undefinedTexts } from './render';
import { sharedPath } from './shared';

export interface PageCounts {
  notes: number;
  formulas: number;
  errorBoxes: number;
  redNames: number;
  dollarsLeft: number;
  texLeft: number;
  htmlAsText: number;
}

/** Tags authors write in notes; `&lt;` one of them (or a comment) in the page's text is HTML shown as text. */
const HTML_AS_TEXT =
  /<(?:\/?(?:center|br|img|sup|sub|a|div|span|font|table|tr|td|th|details|summary|p|b|i|u|strong|em|hr|video|iframe|kbd|mark|small|big)\b[^>]*>|!--)/gi;

/** The page's text outside formulas, error boxes, code and pre, as a reader sees it. */
function proseText(html: string): string {
  const out: string[] = [];
  let skip = 0;
  const stack: boolean[] = [];
  for (const m of html.matchAll(/<(\/?)([a-zA-Z][\w-]*)([^>]*)>|([^<]+)/g)) {
    if (m[4] !== undefined) {
      if (skip === 0) out.push(m[4]);
      continue;
    }
    const tag = m[2].toLowerCase();
    if (m[1]) {
      if (stack.pop()) skip--;
      continue;
    }
    if (/^(br|hr|img|input|wbr|meta|link|col|area|source)$/.test(tag) || m[3].endsWith('/')) continue;
    const cls = /class="([^"]*)"/.exec(m[3])?.[1] ?? '';
    const hidden = /(^|\s)katex(-error|-display)?(\s|$)/.test(cls) || tag === 'code' || tag === 'pre' || tag === 'annotation';
    stack.push(hidden);
    if (hidden) skip++;
  }
  return out
    .join('')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&amp;/g, '&');
}

function countPage(html: string, into: PageCounts): void {
  into.notes++;
  into.formulas += (html.match(/class="katex"/g) ?? []).length + errorTexts(html).length;
  into.errorBoxes += errorTexts(html).length;
  into.redNames += undefinedTexts(html).length;
  const prose = proseText(html);
  into.dollarsLeft += (prose.match(/(?<!\\)\$/g) ?? []).length;
  into.texLeft += rawTexLeft(html).filter((t) => !t.startsWith('$')).length;
  into.htmlAsText += (prose.match(HTML_AS_TEXT) ?? []).length;
}

const empty = (): PageCounts => ({ notes: 0, formulas: 0, errorBoxes: 0, redNames: 0, dollarsLeft: 0, texLeft: 0, htmlAsText: 0 });

export function builtinPipeline(): InstanceType<typeof MarkdownIt> {
  const katexPlugin = require('@vscode/markdown-it-katex').default;
  const md = new MarkdownIt({ html: true, linkify: true });
  const options = { enableFencedBlocks: true, globalGroup: true, macros: {} as Record<string, string> };
  md.core.ruler.push('reset-katex-macros', () => {
    options.macros = {};
  });
  return md.use(katexPlugin, options);
}

export function corpusReport(folder: string): { ours: PageCounts; builtin: PageCounts } {
  const ours = empty();
  const builtin = empty();
  const md = builtinPipeline();
  const cache = new RenderCache();
  const warn = console.warn;
  console.warn = () => {};
  try {
    for (const name of readdirSync(folder)
      .filter((f) => f.endsWith('.md'))
      .sort()) {
      const text = readFileSync(join(folder, name), 'utf8');
      countPage(renderNote(text, name, { cache }).html, ours);
      countPage(md.render(text), builtin);
    }
  } finally {
    console.warn = warn;
  }
  return { ours, builtin };
}

if (require.main === module) {
  const folders = process.argv.slice(2);
  const corpus = sharedPath('corpus');
  for (const folder of folders.length ? folders : ['notes-zh', 'kexue-md', 'pumpkin-book'].map((f) => join(corpus, f))) {
    const { ours, builtin } = corpusReport(folder);
    console.log(`\n${folder} (${ours.notes} notes)`);
    console.log('                          Math Notes   built-in');
    for (const key of ['formulas', 'errorBoxes', 'redNames', 'dollarsLeft', 'texLeft', 'htmlAsText'] as const) {
      console.log(`  ${key.padEnd(22)}${String(ours[key]).padStart(11)}${String(builtin[key]).padStart(11)}`);
    }
  }
}
