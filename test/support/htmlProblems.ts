// What must never be in the HTML we give a browser, checked on the tree a browser builds (parse5,
// the WHATWG parsing algorithm): executable elements, event handlers, URLs outside the allowed
// schemes, CSS outside the allowlist, ids outside a note's namespace or twice.
import { parseFragment, serialize } from 'parse5';
import type { RenderedSection } from '../../src/core/render/renderNote';
import { MAX_SHIFT_EM } from '../../src/core/math/lengthBounds';
import { pageClasses } from './pageClasses';

// What may appear. Elements KaTeX and Markdown produce; SVG only as KaTeX draws (paths, lines).
const FORBIDDEN_ELEMENTS = new Set([
  'script',
  'iframe',
  'frame',
  'frameset',
  'object',
  'embed',
  'applet',
  'meta',
  'base',
  'link',
  'style',
  'form',
  'input',
  'button',
  'textarea',
  'select',
  'option',
  'template',
  'noscript',
  'video',
  'audio',
  'source',
  'track',
  'portal',
  'foreignobject',
  'use',
  'animate',
  'set',
  'animatetransform',
  'animatemotion',
  'image',
  'marquee',
  'body',
  'html',
  'head',
  'maction',
]);
const URL_ATTRIBUTES = new Set([
  'href',
  'src',
  'xlink:href',
  'action',
  'formaction',
  'poster',
  'background',
  'srcset',
  'data',
  'cite',
  'longdesc',
  'ping',
  'manifest',
  'lowsrc',
  'dynsrc',
]);
const ALLOWED_SCHEMES = new Set(['http', 'https', 'mailto']);
const STYLE_PROPERTIES = new Set([
  // KaTeX's own layout
  'height',
  'margin-right',
  'top',
  'vertical-align',
  'margin-left',
  'border-bottom-width',
  'color',
  'left',
  'width',
  'min-width',
  'padding-left',
  'position',
  'border-right-width',
  'text-align',
  'bottom',
  'border-top-width',
  'margin',
  'border-right-style',
  'background-color',
  'border-width',
  'border-style',
  'padding',
  'display',
  'border',
  'margin-top',
  'border-color',
  'text-shadow', // \pmb's poor man's bold
  // what a formula's \style / \bbox may keep (core/math/cssAllowlist.ts)
  'background',
  'border-radius',
  'border-top',
  'border-right',
  'border-bottom',
  'border-left',
  'padding-top',
  'padding-right',
  'padding-bottom',
  'margin-bottom',
  'min-height',
  'max-width',
  'max-height',
  'font-weight',
  'font-style',
  'font-size',
  'text-decoration',
  'opacity',
  'outline',
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
  const { notKatex } = pageClasses();
  const visit = (node: Node, inFormula: boolean) => {
    const name = node.nodeName.toLowerCase();
    const classes = (node.attrs?.find((a) => a.name === 'class')?.value ?? '').split(/\s+/).filter(Boolean);
    // A formula wears none of the page's classes (it could take the place of the preview's controls).
    if (inFormula)
      for (const c of classes) if (notKatex.has(c) || c.startsWith('mn-')) problems.push(`page class "${c}" on <${name}> inside a formula`);
    const formula = inFormula || classes.includes('katex') || classes.includes('katex-display');
    if (FORBIDDEN_ELEMENTS.has(name)) problems.push(`<${name}> element`);
    for (const attr of node.attrs ?? []) {
      const a = (attr.prefix ? `${attr.prefix}:${attr.name}` : attr.name).toLowerCase();
      const value = attr.value;
      if (a.startsWith('on')) problems.push(`${a} handler on <${name}>`);
      // `name` makes an element a property of `document` (DOM clobbering); nothing we emit needs one.
      if (a === 'name') problems.push(`name="${value.slice(0, 60)}" on <${name}>`);
      if (URL_ATTRIBUTES.has(a)) {
        // What a browser does: strip leading/trailing C0 controls and spaces, tabs and newlines anywhere.
        const url = value
          .replace(/^[\u0000-\u0020]+|[\u0000-\u0020]+$/g, '')
          .replace(/[\t\n\r]/g, '')
          .toLowerCase();
        const scheme = /^([a-z][a-z0-9+.-]*):/.exec(url)?.[1];
        const imageData = name === 'img' && a === 'src' && /^data:image\/(?:png|gif|jpeg|webp)[;,]/.test(url);
        if (scheme !== undefined && !ALLOWED_SCHEMES.has(scheme) && !imageData) problems.push(`${a}="${value.slice(0, 60)}" on <${name}>`);
      }
      if (a === 'style') {
        for (const decl of value.split(';')) {
          if (!decl.trim()) continue;
          const colon = decl.indexOf(':');
          const prop = decl.slice(0, colon).trim().toLowerCase();
          const v = decl
            .slice(colon + 1)
            .trim()
            .toLowerCase();
          if (colon < 0 || !STYLE_PROPERTIES.has(prop)) problems.push(`style property "${prop}" on <${name}>`);
          if (/url\s*\(|expression|javascript:|@import|\\|image-set|behavior/.test(v))
            problems.push(`style value "${v.slice(0, 60)}" on <${name}>`);
          if (prop === 'position' && v !== 'relative' && v !== 'absolute') problems.push(`position: ${v} on <${name}>`);
          // A kern or shift may move a formula's content a few em, not over the page.
          const shift = /^-(\d*\.?\d+)em$/.exec(v);
          if (/^margin-(?:left|right|top|bottom)$/.test(prop) && shift && Number(shift[1]) > MAX_SHIFT_EM * 1.05)
            problems.push(`${prop}: ${v} on <${name}>`);
        }
      }
      if (a === 'id') {
        if (!value.startsWith('mn-p') || PAGE_IDS.has(value)) problems.push(`id "${value}" outside the note's namespace`);
        if (ids.has(value)) problems.push(`id "${value}" twice`);
        ids.add(value);
      }
    }
    for (const child of node.childNodes ?? []) visit(child, formula);
    if (node.content) visit(node.content, formula);
  };
  visit(parseFragment(html) as unknown as Node, false);
  return problems;
}

/**
 * Where a block's HTML would leak out of its place in the preview, read as a browser reads it: the
 * webview joins a post's blocks, each in its own `<div class="mn-block">`, and inserts them into
 * the post body in one piece (src/webview/preview.ts, buildPage). Each wrapper must come out as a
 * child of the body, in order, holding what its block makes on its own: an element one block left
 * open, an end tag that closes more than its block opened, or a formatting element the browser
 * closed early and re-creates further on would change the blocks after it.
 */
export function blockLeaks(sections: readonly RenderedSection[]): string[] {
  const problems: string[] = [];
  const body = (parseFragment('<div class="mn-post-body"></div>') as unknown as Node).childNodes![0];
  const wrap = (b: string, i: number) => `<div class="mn-block" data-key="k${i}">${b}</div>`;
  const parse = (html: string) =>
    ((parseFragment(body as never, html, {}) as unknown as Node).childNodes ?? []).filter(
      (n) => n.nodeName !== '#text' || (n as { value?: string }).value?.trim(),
    );
  sections.forEach((s, si) => {
    const nodes = parse(s.blocks.map(wrap).join(''));
    const keys = nodes.map(
      (n) => (n.nodeName === 'div' ? n.attrs?.find((a) => a.name === 'data-key')?.value : undefined) ?? `<${n.nodeName}>`,
    );
    const want = s.blocks.map((_, i) => `k${i}`);
    if (keys.join(' ') !== want.join(' ')) {
      problems.push(`section ${si}: blocks read as [${keys.slice(0, 12).join(' ')}], not [${want.slice(0, 12).join(' ')}]`);
      return;
    }
    s.blocks.forEach((b, i) => {
      const alone = serialize(parse(wrap(b, i))[0] as never);
      const joined = serialize(nodes[i] as never);
      if (alone !== joined)
        problems.push(`section ${si} block ${i} reads differently after the blocks before it: ${JSON.stringify(joined.slice(0, 120))}`);
    });
  });
  return problems;
}
