// Raw HTML in notes (`<center>`, `<br>`, `<sup>`, `<img width>`, `<details>`, `<a id>` anchors,
// `<table>`, `<font color>`, `<span style>`, comments), rendered through ONE policy: this module.
// The preview, the CLI and export all render through the markdown engine, so all of them get it.
//
// - Every `html_block` and `html_inline` token goes through sanitize-html with the allowlist
//   below (elements, attributes and their values). Everything else is dropped: event handlers,
//   `script`/`style`/`iframe`/`object`/`embed`/`form`/`input`/`meta`/`link`/`base`/`svg`/`math`
//   (the content of script, style and the like with them), classes (the page's own CSS must not
//   apply), comments, processing instructions, CDATA.
// - Links and images follow the Markdown links' policy (`linkPolicy.ts`); an `<a>` that links
//   nowhere is written as a `<span>`. An `id` (or an `<a name>`) lives in the post's namespace
//   (`mn-p0-h-name`, PostMath.htmlId), and a link to `#name` — Markdown or HTML — leads there
//   (PostMath.htmlAnchor), in the preview and in export alike.
// - `style` is filtered here (sanitize-html's own parser needs postcss, which needs Node): a
//   handful of properties, each with a value pattern; nothing that loads, positions or runs.
// - A tag name that is no HTML element (`<eos>`, `<T>`, `<my-widget>`) was never meant as
//   markup (html2text unescapes `&lt;eos&gt;`): it stays text.
// - Every block's HTML is balanced, and nested as a browser nests it: the preview joins blocks'
//   HTML into one page, where an element left open, or closed by the browser where we did not
//   close it, would change the blocks after it. An HTML block is sanitized on its own: what it
//   leaves open closes at its end — except a flow container (`<details>`, `<div>` …) that a later
//   HTML block closes within MAX_WRAP_LINES: the two are sanitized together, the Markdown between
//   renders inside it, and the block cutter keeps them in one block (`wrapperGroups`).
//   Inline HTML opens only what a paragraph may hold (phrasing
//   elements), closed by its end tag, before the Markdown element around it closes, or at the
//   paragraph's end. Tags that sanitize-html's parser and a browser's would nest differently are
//   changed until they agree (`nestAsBrowsers`). At most MAX_HTML_DEPTH raw elements nest.
// - Math in an HTML block's text is typeset (MathJax typesets text in HTML elements), with the
//   same finder as prose, `\(…\)` included in a `$` note (no Markdown escape reaches HTML text);
//   inside `<pre>` and `<code>` it stays text, as MathJax leaves it; attributes, comments and
//   scripts are no text.
// - An HTML block that would run to the end of its container because its closer never comes
//   (`<script>`, `<style>`, `<pre>`, `<textarea>`, `<!--`, `<?`, `<!X`, `<![CDATA[` without their
//   end) is no block: the line is prose, so an unclosed `<!--` cannot hide the rest of a note.

import MarkdownIt = require('markdown-it');
import sanitizeHtml from 'sanitize-html';
// Required, not imported: the copy sanitize-html requires (an import takes the package's ESM build: a second copy in the bundles).
import htmlparser2 = require('htmlparser2');
import type { PostMath } from '../math/postMath';
import { isAllowedLink } from './linkPolicy';
import { mathSyntax, TOKEN } from './mathSyntax';

type Markdown = InstanceType<typeof MarkdownIt>;
type Token = MarkdownIt.Token;
type StateCore = MarkdownIt.StateCore;
type StateBlock = MarkdownIt.StateBlock;

/** How deep a note's raw elements may nest (in one HTML block, or in one paragraph): deeper tags are dropped, their text kept. */
export const MAX_HTML_DEPTH = 32;

const GLOBAL_ATTRIBUTES = ['title', 'align', 'style', 'id'];

/**
 * The elements a note's HTML may use, with the attributes each may carry besides the global ones
 * (their values are checked in `cleanAttributes`). Change what notes may write here.
 */
export const ALLOWED_ELEMENTS: Readonly<Record<string, readonly string[]>> = {
  // blocks
  div: [],
  p: [],
  center: [],
  blockquote: [],
  pre: [],
  hr: [],
  br: [],
  h1: [],
  h2: [],
  h3: [],
  h4: [],
  h5: [],
  h6: [],
  ul: [],
  ol: ['start', 'type', 'reversed'],
  li: ['value'],
  dl: [],
  dt: [],
  dd: [],
  table: ['width', 'border', 'cellpadding', 'cellspacing'],
  caption: [],
  thead: [],
  tbody: [],
  tfoot: [],
  tr: ['valign'],
  th: ['colspan', 'rowspan', 'width', 'height', 'valign'],
  td: ['colspan', 'rowspan', 'width', 'height', 'valign'],
  details: ['open'],
  summary: [],
  figure: [],
  figcaption: [],
  // text
  a: ['href', 'name'],
  img: ['src', 'alt', 'width', 'height'],
  font: ['color', 'size'],
  span: [],
  abbr: [],
  b: [],
  big: [],
  cite: [],
  code: [],
  del: [],
  dfn: [],
  em: [],
  i: [],
  ins: [],
  kbd: [],
  mark: [],
  q: [],
  s: [],
  samp: [],
  small: [],
  strike: [],
  strong: [],
  sub: [],
  sup: [],
  tt: [],
  u: [],
  var: [],
  wbr: [],
  ruby: [],
  rt: [],
  rp: [],
};

const VOID = new Set(['br', 'hr', 'img', 'wbr']);

