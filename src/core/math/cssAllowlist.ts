// CSS that a formula may carry (MathJax's \style, \bbox): boxes, colours and spacing only.
// Nothing that loads a resource (url(), image-set), positions outside the formula's box
// (position, transform, z-index, negative margins) or hides page content.

const ALLOWED_PROPERTIES = new Set([
  'color',
  'background',
  'background-color',
  'border',
  'border-color',
  'border-style',
  'border-width',
  'border-radius',
  'border-top',
  'border-right',
  'border-bottom',
  'border-left',
  'padding',
  'padding-top',
  'padding-right',
  'padding-bottom',
  'padding-left',
  'margin',
  'margin-top',
  'margin-right',
  'margin-bottom',
  'margin-left',
  'width',
  'height',
  'min-width',
  'min-height',
  'max-width',
  'max-height',
  'display',
  'font-weight',
  'font-style',
  'font-size',
  'text-decoration',
  'vertical-align',
  'opacity',
  'outline',
]);

const ALLOWED_DISPLAY = new Set(['inline', 'inline-block', 'block']);
/** Values: numbers with units, colours, keywords; no functions except rgb()/rgba()/hsl()/hsla(). */
const SAFE_VALUE = /^(?:[#a-zA-Z0-9.%\s,-]|(?:rgba?|hsla?)\([0-9.,%\s]*\))+$/;
/** Largest length per unit, so that a box cannot cover the page. */
const MAX_LENGTH: Record<string, number> = { em: 100, ex: 200, rem: 100, px: 1600, pt: 1200, '%': 100, '': 1000 };
const HEX_COLOR = /#[0-9a-fA-F]{3,8}\b/g;
const NUMBER = /(-?)(\d*\.?\d+)([a-zA-Z%]*)/g;

/** Returns the allowed declarations of `css`, normalised; the empty string when none remain. */
export function sanitizeFormulaCss(css: string): string {
  const out: string[] = [];
  for (const decl of css.split(';')) {
    const colon = decl.indexOf(':');
    if (colon < 0) continue;
    const prop = decl.slice(0, colon).trim().toLowerCase();
    const value = decl.slice(colon + 1).trim();
    if (!ALLOWED_PROPERTIES.has(prop) || !value || !SAFE_VALUE.test(value)) continue;
    if (prop === 'display' && !ALLOWED_DISPLAY.has(value.toLowerCase())) continue;
    if (!lengthsAllowed(value, prop)) continue;
    out.push(`${prop}: ${value}`);
  }
  return out.join('; ');
}

/** Every number: a known unit (no vw/vh/cm/exponents), within its cap, never negative. */
function lengthsAllowed(value: string, prop: string): boolean {
  const numbers = value.replace(HEX_COLOR, '');
  if (/\d\.?e[+-]?\d/i.test(numbers)) return false; // 1e5px reads as 5px to a naive check
  for (const m of numbers.matchAll(NUMBER)) {
    const [, minus, num, unit] = m;
    if (prop === 'opacity' || prop === 'font-weight') continue;
    const limit = MAX_LENGTH[unit.toLowerCase()];
    if (limit === undefined || Number(num) > limit) return false;
    if (minus) return false;
  }
  return true;
}

/** `\bbox[options]{…}` options → CSS: a colour is the background, a length the padding. */
export function bboxOptionsToCss(options: string): string {
  const decls: string[] = [];
  for (const part of options.split(',')) {
    const p = part.trim();
    if (!p) continue;
    if (p.includes(':')) decls.push(p);
    else if (/^-?\d/.test(p)) decls.push(`padding: ${p}`);
    else decls.push(`background-color: ${p}`);
  }
  return sanitizeFormulaCss(decls.join(';'));
}
