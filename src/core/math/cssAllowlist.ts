// CSS that a formula may carry (MathJax's \style, \bbox): boxes, colours and spacing only.
// Nothing that loads a resource (url(), image-set), positions outside the formula's box
// (position, transform, z-index, negative margins) or hides page content.

const ALLOWED_PROPERTIES = new Set([
  'color', 'background', 'background-color', 'border', 'border-color', 'border-style', 'border-width',
  'border-radius', 'border-top', 'border-right', 'border-bottom', 'border-left', 'padding', 'padding-top',
  'padding-right', 'padding-bottom', 'padding-left', 'margin', 'margin-top', 'margin-right', 'margin-bottom',
  'margin-left', 'width', 'height', 'min-width', 'min-height', 'max-width', 'max-height', 'display',
  'font-weight', 'font-style', 'font-size', 'text-decoration', 'vertical-align', 'opacity', 'outline',
]);

const ALLOWED_DISPLAY = new Set(['inline', 'inline-block', 'block']);
/** Values: numbers with units, colours, keywords; no functions except rgb()/rgba()/hsl()/hsla(). */
const SAFE_VALUE = /^(?:[#a-zA-Z0-9.%\s,-]|(?:rgba?|hsla?)\([0-9.,%\s]*\))+$/;
const MAX_LENGTH = 100; // em/ex/px cap so that a box cannot cover the page

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
    if (prop.startsWith('margin') && /-\s*\d/.test(value)) continue;
    if (/(\d+(?:\.\d+)?)\s*(?:em|ex|px|rem|pt)/.test(value) && tooLarge(value)) continue;
    out.push(`${prop}: ${value}`);
  }
  return out.join('; ');
}

function tooLarge(value: string): boolean {
  for (const m of value.matchAll(/(\d+(?:\.\d+)?)\s*(em|ex|px|rem|pt)/g)) {
    const n = Number(m[1]);
    const limit = m[2] === 'px' || m[2] === 'pt' ? MAX_LENGTH * 16 : MAX_LENGTH;
    if (n > limit) return true;
  }
  return false;
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