/** What may stand inside a paragraph (HTML's phrasing content): the elements inline HTML may open. */
const PHRASING = new Set([
  'a',
  'img',
  'font',
  'span',
  'br',
  'abbr',
  'b',
  'big',
  'cite',
  'code',
  'del',
  'dfn',
  'em',
  'i',
  'ins',
  'kbd',
  'mark',
  'q',
  's',
  'samp',
  'small',
  'strike',
  'strong',
  'sub',
  'sup',
  'tt',
  'u',
  'var',
  'wbr',
  'ruby',
  'rt',
  'rp',
]);

/** Refused elements whose content goes with them (code, CSS, a frame's fallback …), not only their tags. */
const NON_TEXT = [
  'script',
  'style',
  'textarea',
  'option',
  'select',
  'xmp',
  'iframe',
  'noembed',
  'noframes',
  'noscript',
  'plaintext',
  'template',
  'title',
  'object',
  'svg',
  'math',
];

// Where sanitize-html's parser (htmlparser2) and a browser's (the WHATWG algorithm) would build
// different trees from the same tags, the tags are changed until they agree, so that the end tags
// we write close what we opened and nothing else: a browser that closes an element early (`<li>`
// closes an `<li>` above it through `<div>`s, `<p>`s and inline elements; a block element closes
// an open `<p>` and everything inside it) leaves our end tag to close the page's own block, and
// re-creates formatting elements it closed (`<a id>`, `<b>` …, ids and all) further on — in the
// next block, even.

/** List items, table parts and cells stand only in their parent, or their tags are dropped (their text kept). */
const PARENTS: Readonly<Record<string, readonly string[]>> = {
  li: ['ul', 'ol'],
  dt: ['dl'],
  dd: ['dl'],
  caption: ['table'],
  thead: ['table'],
  tbody: ['table'],
  tfoot: ['table'],
  tr: ['table', 'thead', 'tbody', 'tfoot'],
  td: ['tr'],
  th: ['tr'],
  rt: ['ruby'],
  rp: ['ruby'],
};

/** A table and its rows hold only their parts (anything else a browser moves out of the table). */
const CHILDREN: Readonly<Record<string, readonly string[]>> = {
  table: ['caption', 'thead', 'tbody', 'tfoot', 'tr'],
  thead: ['tr'],
  tbody: ['tr'],
  tfoot: ['tr'],
  tr: ['td', 'th'],
};

/** Start tags that make a browser close an open `<p>` (and all inside it) first. */
const CLOSES_P = new Set([
  'blockquote',
  'center',
  'details',
  'div',
  'dl',
  'figcaption',
  'figure',
  'ol',
  'p',
  'summary',
  'ul',
  'h1',
  'h2',
  'h3',
  'h4',
  'h5',
  'h6',
  'pre',
  'table',
  'hr',
  'dd',
  'dt',
  'li',
]);
/** Where a browser stops looking for that `<p>` (the edge of "button scope" among our elements). */
const P_SCOPE_EDGE = new Set(['table', 'td', 'th', 'caption']);

/**
 * A formatting element's id (`<a id>`, `<b id>` …) moved to an empty `<span>` just before it: a
 * browser re-creates a formatting element it closed early (a link inside a link, a formula's
 * `\eqref` inside `<a>`), attributes and all, and the id would stand twice.
 */
const FORMATTING_ID = /<(a|b|big|code|em|font|i|s|small|strike|strong|tt|u)((?: [^>]*?)?) id="([^"]*)"/g;
const detachIds = (html: string) => html.replace(FORMATTING_ID, '<span id="$3"></span><$1$2');

/** Whether a browser builds `name` where it stands: in `parent` (undefined: in Markdown's element), inside a link or not. */
function placeable(name: string, parent: string | undefined, inLink: boolean): boolean {
  if (name === 'a' && inLink) return false; // a browser closes the outer link first
  const parents = PARENTS[name];
  if (parents) return parent !== undefined && parents.includes(parent);
  const children = parent === undefined ? undefined : CHILDREN[parent];
  return !children || children.includes(name);
}

/** The elements of HTML (with obsolete ones browsers still build): any other `<name>` is text. */
const HTML_ELEMENTS = new Set([
  ...Object.keys(ALLOWED_ELEMENTS),
  ...NON_TEXT,
  'acronym',
  'address',
  'applet',
  'area',
  'article',
  'aside',
  'audio',
  'base',
  'basefont',
  'bdi',
  'bdo',
  'bgsound',
  'blink',
  'body',
  'button',
  'canvas',
  'col',
  'colgroup',
  'content',
  'data',
  'datalist',
  'dialog',
  'dir',
  'element',
  'embed',
  'fieldset',
  'footer',
  'form',
  'frame',
  'frameset',
  'head',
  'header',
  'hgroup',
  'html',
  'image',
  'input',
  'isindex',
  'keygen',
  'label',
  'legend',
  'link',
  'listing',
  'main',
  'map',
  'marquee',
  'menu',
  'menuitem',
  'meta',
  'meter',
  'multicol',
  'nav',
  'nextid',
  'nobr',
  'optgroup',
  'output',
  'param',
  'picture',
  'portal',
  'progress',
  'rb',
  'rtc',
  'search',
  'section',
  'shadow',
  'slot',
  'source',
  'spacer',
  'track',
  'video',
  // SVG's and MathML's, which a browser builds inside <svg> and <math> (refused, like them)
  'animate',
  'animatemotion',
  'animatetransform',
  'circle',
  'clippath',
  'defs',
  'desc',
  'ellipse',
  'feimage',
  'filter',
  'foreignobject',
  'g',
  'line',
  'lineargradient',
  'marker',
  'mask',
  'path',
  'pattern',
  'polygon',
  'polyline',
  'radialgradient',
  'rect',
  'set',
  'stop',
  'symbol',
  'text',
  'textpath',
  'tspan',
  'use',
  'annotation',
  'annotation-xml',
  'maction',
  'menclose',
  'merror',
  'mfrac',
  'mglyph',
  'mi',
  'mmultiscripts',
  'mn',
  'mo',
  'mover',
  'mpadded',
  'mphantom',
  'mroot',
  'mrow',
  'ms',
  'mspace',
  'msqrt',
  'mstyle',
  'msub',
  'msubsup',
  'msup',
  'mtable',
  'mtd',
  'mtext',
  'mtr',
  'munder',
  'munderover',
  'semantics',
]);

