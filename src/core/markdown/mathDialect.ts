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

/** A doubled row break or `\\_` (kramdown/GitHub), an escaped `\\(` or a `\\[` line (mdBook). */
const MAY_HAVE_DIALECT = /\\\\\\\\|\\_|(?<!\\)\\\\\((?!\\)|^[ \t>]*\\\\\[[ \t]*$/m;

/** What one part of a body's prose and math says about its dialect (memoised by the part's text). */
interface PartReading {
  escapedParens: boolean;
  /** A `\\[` alone on a line: with a `\\]` line later (maybe in another part), mdBook's display. */
  bracketLine: boolean;
  doubled: number;
  single: number;
  triple: boolean;
}

/**
 * The parts of a body to read: `count` slots, each a part's text or nothing (`textOf`), and where
 * to remember each part's reading (`memo[k]`: the body parse's side table, which an edit carries
 * over for the tokens it leaves, so an edit reads only the parts it changed and no list of a long
 * note's parts is made per keystroke).
 */
export interface DialectParts {
  count: number;
  textOf(k: number): string | undefined;
  memo?: unknown[];
}

function readPart(part: string): PartReading {
  const text = part.replace(/(`+)(?!`)[^\n]*?(?<!`)\1(?!`)/g, '');
  const r = {
    escapedParens: /(?<!\\)\\\\\((?!\\)[\s\S]{0,2000}?(?<!\\)\\\\\)/.test(text),
    bracketLine: BRACKET_LINE.test(text),
    doubled: 0,
    single: 0,
    triple: false,
  };
  for (const m of text.matchAll(DOLLAR_MATH)) {
    const tex = m[1] ?? m[2];
    r.doubled += count(tex, DOUBLED_ROW_BREAK) + count(tex, ESCAPED_UNDERSCORE);
    r.single += count(tex, SINGLE_ESCAPES);
    if (TRIPLE.test(tex)) r.triple = true;
  }
  return r;
}

const BRACKET_LINE = /^[ \t>]*\\\\\[[ \t]*$/m;

/**
 * The dialect of a post body, from the text its parse shows as prose and math (code, HTML blocks
 * and front matter left out: `parts` gives that text, a part per paragraph or display): mdBook's
 * `\\(…\\)` pairs; for the rest, formulas that double what Markdown would eat (`\\\\` rows,
 * `\_`) and never write a single escape it would break. Each part is read once (an edit changes
 * one or two of them).
 */
export function detectMathDialect(body: string, parts: (body: string) => DialectParts): MathDialect {
  // What either reading needs somewhere in the body (the parse's text is part of it): most notes
  // have none, and are not parsed a second time.
  if (!MAY_HAVE_DIALECT.test(body)) return PLAIN_DIALECT;
  const all = parts(body);
  let escapedBrackets = false;
  let bracketLines = false;
  let doubled = 0;
  let single = 0;
  let triple = false;
  const { count: n, textOf, memo } = all;
  for (let k = 0; k < n; k++) {
    let r = memo?.[k] as PartReading | undefined;
    if (!r) {
      const text = textOf(k);
      if (text === undefined) continue;
      r = readPart(text);
      if (memo) memo[k] = r;
    }
    escapedBrackets ||= r.escapedParens;
    bracketLines ||= r.bracketLine;
    doubled += r.doubled;
    single += r.single;
    triple ||= r.triple;
  }
  if (!escapedBrackets && bracketLines) {
    const texts: string[] = [];
    for (let k = 0; k < n; k++) {
      const text = textOf(k);
      if (text !== undefined) texts.push(text);
    }
    const text = texts.join('\n\n').replace(/(`+)(?!`)[^\n]*?(?<!`)\1(?!`)/g, '');
    escapedBrackets = /^[ \t>]*\\\\\[[ \t]*$[\s\S]*?^[ \t>]*\\\\\][ \t]*$/m.test(text);
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
