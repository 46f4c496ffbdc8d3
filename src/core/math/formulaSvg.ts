// A formula drawn as an SVG image, for places that cannot load KaTeX's stylesheet and fonts (an
// editor hover shows Markdown whose images are its only pictures). MathJax 3 draws it: its SVG
// output is self-contained (glyphs as paths). It reads the TeX the preview hands KaTeX, after the
// note's preprocessing (macros taken out, conversion repairs, MathJax-compat rewrites, numbering as
// `\tag{n}`), so both show the same formula; the few KaTeX spellings that preprocessing writes are
// taught to MathJax below. This module is heavy (MathJax and its fonts): the extension host loads
// its bundle (dist/formulaSvg.js) on first use only.

import { mathjax } from 'mathjax-full/js/mathjax.js';
import { TeX } from 'mathjax-full/js/input/tex.js';
import { SVG } from 'mathjax-full/js/output/svg.js';
import { liteAdaptor, type LiteAdaptor } from 'mathjax-full/js/adaptors/liteAdaptor.js';
import { RegisterHTMLHandler } from 'mathjax-full/js/handlers/html.js';
import type { MathDocument } from 'mathjax-full/js/core/MathDocument.js';
import type { LiteElement } from 'mathjax-full/js/adaptors/lite/Element.js';
import { Configuration } from 'mathjax-full/js/input/tex/Configuration.js';
import { CommandMap } from 'mathjax-full/js/input/tex/SymbolMap.js';
import { Macro } from 'mathjax-full/js/input/tex/Symbol.js';
import BaseMethods from 'mathjax-full/js/input/tex/base/BaseMethods.js';
import TexError from 'mathjax-full/js/input/tex/TexError.js';
import TexParser from 'mathjax-full/js/input/tex/TexParser.js';
import { MmlMo } from 'mathjax-full/js/core/MmlTree/MmlNodes/mo.js';
import type { MmlNode } from 'mathjax-full/js/core/MmlTree/MmlNode.js';
// The TeX packages that cover what the preview accepts (KaTeX and our compat rewrites); each
// import registers its package. Not MathJax's AllPackages: that bundles ~20 more.
import 'mathjax-full/js/input/tex/base/BaseConfiguration.js';
import 'mathjax-full/js/input/tex/ams/AmsConfiguration.js';
import 'mathjax-full/js/input/tex/newcommand/NewcommandConfiguration.js';
import 'mathjax-full/js/input/tex/noundefined/NoUndefinedConfiguration.js';
import 'mathjax-full/js/input/tex/colorv2/ColorV2Configuration.js';
import 'mathjax-full/js/input/tex/color/ColorConfiguration.js';
import 'mathjax-full/js/input/tex/boldsymbol/BoldsymbolConfiguration.js';
import 'mathjax-full/js/input/tex/html/HtmlConfiguration.js';
import 'mathjax-full/js/input/tex/cancel/CancelConfiguration.js';
import 'mathjax-full/js/input/tex/mathtools/MathtoolsConfiguration.js';
import 'mathjax-full/js/input/tex/textmacros/TextMacrosConfiguration.js';
import 'mathjax-full/js/input/tex/braket/BraketConfiguration.js';
import 'mathjax-full/js/input/tex/mhchem/MhchemConfiguration.js';
import 'mathjax-full/js/input/tex/extpfeil/ExtpfeilConfiguration.js';
import 'mathjax-full/js/input/tex/amscd/AmsCdConfiguration.js';
import 'mathjax-full/js/input/tex/enclose/EncloseConfiguration.js';
import { format, msg, type Locale } from '../l10n/message';
import { MAX_FORMULA_LENGTH } from './formulaBounds';
import { MATHJAX_BASE } from './presetMacros';

export interface FormulaSvgOptions {
  display: boolean;
  /** The post's macros at the formula, as the preview has them (PreparedFormula.macros). */
  macros?: Readonly<Record<string, string>>;
  /** The editor's font size: one em of the formula (default 14). */
  fontSizePx?: number;
  /**
   * The colour of the formula: `#rgb`, `#rrggbb(aa)`, `rgb(…)`/`rgba(…)` or a colour name (anything
   * else is ignored). An SVG shown as an image is a document of its own: `currentColor` there is
   * the image's own colour (black), never the editor's, so a dark theme would show black on black.
   * The caller passes its theme's foreground (src/extension/formulaSvgLoader.ts: formulaColor).
   */
  color?: string;
  /** The language of our own refusals (MathJax's messages are English). */
  locale?: Locale;
}