// ---- attribute values ---------------------------------------------------------------------------

const COLOR =
  /^(?:#[0-9a-f]{3,8}|[a-z]{3,20}|(?:rgb|hsl)a?\(\s*[\d.]{1,5}(?:%|deg)?\s*,\s*[\d.]{1,5}%?\s*,\s*[\d.]{1,5}%?\s*(?:,\s*[\d.]{1,5}%?\s*)?\))$/;
const LENGTH = /^(?:auto|\d{1,4}(?:\.\d{1,3})?(?:px|em|rem|pt|%)|0)$/;

/** The CSS a note's element may carry: each property with the values it may take. */
const STYLE_VALUES: Readonly<Record<string, RegExp>> = {
  color: COLOR,
  'background-color': COLOR,
  'text-align': /^(?:left|right|center|justify|start|end)$/,
  'font-size': /^(?:\d{1,3}(?:\.\d{1,3})?(?:px|pt|em|rem|%)|(?:xx?-)?(?:small|large)|medium|smaller|larger)$/,
  'font-weight': /^(?:normal|bold|bolder|lighter|[1-9]00)$/,
  'font-style': /^(?:normal|italic|oblique)$/,
  'text-decoration': /^(?:none|underline|overline|line-through)(?: (?:underline|overline|line-through))*$/,
  'vertical-align': /^(?:baseline|sub|super|top|middle|bottom|text-top|text-bottom)$/,
  width: LENGTH,
  height: LENGTH,
  'max-width': LENGTH,
};

/** A `style` attribute cut down to the allowlist ('' when nothing is left). */
export function cleanStyle(style: string): string {
  // Nothing that escapes, comments or quotes can hide a second meaning in what is kept.
  if (/[\\"'<>@]|\/\*/.test(style)) return '';
  const kept: string[] = [];
  for (const decl of style.split(';')) {
    const colon = decl.indexOf(':');
    if (colon < 0) continue;
    const property = decl.slice(0, colon).trim().toLowerCase();
    const value = decl
      .slice(colon + 1)
      .replace(/!\s*important/i, '')
      .trim()
      .toLowerCase()
      .replace(/\s+/g, ' ');
    if (STYLE_VALUES[property]?.test(value)) kept.push(`${property}:${value}`);
  }
  return kept.join(';');
}

/** A URL as a browser reads it (tabs and newlines dropped, controls and spaces trimmed), or undefined when no link may go there. */
function cleanUrl(value: string, image: boolean): string | undefined {
  const url = value.replace(/[\t\n\r]/g, '').replace(/^[\u0000-\u0020]+|[\u0000-\u0020]+$/g, '');
  if (/[\u0000-\u001f\u007f]/.test(url) || !isAllowedLink(url)) return undefined;
  if (image && url.startsWith('#')) return undefined;
  return url;
}

/** What an anchor names, as written (`#a%20b` and `id="a b"` are the same place). */
function fragmentName(href: string): string {
  try {
    return decodeURIComponent(href);
  } catch {
    return href;
  }
}

const ALIGN = /^(?:left|right|center|justify|top|middle|bottom)$/;
const NUMBER = (max: number) => (v: string) => /^\d{1,6}$/.test(v) && Number(v) <= max;
const CHECKS: Readonly<Record<string, (value: string, tag: string) => boolean>> = {
  align: (v) => ALIGN.test(v.toLowerCase()),
  valign: (v) => /^(?:top|middle|bottom|baseline)$/i.test(v),
  width: (v) => /^\d{1,4}(?:\.\d{1,3})?(?:%|px)?$/.test(v),
  height: (v) => /^\d{1,4}(?:\.\d{1,3})?(?:%|px)?$/.test(v),
  color: (v) => COLOR.test(v.toLowerCase()),
  size: (v) => /^[+-]?[1-7]$/.test(v),
  colspan: NUMBER(100),
  rowspan: NUMBER(100),
  border: NUMBER(20),
  cellpadding: NUMBER(50),
  cellspacing: NUMBER(50),
  start: (v) => /^-?\d{1,6}$/.test(v),
  value: (v) => /^-?\d{1,6}$/.test(v),
  type: (v) => /^[1aAiI]$/.test(v),
  reversed: () => true,
  open: () => true,
  title: () => true,
  alt: () => true,
};

/** Where ids and anchors go: the post's namespace (no PostMath, no ids at all). */
interface IdSpace {
  id(name: string): string | undefined;
  anchor(name: string): string | undefined;
  /** How many ids and anchors it has given out (a result that used none may be remembered). */
  uses: number;
}

function idSpace(math: PostMath | undefined): IdSpace {
  const space: IdSpace = {
    id: (name) => (space.uses++, math && name ? math.htmlId(name) : undefined),
    anchor: (name) => (space.uses++, math && name ? math.htmlAnchor(name) : undefined),
    uses: 0,
  };
  return space;
}

/**
 * Sanitized HTML by source, for short HTML that gave out no id or anchor (the same `<br>`,
 * `</div>` or `<div align="center">` recurs through a note): sanitize-html's setup is most of its
 * cost (~50 µs a call).
 */
const memo = new Map<string, string>();
function remembered(source: string, ids: IdSpace, sanitize: () => string): string {
  const hit = memo.get(source);
  if (hit !== undefined) return hit;
  const before = ids.uses;
  const out = sanitize();
  if (ids.uses === before && source.length <= 2000) {
    if (memo.size >= 1000) memo.delete(memo.keys().next().value!);
    memo.set(source, out);
  }
  return out;
}

/** A tag's attributes as the policy keeps them (values trimmed and checked; ids and anchors in the post's namespace). */
function cleanAttributes(tag: string, attributes: Record<string, string>, ids: IdSpace): Record<string, string> {
  const allowed = ALLOWED_ELEMENTS[tag];
  const out: Record<string, string> = {};
  if (!allowed) return out;
  for (const [name, raw] of Object.entries(attributes)) {
    if (!allowed.includes(name) && !GLOBAL_ATTRIBUTES.includes(name)) continue;
    // Where the blocks of a wrapper meet is text, never an attribute (`wrappedContents`).
    if (raw.includes(SEAM)) continue;
    const value = raw.trim();
    if (name === 'id' || name === 'name') {
      // `<a name>` is an anchor too; on anything else `name` only clobbers page globals.
      if (name === 'name' && ('id' in attributes || tag !== 'a')) continue;
      const id = ids.id(value);
      if (id) out.id = id;
    } else if (name === 'href' || name === 'src') {
      const url = cleanUrl(raw, name === 'src');
      if (url === undefined) continue;
      if (url.startsWith('#')) {
        const anchor = ids.anchor(fragmentName(url.slice(1)));
        if (anchor) out.href = `#${anchor}`;
      } else out[name] = url;
    } else if (name === 'style') {
      const style = cleanStyle(value);
      if (style) out.style = style;
    } else if (CHECKS[name]?.(value, tag)) {
      out[name] = value;
    }
  }
  return out;
}

// ---- sanitize-html ------------------------------------------------------------------------------

const ALLOWED_ATTRIBUTES: Record<string, string[]> = { '*': GLOBAL_ATTRIBUTES };
for (const [tag, attributes] of Object.entries(ALLOWED_ELEMENTS)) ALLOWED_ATTRIBUTES[tag] = attributes.filter((a) => a !== 'name');

function sanitizeOptions(ids: IdSpace): sanitizeHtml.IOptions {
  return {
    allowedTags: Object.keys(ALLOWED_ELEMENTS),
    allowedAttributes: ALLOWED_ATTRIBUTES,
    allowedClasses: {},
    // Our checks decide (cleanAttributes); sanitize-html's own scheme check is a second line.
    allowedSchemes: ['http', 'https', 'mailto'],
    allowedSchemesByTag: { a: ['http', 'https', 'mailto', 'data'], img: ['http', 'https', 'data'] },
    allowedSchemesAppliedToAttributes: ['href', 'src'],
    allowProtocolRelative: true,
    disallowedTagsMode: 'discard',
    nonTextTags: NON_TEXT,
    selfClosing: [...VOID],
    // postcss (style parsing) needs Node; `style` is filtered by cleanStyle instead.
    parseStyleAttributes: false,
    nestingLimit: MAX_HTML_DEPTH,
    transformTags: {
      '*': (tagName: string, attribs: Record<string, string>) => {
        const clean = cleanAttributes(tagName, attribs, ids);
        // An `<a>` that links nowhere (`<a id="x">`, `<a name="x">`) is an anchor: a span, which
        // no browser closes early or re-creates, and which may stand inside a link.
        return { tagName: tagName === 'a' && !clean.href ? 'span' : tagName, attribs: clean };
      },
    },
  };
}

/** `<name` where name is no HTML element: text, not a tag (only ever turns markup into text). */
function escapeUnknownTags(html: string): string {
  return html.replace(/<(\/?)([A-Za-z][A-Za-z0-9-]*)/g, (m, slash: string, name: string) =>
    HTML_ELEMENTS.has(name.toLowerCase()) ? m : `&lt;${slash}${name}`,
  );
}

/**
 * How deep sanitize-html's parser may nest (all tags, refused ones too): htmlparser2 keeps its open
 * elements in an array it grows at the front, so its cost grows with the square of the depth
 * (100 000 nested `<div>`s: 6 s). Start tags deeper than this are dropped before it parses, with
 * as many end tags of their names: a linear pass, and what is dropped was past MAX_HTML_DEPTH anyway.
 */
export const MAX_PARSE_DEPTH = 256;
const HTML_VOID = new Set([
  'area',
  'base',
  'br',
  'col',
  'embed',
  'hr',
  'img',
  'input',
  'keygen',
  'link',
  'meta',
  'param',
  'source',
  'track',
  'wbr',
]);

function boundDepth(html: string): string {
  let tags = 0;
  for (let i = html.indexOf('<'); i >= 0 && tags <= MAX_PARSE_DEPTH; i = html.indexOf('<', i + 1)) tags++;
  if (tags <= MAX_PARSE_DEPTH) return html;
  let depth = 0;
  const dropped = new Map<string, number>();
  return html.replace(/<(\/?)([A-Za-z][A-Za-z0-9-]*)[^>]*>/g, (tag, slash: string, written: string) => {
    const name = written.toLowerCase();
    if (HTML_VOID.has(name)) return tag;
    if (slash) {
      const n = dropped.get(name) ?? 0;
      if (n > 0) {
        dropped.set(name, n - 1);
        return '';
      }
      depth = Math.max(0, depth - 1);
      return tag;
    }
    if (depth >= MAX_PARSE_DEPTH) {
      dropped.set(name, (dropped.get(name) ?? 0) + 1);
      return '';
    }
    depth++;
    return tag;
  });
}

function sanitizeBlock(html: string, options: sanitizeHtml.IOptions): string {
  return detachIds(nestAsBrowsers(sanitizeHtml(escapeUnknownTags(boundDepth(html)), options)));
}

/** An HTML fragment (an HTML block) through the policy: balanced, nested as a browser reads it. */
export function sanitizeFragment(html: string, math?: PostMath): string {
  return sanitizeBlock(html, sanitizeOptions(idSpace(math)));
}

/** sanitize-html's output: well-formed tags (attribute values quoted and escaped) and escaped text. */
const PIECE = /<(\/?)([a-z][a-z0-9]*)[^>]*>|[^<]+/g;

/** An element of sanitize-html's output; `open`: written by us and not closed yet. */
interface Element {
  name: string;
  open: boolean;
}

/** The innermost element of ours still open (below `end`). */
function openParent(stack: readonly Element[], end = stack.length): string | undefined {
  for (let i = end - 1; i >= 0; i--) if (stack[i].open) return stack[i].name;
  return undefined;
}

/**
 * sanitize-html's output nested as a browser nests it: tags a browser would place elsewhere
 * (`placeable`) are dropped with their end tags (their content kept), and before a start tag that
 * makes a browser close an open `<p>`, that `<p>` is closed by us — with everything inside it,
 * whose end tags are dropped further on.
 */
function nestAsBrowsers(html: string): string {
  if (!/<(?:li|d[dt]|t[dhr]|thead|tbody|tfoot|caption|r[tp]|a|p|table)\b/.test(html)) return html;
  const stack: Element[] = [];
  let out = '';
  for (const m of html.matchAll(PIECE)) {
    const name = m[2];
    if (name === undefined) {
      out += m[0];
      continue;
    }
    if (m[1]) {
      const top = stack.pop();
      if (top && top.name === name) {
        if (top.open) out += m[0];
      } else if (top) stack.push(top); // not ours to close (never happens in sanitize-html's output)
      continue;
    }
    // Where the `<p>` this tag would close stands (-1: none).
    let p = -1;
    if (CLOSES_P.has(name)) {
      for (let i = stack.length - 1; i >= 0 && !P_SCOPE_EDGE.has(stack[i].name); i--) {
        if (stack[i].open && stack[i].name === 'p') {
          p = i;
          break;
        }
      }
    }
    const end = p >= 0 ? p : stack.length;
    const inLink = stack.slice(0, end).some((e) => e.open && e.name === 'a');
    const ok = placeable(name, openParent(stack, end), inLink);
    if (ok && p >= 0) {
      for (let i = stack.length - 1; i >= p; i--) {
        if (!stack[i].open) continue;
        out += `</${stack[i].name}>`;
        stack[i].open = false;
      }
    }
    if (ok) out += m[0];
    if (!VOID.has(name)) stack.push({ name, open: ok });
  }
  return out;
}

// ---- HTML elements that wrap Markdown ---------------------------------------------------------

/**
 * Elements an HTML block may leave open around the Markdown after it, up to the HTML block that
 * closes them (`<details><summary>证明</summary>`, blank line, Markdown, blank line, `</details>`):
 * flow containers, in which a browser keeps the paragraphs, lists and formulas put there.
 */
const WRAPPERS = new Set(['details', 'div', 'center', 'blockquote', 'figure', 'li', 'dd', 'td', 'th']);

/**
 * How far below its opener a wrapper's closer may come, in source lines: the opener, the closer
 * and all between are one block of the page (re-rendered whole on an edit inside), so an element
 * never closed must not hold the rest of the note. The corpus's longest `<details>` is 149 lines.
 */
export const MAX_WRAP_LINES = 400;

/** What an HTML block does to the elements around it: end tags it has nothing of its own to close, and the wrappers it leaves open. */
export interface TagBalance {
  closes: string[];
  opens: string[];
  /** End tags for what else it leaves open (not a wrapper, or inside one that is not): it closes that itself. */
  shut: string;
}

const COMMENT = /<!--[\s\S]*?(?:-->|$)/g;
const NON_TEXT_CONTENT = new RegExp(`<(${NON_TEXT.join('|')})\\b[\\s\\S]*?(?:</\\1\\s*>|$)`, 'gi');
const TAGS = /<(\/?)([A-Za-z][A-Za-z0-9-]*)[^<>]*>/g; // not across another `<`: linear

/**
 * The tags of an HTML block's source, balanced as sanitize-html's parser would balance them
 * (near enough: it only decides which HTML blocks are sanitized together; what is kept is decided
 * by sanitizing them). Undefined when the block leaves nothing open and closes nothing.
 */
export function tagBalance(html: string): TagBalance | undefined {
  if (!html.includes('<')) return undefined;
  const stack: string[] = [];
  const closes: string[] = [];
  for (const m of html.replace(COMMENT, '').replace(NON_TEXT_CONTENT, '').matchAll(TAGS)) {
    const name = m[2].toLowerCase();
    if (!(name in ALLOWED_ELEMENTS) || VOID.has(name)) continue;
    if (m[1]) {
      const at = stack.lastIndexOf(name);
      if (at >= 0) stack.length = at;
      else if (closes.length < MAX_PARSE_DEPTH) closes.push(name);
      continue;
    }
    if (CLOSES_P.has(name)) {
      const p = stack.lastIndexOf('p');
      if (p >= 0) stack.length = p;
    }
    if (stack.length < MAX_PARSE_DEPTH) stack.push(name);
  }
  if (!closes.length && !stack.length) return undefined;
  let wraps = 0;
  while (wraps < stack.length && WRAPPERS.has(stack[wraps])) wraps++;
  const shut = stack
    .slice(wraps)
    .reverse()
    .map((name) => `</${name}>`)
    .join('');
  return { closes, opens: stack.slice(0, wraps), shut };
}

const balanceOf = (t: Token) => (t.type === 'html_block' ? (t.meta as { html?: TagBalance } | null)?.html : undefined);

/**
 * The HTML blocks that wrap Markdown, each group as the indices of its HTML blocks (in the same
 * container as the first, which opens what the last closes): a wrapper opened in an HTML block
 * is closed by the first HTML block after it that closes it, if one does within MAX_WRAP_LINES;
 * else the block closes it itself. The block cutter (`render/blocks.ts`) keeps each group in one
 * block, and the page sanitizes it as one fragment: a part of a body cut outside groups has the
 * groups the whole body has there. Linear: each opener looks at most MAX_WRAP_LINES ahead.
 */
export function wrapperGroups(tokens: readonly Token[]): number[][] {
  const groups: number[][] = [];
  for (let i = 0; i < tokens.length; i++) {
    const first = balanceOf(tokens[i]);
    if (!first?.opens.length || !tokens[i].map) continue;
    const level = tokens[i].level;
    const startLine = tokens[i].map![0];
    const open = [...first.opens];
    const members = [i];
    for (let j = i + 1; j < tokens.length; j++) {
      const t = tokens[j];
      if (t.level < level || (t.map && t.map[0] - startLine > MAX_WRAP_LINES)) break;
      if (t.level !== level || t.type !== 'html_block') continue;
      members.push(j);
      const balance = balanceOf(t);
      if (!balance) continue;
      for (const name of balance.closes) {
        const at = open.lastIndexOf(name);
        if (at >= 0) open.length = at;
      }
      if (!open.length && !balance.opens.length) {
        groups.push(members);
        i = j;
        break;
      }
      open.push(...balance.opens);
    }
  }
  return groups;
}

/** Between the HTML blocks of a group while they are sanitized as one (text, and never in a note: checked). */
const SEAM = '\uFDD0';

/**
 * A group's HTML blocks sanitized as one fragment and split back where they met: the opener's
 * elements open in its token, closed in the closer's, with the Markdown between inside them.
 * Undefined when a seam did not come out as text where it went in (inside a comment, a script …).
 */
function wrappedContents(contents: string[], sanitize: (html: string) => string): string[] | undefined {
  if (contents.some((c) => c.includes(SEAM))) return undefined;
  const pieces = sanitize(contents.join(SEAM)).split(SEAM);
  return pieces.length === contents.length ? pieces : undefined;
}

// ---- HTML blocks: math in their text ----------------------------------------------------------

/** Finds math in an HTML block's text with the prose's rules, and nothing else of Markdown. */
let mathTextEngine: Markdown | undefined;
function mathText(): Markdown {
  if (!mathTextEngine) {
    // An opener without a closer in HTML text is shown as text and reported, as in prose.
    mathTextEngine = new MarkdownIt('zero').use(mathSyntax);
  }
  return mathTextEngine;
}

const MAY_HOLD_MATH = /[$\\]/;

/**
 * How an HTML block's text is read for math: as MathJax reads the page's text, with `\(…\)` and
 * `\[…\]` delimiters whatever the note's Markdown uses (no Markdown escape reached HTML text, so
 * nothing there was written as `\(` to show a bracket) and no site dialect (that undoes Markdown's
 * escapes). One per parse, so the parse's scanning budget is shared by all its HTML text.
 */
const htmlTextEnvs = new WeakMap<object, object>();
function htmlTextEnv(env: object): object {
  let e = htmlTextEnvs.get(env);
  if (!e) htmlTextEnvs.set(env, (e = { ...env, bracketDelimiters: true, dialect: undefined }));
  return e;
}
const decodeText = (s: string) =>
  s
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&amp;/g, '&');

/**
 * The pieces of a sanitized HTML block as inline tokens: markup as `html_inline`, math found in
 * its text (outside `<pre>` and `<code>`) as formula tokens; undefined when there is no math.
 */
function blockChildren(state: StateCore, html: string): Token[] | undefined {
  if (!MAY_HOLD_MATH.test(html)) return undefined;
  const children: Token[] = [];
  let pending = '';
  let code = 0;
  let found = false;
  for (const m of html.matchAll(PIECE)) {
    const name = m[2];
    if (name !== undefined) {
      // A piece of a wrapper's HTML may close what an earlier piece opened.
      if (name === 'pre' || name === 'code') code = Math.max(0, code + (m[1] ? -1 : 1));
      pending += m[0];
      continue;
    }
    if (code > 0 || !MAY_HOLD_MATH.test(m[0])) {
      pending += m[0];
      continue;
    }
    const text = decodeText(m[0]);
    const parsed = mathText().parseInline(text, htmlTextEnv(state.env as object))[0]?.children ?? [];
    if (!parsed.some((t) => t.type !== 'text')) {
      pending += m[0];
      continue;
    }
    found = true;
    for (const t of parsed) {
      if (t.type === 'text') {
        pending += escapeText(t.content);
        continue;
      }
      if (t.type === TOKEN.unclosed) {
        // Where it stands in the block's HTML, which is what mathRendering.ts places it by.
        const meta = t.meta as { offset: number };
        meta.offset = m.index! + escapeText(text.slice(0, meta.offset)).replace(/"/g, '&quot;').length;
      }
      if (pending) children.push(htmlPiece(state, pending));
      pending = '';
      children.push(t);
    }
  }
  if (!found) return undefined;
  if (pending) children.push(htmlPiece(state, pending));
  return children;
}

const escapeText = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

function htmlPiece(state: StateCore, html: string): Token {
  const t = new state.Token('html_inline', '', 0);
  t.content = html;
  return t;
}

// ---- inline HTML: one tag at a time, balanced within its paragraph ---------------------------

const TAG = /^<(\/?)([A-Za-z][A-Za-z0-9-]*)/;

interface Open {
  /** A raw element's name as written (what its end tag says), or undefined for Markdown's own (emphasis, link …). */
  name?: string;
  /** The name it was written out as (`<a>` without a link is a `<span>`). */
  as?: string;
  /** Markdown's element: its token type. */
  markdown?: string;
}

/**
 * A paragraph's inline tokens with its HTML tags through the policy: each open tag sanitized on
 * its own, closed by its end tag, before the Markdown element around it closes, or at the end of
 * the paragraph; an end tag with nothing of its own to close is dropped.
 */
function sanitizeInline(state: StateCore, children: Token[], ids: IdSpace, options: () => sanitizeHtml.IOptions): Token[] {
  const out: Token[] = [];
  const stack: Open[] = [];
  let depth = 0;
  const close = (name: string) => out.push(htmlPiece(state, `</${name}>`));
  /** Closes raw elements down to (not past) the innermost Markdown element; with `name`, down to that element, if it is open there. */
  const closeTo = (name?: string): boolean => {
    let at = stack.length - 1;
    while (at >= 0 && stack[at].name !== undefined && stack[at].name !== name) at--;
    if (name !== undefined && (at < 0 || stack[at].name !== name)) return false;
    const stop = name !== undefined ? at : at + 1;
    for (let i = stack.length - 1; i >= stop; i--) {
      close(stack[i].as!);
      depth--;
    }
    stack.length = stop;
    return true;
  };
  for (const child of children) {
    if (child.type !== 'html_inline') {
      if (child.nesting === 1) stack.push({ markdown: child.type });
      else if (child.nesting === -1) {
        closeTo();
        stack.pop();
      }
      out.push(child);
      continue;
    }
    const newlines = countNewlines(child.content);
    const keep = (t: Token) => {
      if (newlines) t.meta = { ...(t.meta ?? {}), newlines };
      out.push(t);
    };
    // What is not shown still stood on its lines (later formulas are placed by counting them), and
    // a comment may direct lint: kept as a piece that renders nothing.
    const hide = () => {
      const comment = child.content.startsWith('<!--');
      if (!newlines && !comment) return;
      const t = new state.Token(TOKEN.hiddenHtml, '', 0);
      if (comment) t.content = child.content;
      t.meta = child.meta; // where it stood (placedHtmlInline)
      keep(t);
    };
    const tag = TAG.exec(child.content);
    if (!tag) {
      hide(); // a comment, processing instruction, declaration or CDATA: never shown
      continue;
    }
    const name = tag[2].toLowerCase();
    if (!HTML_ELEMENTS.has(name)) {
      // Not markup at all (`<eos>`): the text it is.
      const text = new state.Token('text', '', 0);
      text.content = child.content;
      keep(text);
      continue;
    }
    if (tag[1]) {
      if (PHRASING.has(name) && !VOID.has(name)) closeTo(name);
      hide();
      continue;
    }
    const parent = stack.length ? stack[stack.length - 1].name : undefined;
    const inLink = stack.some((e) => e.as === 'a' || e.markdown === 'link_open');
    // In a paragraph (a heading, a cell …) only what a paragraph may hold: a block element there
    // would make a browser close the paragraph around it (dropped here, its text kept).
    if (!PHRASING.has(name) || !placeable(name, parent, inLink) || (!VOID.has(name) && depth >= MAX_HTML_DEPTH)) {
      hide();
      continue;
    }
    const clean = remembered(`i${child.content}`, ids, () => sanitizeHtml(child.content, options()));
    const as = /^<([a-z][a-z0-9]*)/.exec(clean)?.[1];
    if (as === undefined) {
      hide();
      continue;
    }
    const open = clean.endsWith(`</${as}>`) ? clean.slice(0, -`</${as}>`.length) : clean;
    child.content = detachIds(open);
    keep(child);
    if (!VOID.has(name)) {
      stack.push({ name, as });
      depth++;
    }
  }
  while (stack.length) {
    const top = stack.pop()!;
    if (top.as !== undefined) close(top.as);
  }
  return out;
}

function countNewlines(s: string): number {
  let n = 0;
  for (let i = s.indexOf('\n'); i >= 0; i = s.indexOf('\n', i + 1)) n++;
  return n;
}

// ---- links to anchors ---------------------------------------------------------------------------

/** A Markdown link to `#name` leads where the post's HTML put `id="name"`. */
function anchorLink(token: Token, ids: IdSpace): void {
  const href = token.attrGet('href');
  if (!href?.startsWith('#')) return;
  const anchor = ids.anchor(fragmentName(href.slice(1)));
  if (anchor) token.attrSet('href', `#${anchor}`);
}

// ---- the plugin ---------------------------------------------------------------------------------

/** The closers of HTML block kinds 1–5 (CommonMark), which run on past blank lines until they come. */
const CLOSERS: Array<[RegExp, RegExp]> = [
  [/^<(?:script|pre|style|textarea)(?=\s|>|$)/i, /<\/(?:script|pre|style|textarea)>/i],
  [/^<!--/, /-->/],
  [/^<\?/, /\?>/],
  [/^<![A-Za-z]/, />/],
  [/^<!\[CDATA\[/, /\]\]>/],
];

type BlockRule = (state: StateBlock, startLine: number, endLine: number, silent: boolean) => boolean;
type InlineRule = (state: MarkdownIt.StateInline, silent: boolean) => boolean;

/**
 * An env key: the first line of an HTML block of kind 1–5 whose closer was looked for to the end of
 * the parsed text and did not come (so it is no block). More text could bring the closer: a parse
 * of a prefix of a note (render/blockParse.ts, markdown/postParse.ts) is then not the whole one's.
 */
export const HTML_READ_TO_END = 'htmlReadToEnd';

/**
 * The comments of an HTML block as written, each with its line in the block (the sanitizer drops
 * them; lint reads its directives in them). Found by the HTML parser the sanitizer uses, so a
 * comment-like text in an attribute, a `<script>`, `<style>` or `<textarea>` is none.
 */
function commentsIn(html: string): Array<{ text: string; line: number }> | undefined {
  if (!html.includes('<!--')) return undefined;
  const found: Array<{ text: string; line: number }> = [];
  let line = 0;
  let from = 0;
  const parser = new htmlparser2.Parser({
    oncomment(data) {
      const at = parser.startIndex;
      if (html.slice(parser.endIndex - 2, parser.endIndex + 1) !== '-->') return; // unclosed: ran to the block's end
      line += countNewlines(html.slice(from, at));
      from = at;
      found.push({ text: `<!--${data}-->`, line });
    },
  });
  parser.end(html);
  return found.length ? found : undefined;
}

/** markdown-it's html_block rule, except that a kind 1–5 block whose closer never comes is no block. */
function closedHtmlBlocks(md: Markdown): void {
  const rules = (md.block.ruler as unknown as { __rules__: Array<{ name: string; fn: BlockRule; alt: string[] }> }).__rules__;
  const original = rules.find((r) => r.name === 'html_block');
  if (!original) return;
  const htmlBlock = original.fn;
  md.block.ruler.at(
    'html_block',
    (state, startLine, endLine, silent) => {
      const before = state.tokens.length;
      if (!htmlBlock(state, startLine, endLine, silent)) return false;
      if (silent) return true;
      const token = state.tokens[state.tokens.length - 1];
      const first = token.content.trimStart();
      const closer = CLOSERS.find(([open]) => open.test(first))?.[1];
      // The opener itself may hold `>`-like closers (`<!X>`): look past it.
      if (closer && !closer.test(first.slice(first.startsWith('<!--') ? 2 : 1))) {
        // Its closer may come past the end of this text: a parse of part of a note must read on (HTML_READ_TO_END).
        if (token.map && token.map[1] >= state.lineMax) {
          const env = state.env as Record<string, number | undefined>;
          env[HTML_READ_TO_END] = Math.min(env[HTML_READ_TO_END] ?? Infinity, startLine);
        }
        state.tokens.length = before;
        state.line = startLine;
        // It looked to the end of the input for its closer: text added there may bring one (blockParse.ts).
        if (endLine >= state.lineMax) {
          const env = state.env as { readToEnd?: number };
          env.readToEnd = Math.min(env.readToEnd ?? Infinity, startLine);
        }
        return false;
      }
      const balance = tagBalance(token.content);
      const comments = commentsIn(token.content);
      if (balance || comments) token.meta = { ...(balance ? { html: balance } : {}), ...(comments ? { comments } : {}) };
      return true;
    },
    { alt: [...original.alt] },
  );
}

/** markdown-it's html_inline rule, its token marked with where it starts in the inline content (mathRendering.ts places a comment by it). */
function placedHtmlInline(md: Markdown): void {
  const rules = (md.inline.ruler as unknown as { __rules__: Array<{ name: string; fn: InlineRule }> }).__rules__;
  const original = rules.find((r) => r.name === 'html_inline')?.fn;
  if (!original) return;
  md.inline.ruler.at('html_inline', (state, silent) => {
    const start = state.pos;
    const before = state.tokens.length;
    if (!original(state, silent)) return false;
    if (!silent && state.tokens.length > before) {
      const token = state.tokens[state.tokens.length - 1];
      token.meta = { ...(token.meta ?? {}), offset: start, length: state.pos - start };
    }
    return true;
  });
}

export function rawHtml(md: Markdown): void {
  closedHtmlBlocks(md);
  placedHtmlInline(md);
  md.core.ruler.before('mn_prepare_math', 'mn_raw_html', (state) => {
    // Most blocks hold no HTML and no link: nothing is set up until a token needs it.
    let ids: IdSpace | undefined;
    const idsOf = () => (ids ??= idSpace((state.env as { math?: PostMath }).math));
    let options: sanitizeHtml.IOptions | undefined;
    const sanitize = (key: string, html: string) =>
      remembered(key, idsOf(), () => sanitizeBlock(html, (options ??= sanitizeOptions(idsOf()))));
    // HTML blocks that wrap Markdown are sanitized together, when the first is reached (ids are
    // given out in the same order however the body is cut); the rest one by one.
    let groups: Map<number, number[]> | undefined;
    const done = new Set<Token>();
    state.tokens.forEach((token, i) => {
      if (token.type === 'html_block') {
        groups ??= new Map(wrapperGroups(state.tokens).map((g) => [g[0], g]));
        const group = groups.get(i);
        if (group) {
          const blocks = group.map((k) => state.tokens[k]);
          const pieces = wrappedContents(
            blocks.map((t) => t.content + (balanceOf(t)?.shut ?? '')),
            (html) => sanitize(`g${html}`, html),
          );
          if (pieces) blocks.forEach((t, k) => ((t.content = pieces[k]), done.add(t)));
        }
        const source = token.content;
        if (!done.has(token)) token.content = sanitize(`b${source}`, source);
        const children = blockChildren(state, token.content);
        if (children) token.children = children;
      } else if (token.type === 'inline' && token.children) {
        let html = false;
        let links = false;
        for (const c of token.children) {
          if (c.type === 'html_inline') html = true;
          else if (c.type === 'link_open') links = true;
        }
        if (html) token.children = sanitizeInline(state, token.children, idsOf(), () => (options ??= sanitizeOptions(idsOf())));
        if (html || links) for (const c of token.children) if (c.type === 'link_open') anchorLink(c, idsOf());
      }
    });
  });
  md.renderer.rules[TOKEN.hiddenHtml] = () => '';
  const renderHtmlBlock = md.renderer.rules.html_block;
  md.renderer.rules.html_block = (tokens, idx, options, env, self) => {
    const token = tokens[idx];
    if (token.children) return self.renderInline(token.children, options, env);
    return renderHtmlBlock ? renderHtmlBlock(tokens, idx, options, env, self) : token.content;
  };
}
