// Hostile notes (issue #8): every case of test/fixtures/hostile/*.cases, rendered through the core
// as written and inside a list item, a blockquote, a table cell and a blog-listing export, must give
// HTML that — parsed as a browser parses it — has no executable element, no event handler, no URL
// outside the allowed schemes, no CSS outside the allowlist, and no id outside our namespace or
// twice. A note renders or says why; it never throws.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { test } from 'node:test';
import { parseFragment } from 'parse5';
import { lintNote } from '../../src/core/lint/lintNote';
import { RenderCache } from '../../src/core/math/katexRenderer';
import { renderNote } from '../../src/core/render/renderNote';
import { findSnippets } from '../../src/core/snippets/snippets';

const DIR = resolve(__dirname, '../../../test/fixtures/hostile');

interface Case {
  id: string;
  guarantee: string;
  text: string;
}

export function hostileCases(): Case[] {
  const cases: Case[] = [];
  for (const file of readdirSync(DIR).filter((f) => f.endsWith('.cases')).sort()) {
    const blocks = readFileSync(join(DIR, file), 'utf8').split(/^### /m).slice(1);
    for (const block of blocks) {
      const [id, guaranteeLine, ...rest] = block.split('\n');
      assert.match(guaranteeLine, /^> \S/, `${file}: case ${id} states its guarantee`);
      cases.push({ id: id.trim(), guarantee: guaranteeLine.slice(2), text: rest.join('\n').trim().replace(/\\u0000/g, '\u0000') + '\n' });
    }
  }
  return cases;
}

/** The same text in other places a note can put it. */
const CONTEXTS: Array<{ name: string; file: string; wrap: (t: string) => string }> = [
  { name: 'as written', file: 'note.md', wrap: (t) => `# 标题\n\n${t}` },
  { name: 'in a list item', file: 'note.md', wrap: (t) => `# 标题\n\n${t.split('\n').map((l, i) => (i === 0 ? `- ${l}` : `  ${l}`)).join('\n')}` },
  { name: 'in a blockquote', file: 'note.md', wrap: (t) => `# 标题\n\n${t.split('\n').map((l) => `> ${l}`).join('\n')}` },
  { name: 'in a table cell', file: 'note.md', wrap: (t) => `# 标题\n\n| 列 |\n| --- |\n| ${t.trim().replace(/\n/g, ' ').replace(/\|/g, '\\|')} |\n` },
  { name: 'in a blog listing', file: 'listing.txt', wrap: (t) => `敌意测试（一）：标题\nBy 作者 | 2024-01-01 | 3位读者 | 引用${t}\n` },
];

// What may appear. Elements KaTeX and Markdown produce; SVG only as KaTeX draws (paths, lines).
const FORBIDDEN_ELEMENTS = new Set([
  'script', 'iframe', 'frame', 'frameset', 'object', 'embed', 'applet', 'meta', 'base', 'link', 'style', 'form', 'input',
  'button', 'textarea', 'select', 'option', 'template', 'noscript', 'video', 'audio', 'source', 'track', 'portal',
  'foreignobject', 'use', 'animate', 'set', 'animatetransform', 'animatemotion', 'image', 'marquee', 'body', 'html', 'head', 'maction',
]);
const URL_ATTRIBUTES = new Set(['href', 'src', 'xlink:href', 'action', 'formaction', 'poster', 'background', 'srcset', 'data', 'cite', 'longdesc', 'ping', 'manifest', 'lowsrc', 'dynsrc']);
const ALLOWED_SCHEMES = new Set(['http', 'https', 'mailto']);
const STYLE_PROPERTIES = new Set([
  // KaTeX's own layout
  'height', 'margin-right', 'top', 'vertical-align', 'margin-left', 'border-bottom-width', 'color', 'left', 'width', 'min-width',
  'padding-left', 'position', 'border-right-width', 'text-align', 'bottom', 'border-top-width', 'margin', 'border-right-style',
  'background-color', 'border-width', 'border-style', 'padding', 'display', 'border', 'margin-top', 'border-color',
  // what a formula's \style / \bbox may keep (core/math/cssAllowlist.ts)
  'background', 'border-radius', 'border-top', 'border-right', 'border-bottom', 'border-left', 'padding-top', 'padding-right',
  'padding-bottom', 'margin-bottom', 'min-height', 'max-width', 'max-height', 'font-weight', 'font-style', 'font-size',
  'text-decoration', 'opacity', 'outline',
]);
/** The preview page's own element ids (extension/preview/previewHtml.ts). */
const PAGE_IDS = new Set(['mn-root', 'mn-status']);

interface Node {
  nodeName: string;
  attrs?: Array<{ name: string; value: string; prefix?: string }>;
  childNodes?: Node[];
  content?: Node;
}

/** What is wrong with a fragment of HTML, as a browser would build it. */
export function htmlProblems(html: string): string[] {
  const problems: string[] = [];
  const ids = new Set<string>();
  const visit = (node: Node) => {
    const name = node.nodeName.toLowerCase();
    if (FORBIDDEN_ELEMENTS.has(name)) problems.push(`<${name}> element`);
    for (const attr of node.attrs ?? []) {
      const a = (attr.prefix ? `${attr.prefix}:${attr.name}` : attr.name).toLowerCase();
      const value = attr.value;
      if (a.startsWith('on')) problems.push(`${a} handler on <${name}>`);
      if (URL_ATTRIBUTES.has(a)) {
        // What a browser does: strip leading/trailing C0 controls and spaces, tabs and newlines anywhere.
        const url = value.replace(/^[\u0000-\u0020]+|[\u0000-\u0020]+$/g, '').replace(/[\t\n\r]/g, '').toLowerCase();
        const scheme = /^([a-z][a-z0-9+.-]*):/.exec(url)?.[1];
        const imageData = name === 'img' && a === 'src' && /^data:image\/(?:png|gif|jpeg|webp)[;,]/.test(url);
        if (scheme !== undefined && !ALLOWED_SCHEMES.has(scheme) && !imageData) problems.push(`${a}="${value.slice(0, 60)}" on <${name}>`);
      }
      if (a === 'style') {
        for (const decl of value.split(';')) {
          if (!decl.trim()) continue;
          const colon = decl.indexOf(':');
          const prop = decl.slice(0, colon).trim().toLowerCase();
          const v = decl.slice(colon + 1).trim().toLowerCase();
          if (colon < 0 || !STYLE_PROPERTIES.has(prop)) problems.push(`style property "${prop}" on <${name}>`);
          if (/url\s*\(|expression|javascript:|@import|\\|image-set|behavior/.test(v)) problems.push(`style value "${v.slice(0, 60)}" on <${name}>`);
          if (prop === 'position' && v !== 'relative' && v !== 'absolute') problems.push(`position: ${v} on <${name}>`);
        }
      }
      if (a === 'id') {
        if (!value.startsWith('mn-p') || PAGE_IDS.has(value)) problems.push(`id "${value}" outside the note's namespace`);
        if (ids.has(value)) problems.push(`id "${value}" twice`);
        ids.add(value);
      }
    }
    for (const child of node.childNodes ?? []) visit(child);
    if (node.content) visit(node.content);
  };
  visit(parseFragment(html) as unknown as Node);
  return problems;
}

const cases = hostileCases();

test('the hostile corpus: at least 200 cases with their contexts, each stating its guarantee', () => {
  const ids = cases.map((c) => c.id);
  assert.equal(new Set(ids).size, ids.length, 'unique ids');
  console.log(`      ${cases.length} hostile notes × ${CONTEXTS.length} contexts = ${cases.length * CONTEXTS.length} cases; by category: ${[...Object.entries(cases.reduce<Record<string, number>>((m, c) => ((m[c.id.split('/')[0]] = (m[c.id.split('/')[0]] ?? 0) + 1), m), {}))].map(([k, n]) => `${k} ${n}`).join(', ')}`);
  assert.ok(cases.length * CONTEXTS.length >= 200);
});

test('the checker itself catches what it must (a check that cannot fail proves nothing)', () => {
  assert.deepEqual(htmlProblems('<p>ok <a href="https://x">x</a> <span style="height:1em;position:relative">y</span></p>'), []);
  for (const bad of [
    '<script>x</script>', '<img src=x onerror=y>', '<a href="javascript:x">x</a>', '<a href=" java\tscript:x">x</a>',
    '<span style="position:fixed">x</span>', '<span style="background:url(x)">x</span>', '<div id="mn-root"></div>', '<i id="mn-p0-a"></i><b id="mn-p0-a"></b>',
    '<svg><foreignObject></foreignObject></svg>', '<img src="data:image/svg+xml,x">', '<style>x</style>',
  ]) assert.notDeepEqual(htmlProblems(bad), [], bad);
});

for (const context of CONTEXTS) {
  test(`hostile notes ${context.name}: no script, handler, foreign URL scheme, stray CSS or id; the guarantee holds`, () => {
    const cache = new RenderCache();
    const failures: string[] = [];
    for (const c of cases) {
      let html: string;
      const text = context.wrap(c.text);
      try {
        html = renderNote(text, context.file, { cache }).html;
      } catch (err) {
        failures.push(`${c.id}: render threw ${(err as Error).message}`);
        continue;
      }
      const problems = htmlProblems(html);
      if (problems.length) failures.push(`${c.id} (${c.guarantee}): ${problems.join('; ')}`);
      try {
        lintNote(text, context.file, { cache });
      } catch (err) {
        failures.push(`${c.id}: lint threw ${(err as Error).message}`);
      }
    }
    assert.deepEqual(failures, []);
  });
}

test('hostile snippet attributes: shell metacharacters stay text, files that climb out are flagged as such', () => {
  const byId = new Map(cases.map((c) => [c.id, c]));
  const [shell] = findSnippets(byId.get('snippets/info-shell')!.text, 'n.md');
  assert.equal(shell.attributes.file, '$(touch');
  const [climb] = findSnippets(byId.get('snippets/file-climb')!.text, 'n.md');
  assert.equal(climb.attributes.file, '../../../../etc/passwd'); // the runner refuses it (test/integration/snippets.test.ts)
});

test('a YAML alias bomb in front matter is refused quickly with a message', () => {
  const bomb = cases.find((c) => c.id === 'front-matter/billion-laughs')!;
  const t0 = Date.now();
  const r = renderNote(bomb.text, 'n.md', { cache: new RenderCache() });
  assert.ok(Date.now() - t0 < 1000, `${Date.now() - t0} ms`);
  assert.match(r.html, /mn-warning/);
});