/** `scale`: how much the drawing was shrunk to fit MAX_IMAGE_PX (1: not at all). */
export type FormulaSvg = { dataUri: string; widthPx: number; heightPx: number; scale: number } | { error: string };

/**
 * A drawing as a hover may show it: shrunk to under half its size a formula is unreadable, and its
 * image is large (a 4 000-term sum: 0.9 MB the extension host would take in as one message), so
 * such a drawing becomes a message saying so.
 */
export function forHover(drawn: FormulaSvg, locale?: Locale): FormulaSvg {
  if ('error' in drawn) return drawn;
  if (drawn.scale < MIN_IMAGE_SCALE)
    return {
      error: format(
        msg(
          'Too large to draw in a hover ({0} × {1} px at the editor’s font size)',
          Math.round(drawn.widthPx / drawn.scale),
          Math.round(drawn.heightPx / drawn.scale),
        ),
        locale,
      ),
    };
  if (drawn.dataUri.length > MAX_IMAGE_CHARS)
    return { error: format(msg('Too large to draw in a hover ({0} KB of image)', Math.round(drawn.dataUri.length / 1024)), locale) };
  return drawn;
}

/**
 * Characters one formula may have MathJax parse: its own and what its macros add as they expand.
 * MathJax's own bounds count expansions (maxMacros) and the buffer left to parse (maxBuffer), not
 * what they add up to: a 5 000-character body used 1 000 times passes both and parses 5 M
 * characters. One total for both, as the cost follows what is parsed: the corpus's largest
 * expansion adds 1 136 characters to a 2 874-character formula. SECURITY.md has the cost at the bound.
 */
export const MAX_PARSED_CHARS = 10000;

/**
 * The longest TeX drawn: half the preview's MAX_FORMULA_LENGTH. A hover is drawn in the extension
 * host, which nothing may hold for long, and MathJax is slower than KaTeX: a flat `x+x+…` of 8 000
 * characters takes ~0.8 s. The corpus's longest formula is ~7 000 characters.
 */
export const MAX_DRAWN_LENGTH = MAX_FORMULA_LENGTH / 2;

/** MathJax's count of macro expansions per formula: KaTeX's maxExpand in the preview. */
const MAX_MACROS = 1000;

/** The largest side of the image, in px: a formula beyond it is scaled down to fit. */
export const MAX_IMAGE_PX = 4096;
/** Below this scale (the formula shrunk to fit MAX_IMAGE_PX) a drawing is not shown. */
export const MIN_IMAGE_SCALE = 0.5;
/** The largest SVG a hover gets (the extension host takes the whole image in as one message). */
export const MAX_IMAGE_CHARS = 256 * 1024;

const DEFAULT_FONT_SIZE_PX = 14;

interface Engine {
  adaptor: LiteAdaptor;
  tex: TeX<LiteElement, unknown, unknown>;
  svg: SVG<LiteElement, unknown, unknown>;
  doc: MathDocument<LiteElement, unknown, unknown>;
  /** The table of macros defined by \newcommand, \def…: the note's macros go there. */
  newCommands: CommandMap;
  /** Other tables a formula's own \def, \let, \newenvironment write to (cleared between formulas). */
  definedElsewhere: Array<{ map: Map<string, unknown> }>;
  xHeight: number;
}

let engine: Engine | undefined;
/** What the formula being drawn has had parsed so far, its own and expanded (undefined outside `formulaSvg`). */
let expansionMeter: { chars: number } | undefined;

/**
 * The spellings our preprocessing writes for KaTeX that MathJax spells differently: \htmlStyle (what
 * \style and \bbox became, CSS already filtered), \htmlClass (a class, meaningless in an image),
 * \char"2124 (what \unicode became); and KaTeX commands the corpus uses that MathJax lacks.
 */
