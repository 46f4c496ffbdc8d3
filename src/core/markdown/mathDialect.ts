// How a note was written for its site. Typora, Obsidian, VS Code and the blogs hand the TeX to
// the math engine as written. mdBook, kramdown (Jekyll) and GitHub pages with a MathJax add-on run
// Markdown first, and Markdown eats one backslash before MathJax sees the page: their authors write
// `\\(x\\)` for `\(x\)`, `\\\\` for a row break, `\_` for `_`, `\\{` for `\{`. Read such a note the
// way its site does, or it renders (and lints) wrong: a row break becomes two, a subscript a
// literal underscore.

import type { Replacement } from '../math/editedString';

export interface MathDialect {
  /** `\\(…\\)` and `\\[…\\]` delimit math (mdBook): their TeX is read with Markdown's escapes undone. */
  escapedBrackets: boolean;
  /** `$…$`, `$$…$$` and bare environments too are read with Markdown's escapes undone (kramdown, GitHub + MathJax). */
  escapedDollars: boolean;
}

export const PLAIN_DIALECT: MathDialect = { escapedBrackets: false, escapedDollars: false };

const DOLLAR_MATH = /\$\$([\s\S]*?)\$\$|\$([^$\n]+)\$/g;
/** `\\\\` as a row break (not html2text's `\\\\[5pt]`). */
const DOUBLED_ROW_BREAK = /(?<!\\)\\\\\\\\(?![\\[])/g;
/** `\_`: an underscore escaped for Markdown (TeX needs none in math). */
const ESCAPED_UNDERSCORE = /(?<!\\)\\_/g;
/** What Markdown would break: a single `\\` row break, `\{`, `\|`, `\,` … written once. */
const SINGLE_ESCAPES = /(?<!\\)\\\\(?![\\{}|])|(?<!\\)\\[{}|,;!#%&]/g;
/**
 * html2text's `\\\` (a row break, then a stray backslash before a line break or a letter): a
 * converted blog, not a Markdown site. (`\\\}` is Markdown's `\\` and `\}`: a `\}` for MathJax.)
 */
const TRIPLE = /(?<!\\)\\\\\\(?![\\!-/:-@[-`{-~])/;

/**
 * The dialect of a post body, from the text its parse shows as prose and math (code, HTML blocks
 * and front matter left out: `blockText` gives that text): mdBook's `\\(…\\)` pairs; for the
 * rest, formulas that double what Markdown would eat (`\\\\` rows, `\_`) and never write a single
 * escape it would break.
 */
export function detectMathDialect(body: string, blockText: (body: string) => string): MathDialect {
  if (!body.includes('\\\\') && !body.includes('\\_')) return PLAIN_DIALECT;
  const text = blockText(body).replace(/(`+)(?!`)[^\n]*?(?<!`)\1(?!`)/g, '');
  const escapedBrackets = /(?<!\\)\\\\\((?!\\)[\s\S]{0,2000}?(?<!\\)\\\\\)/.test(text) || /^[ \t>]*\\\\\[[ \t]*$[\s\S]*?^[ \t>]*\\\\\][ \t]*$/m.test(text);
  let doubled = 0;
  let single = 0;
  let triple = false;
  for (const m of text.matchAll(DOLLAR_MATH)) {
    const tex = m[1] ?? m[2];
    doubled += count(tex, DOUBLED_ROW_BREAK) + count(tex, ESCAPED_UNDERSCORE);
    single += count(tex, SINGLE_ESCAPES);
    if (TRIPLE.test(tex)) triple = true;
  }
  return { escapedBrackets, escapedDollars: doubled >= 2 && 4 * single <= doubled && !triple };
}

function count(s: string, re: RegExp): number {
  let n = 0;
  for (const _ of s.matchAll(re)) n++;
  return n;
}

/** Markdown's backslash escapes undone (a backslash before ASCII punctuation), as edits with a source map. */
export function markdownUnescapeEdits(tex: string): Replacement[] {
  const out: Replacement[] = [];
  for (let i = tex.indexOf('\\'); i >= 0 && i < tex.length - 1; i = tex.indexOf('\\', i + 1)) {
    if (/[!-/:-@[-`{-~]/.test(tex[i + 1])) {
      out.push({ start: i, end: i + 1, text: '' });
      i++; // the escaped character is kept as it is, even a backslash
    }
  }
  return out;
}