const KATEX_SPELLINGS = 'mathnotes-katex';
new CommandMap(
  KATEX_SPELLINGS,
  {
    htmlStyle: ['Macro', '\\style{#1}{#2}', 2],
    htmlClass: ['Macro', '{#2}', 2],
    char: 'Char',
    textcircled: ['Macro', '\\enclose{circle}{#1}', 1],
  },
  {
    Macro: BaseMethods.Macro,
    Char(parser: TexParser, name: unknown) {
      const m = /^\s*(?:"([0-9A-Fa-f]{1,6})|'([0-7]{1,8})|(\d{1,7}))/.exec(parser.string.slice(parser.i));
      const code = m ? parseInt(m[1] ?? m[2] ?? m[3], m[1] ? 16 : m[2] ? 8 : 10) : NaN;
      if (!m || !(code > 0 && code <= 0x10ffff) || (code >= 0xd800 && code <= 0xdfff)) {
        throw new TexError('MissingNumber', 'Missing number, treated as zero', String(name));
      }
      parser.i += m[0].length;
      parser.Push(parser.create('token', 'mtext', {}, String.fromCodePoint(code)));
    },
  },
);
Configuration.create(KATEX_SPELLINGS, { handler: { macro: [KATEX_SPELLINGS] } });

/**
 * `\color{c}{x}` colours x only, as in MathJax 2 (the blog's engine) and the preview
 * (colorIsTextColor): colorv2's \color, listed after color, replaces color's; \textcolor, \colorbox and
 * \definecolor stay.
 */
const PACKAGES = [
  'base',
  'ams',
  'newcommand',
  'noundefined',
  'color',
  'colorv2',
  'boldsymbol',
  'html',
  'cancel',
  'mathtools',
  'textmacros',
  'braket',
  'mhchem',
  'extpfeil',
  'amscd',
  'enclose',
  KATEX_SPELLINGS,
];

function createEngine(): Engine {
  const adaptor = liteAdaptor();
  RegisterHTMLHandler(adaptor);
  const tex = new TeX<LiteElement, unknown, unknown>({
    packages: PACKAGES,
    tags: 'none', // numbers come as \tag{n} from our numbering, as the preview shows them
    maxMacros: MAX_MACROS,
    // What is left to parse: the formula and what its expansions add (our meter stops first).
    maxBuffer: MAX_PARSED_CHARS + 1,
    formatError: (_jax: unknown, err: Error) => {
      throw err;
    },
  });
  const svg = new SVG<LiteElement, unknown, unknown>({ fontCache: 'local' });
  const doc = mathjax.document('', { InputJax: tex, OutputJax: svg }) as MathDocument<LiteElement, unknown, unknown>;
  const handlers = (tex.parseOptions as unknown as { handlers: { retrieve(name: string): unknown } }).handlers;
  const newCommands = handlers.retrieve('new-Command') as CommandMap;
  const definedElsewhere = ['new-Delimiter', 'new-Environment'].map((name) => handlers.retrieve(name) as { map: Map<string, unknown> });
  meterExpansion();
  fixOperatorForms();
  return {
    adaptor,
    tex,
    svg,
    doc,
    newCommands,
    definedElsewhere,
    xHeight: (svg.font as unknown as { params: { x_height: number } }).params.x_height,
  };
}

/**
 * Every expansion in MathJax (a macro, an environment, \newcommand's) replaces the parser's string
 * by what it expands to followed by what was left: the meter counts what was put in front.
 */
function meterExpansion(): void {
  const proto = TexParser.prototype as unknown as { _string: string; i: number };
  Object.defineProperty(TexParser.prototype, 'string', {
    configurable: true,
    get(this: typeof proto) {
      return this._string;
    },
    set(this: typeof proto, value: string) {
      const meter = expansionMeter;
      if (meter && typeof this._string === 'string') {
        const rest = this._string.length - this.i;
        // `x^2` inserts a space inside what is left: only a string that ends with the rest is an expansion.
        const added =
          rest >= 0 && value.length >= rest && value.endsWith(this._string.slice(this.i))
            ? value.length - rest
            : Math.max(0, value.length - this._string.length);
        meter.chars += added;
        if (meter.chars > MAX_PARSED_CHARS) throw new ExpansionLimit();
      }
      this._string = value;
    },
  });
}

/**
 * MathJax's own choice of an operator's form (prefix, infix, postfix), with one cost removed: it
 * counted every child of the operator's row for each operator, to learn whether the row has more
 * than one, which made a flat row of n operators cost n² (`x+x+…` of 8 000 characters: 2.5 s).
 */
function fixOperatorForms(): void {
  MmlMo.prototype.getForms = function (this: MmlMo): [string, string, string] {
    let core: MmlNode = this;
    let parent = this.parent;
    let Parent = this.Parent;
    while (Parent && Parent.isEmbellished) {
      core = parent;
      parent = Parent.parent;
      Parent = Parent.Parent;
    }
    if (parent && parent.isKind('mrow') && !hasOneNonSpaceChild(parent)) {
      const row = parent as MmlNode & { firstNonSpace(): MmlNode | null; lastNonSpace(): MmlNode | null };
      if (row.firstNonSpace() === core) return ['prefix', 'infix', 'postfix'];
      if (row.lastNonSpace() === core) return ['postfix', 'infix', 'prefix'];
    }
    return ['infix', 'prefix', 'postfix'];
  };
}

/** Whether a row has exactly one child that is not space (MathJax's `nonSpaceLength() === 1`, stopping at two). */
function hasOneNonSpaceChild(row: MmlNode): boolean {
  let n = 0;
  for (const child of row.childNodes) if (child && !(child as MmlNode).isSpacelike && ++n > 1) return false;
  return n === 1;
}

class ExpansionLimit extends Error {}

/** KaTeX's arity of a macro body: #1, #2 … as long as they follow on (`##` is a literal `#`). */
function arity(body: string): number {
  const stripped = body.replace(/##/g, '');
  let n = 0;
  while (n < 9 && stripped.includes(`#${n + 1}`)) n++;
  return n;
}

/**
 * The note's macros as MathJax's \newcommand would define them; the presets that only stand in for
 * a MathJax command KaTeX lacks (\iiiint, \overparen…) are left out, MathJax has the original.
 */
function defineMacros(e: Engine, macros: Readonly<Record<string, string>>): void {
  (e.newCommands as unknown as { map: Map<string, unknown> }).map.clear();
  for (const m of e.definedElsewhere) m.map.clear();
  for (const [name, body] of Object.entries(macros)) {
    if (!/^\\(?:[A-Za-z@]+|[^A-Za-z@])$/.test(name) || MATHJAX_BASE[name] === body) continue;
    const cs = name.slice(1);
    e.newCommands.add(cs, new Macro(cs, BaseMethods.Macro, [body, arity(body)]));
  }
}

/** A colour safe to write into the SVG's style (see FormulaSvgOptions.color). */
function safeColor(color: string | undefined): string | undefined {
  if (color === undefined) return undefined;
  const c = color.trim();
  return /^#[0-9a-f]{3,8}$/i.test(c) || /^rgba?\(\s*[\d.%\s,/]+\)$/i.test(c) || /^[a-z]{3,30}$/i.test(c) ? c : undefined;
}

const exValue = (text: string | null | undefined): number => {
  const m = /^(-?[\d.]+)ex$/.exec(text?.trim() ?? '');
  return m ? Number(m[1]) : NaN;
};

const round = (x: number) => Math.round(x * 100) / 100;

export function formulaSvg(tex: string, opts: FormulaSvgOptions): FormulaSvg {
  const locale = opts.locale ?? 'en';
  if (tex.length > MAX_DRAWN_LENGTH) {
    return { error: format(msg('Formula too long to render ({0} characters; the limit is {1})', tex.length, MAX_DRAWN_LENGTH), locale) };
  }
  const fontSizePx =
    opts.fontSizePx !== undefined && opts.fontSizePx >= 4 && opts.fontSizePx <= 200 ? opts.fontSizePx : DEFAULT_FONT_SIZE_PX;
  const e = (engine ??= createEngine());
  defineMacros(e, opts.macros ?? {});
  let container: LiteElement;
  try {
    container = convert(e, tex, opts.display, fontSizePx);
  } catch (err) {
    if (err instanceof ExpansionLimit) {
      return {
        error: format(
          msg(
            'Not drawn: with its macros expanded it is longer than {0} characters (a macro used too often, or nested too deep?)',
            MAX_PARSED_CHARS,
          ),
          locale,
        ),
      };
    }
    if (err instanceof RangeError)
      return { error: format(msg('Too deeply nested or recursive to render (a macro that calls itself?)'), locale) };
    return { error: String((err as Error)?.message ?? err) };
  }
  return imageOf(e, container, fontSizePx, safeColor(opts.color));
}

function convert(e: Engine, tex: string, display: boolean, fontSizePx: number): LiteElement {
  const once = (text: string) => {
    e.tex.reset(); // labels and tags of an earlier formula are not this one's
    expansionMeter = { chars: text.length };
    try {
      return e.doc.convert(text, { display, em: fontSizePx, ex: fontSizePx * e.xHeight, containerWidth: 80 * fontSizePx }) as LiteElement;
    } finally {
      expansionMeter = undefined;
    }
  };
  try {
    return once(tex);
  } catch (err) {
    // KaTeX numbers a whole `aligned` by a \tag in one of its rows; MathJax wants it outside.
    const moved = err instanceof TexError && /^\\tag not allowed/.test(err.message) ? tagMovedOut(tex) : undefined;
    if (moved === undefined) throw err;
    return once(moved);
  }
}

const TAG = /\\tag\s*\*?\s*\{((?:[^{}]|\{[^{}]*\})*)\}/g;

/** The formula with its last \tag moved to its end (before a closing \end{equation*}), the others dropped. */
function tagMovedOut(tex: string): string | undefined {
  const tags = [...tex.matchAll(TAG)];
  if (!tags.length) return undefined;
  const rest = tex.replace(TAG, '');
  const end = /\\end\s*\{equation\*\}\s*$/.exec(rest);
  const at = end ? end.index : rest.length;
  return `${rest.slice(0, at)}\\tag{${tags[tags.length - 1][1]}}${rest.slice(at)}`;
}

/** The `<svg>` MathJax made, sized in px (an image has no surrounding ex) and coloured, as a data URI. */
function imageOf(e: Engine, container: LiteElement, fontSizePx: number, color: string | undefined): FormulaSvg {
  const { adaptor } = e;
  const svg = adaptor.firstChild(container) as LiteElement;
  const exPx = fontSizePx * e.xHeight;
  const height = exValue(adaptor.getAttribute(svg, 'height')) * exPx;
  // A display with a tag is as wide as its container (the tag goes to the right edge): MathJax sets
  // its least width apart, and draws in px (its transform scales to the ex we gave it).
  const percent = /%$/.test(adaptor.getAttribute(svg, 'width') ?? '');
  const width = (percent ? exValue(adaptor.getStyle(svg, 'min-width')) : exValue(adaptor.getAttribute(svg, 'width'))) * exPx;
  if (!(width > 0 && height > 0)) return { error: 'MathJax drew nothing' };
  if (percent) adaptor.setAttribute(svg, 'viewBox', `0 0 ${round(width)} ${round(height)}`);
  const fit = Math.min(1, MAX_IMAGE_PX / width, MAX_IMAGE_PX / height);
  const widthPx = round(width * fit);
  const heightPx = round(height * fit);
  adaptor.setAttribute(svg, 'width', `${widthPx}`);
  adaptor.setAttribute(svg, 'height', `${heightPx}`);
  adaptor.removeAttribute(svg, 'style'); // vertical-align and min-width: the page's business, not the image's
  if (color) adaptor.setAttribute(svg, 'color', color);
  const markup = adaptor.outerHTML(svg).replace(/ data-(?:mml-node|c)="[^"]*"/g, '');
  return { dataUri: `data:image/svg+xml;base64,${base64(markup)}`, widthPx, heightPx, scale: fit };
}

const BASE64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';

/** UTF-8 then base64 (a formula's text may hold any character; btoa takes Latin-1 only, and slowly). */
function base64(text: string): string {
  const bytes = new TextEncoder().encode(text);
  const out: string[] = [];
  let i = 0;
  for (; i + 2 < bytes.length; i += 3) {
    const n = (bytes[i] << 16) | (bytes[i + 1] << 8) | bytes[i + 2];
    out.push(BASE64[n >> 18] + BASE64[(n >> 12) & 63] + BASE64[(n >> 6) & 63] + BASE64[n & 63]);
  }
  if (i < bytes.length) {
    const n = (bytes[i] << 16) | ((bytes[i + 1] ?? 0) << 8);
    out.push(BASE64[n >> 18] + BASE64[(n >> 12) & 63] + (i + 1 < bytes.length ? BASE64[(n >> 6) & 63] : '=') + '=');
  }
  return out.join('');
}
