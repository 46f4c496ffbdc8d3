// What markdown-it parses for one post, and with which options: the page, lint and the snippet
// finder all take a post's structure from here, so none of them can disagree with what the page
// shows (a second fence scanner once ran code the page did not show).

import type MarkdownIt = require('markdown-it');
import type { NoteFormat } from '../note/types';
import { markdownEngine, type Markdown } from './engine';
import { detectMathDialect, PLAIN_DIALECT, type DialectParts, type MathDialect } from './mathDialect';
import { TOKEN, usesDollarMath } from './mathSyntax';
import { bodyBlockTokens, hasReferenceDefinition, parseBlocks } from '../render/blocks';
import { tokenMemo } from '../render/blockParse';
import { endsDisplaysAbove, isHardStop } from './mathFinder';
import { HTML_READ_TO_END } from './rawHtml';
import { endsSomeLine, firstIndentedLt } from './lineTests';

type Token = MarkdownIt.Token;

export interface PostParseInput {
  /** The text markdown-it parses (the body). */
  source: string;
  /** Whether `\(…\)` and `\[…\]` delimit math in this post (else they are escaped brackets). */
  bracketDelimiters: boolean;
  /** How the post's site reads its TeX (Markdown's escapes first, or not). */
  dialect: MathDialect;
}

export function postParseInput(format: NoteFormat, body: string): PostParseInput {
  return { source: body, ...postParseOptions(format, body) };
}

/**
 * The options a post body is parsed with, read from the whole body: whether `\(…\)` and `\[…\]`
 * delimit math, and the dialect. The page (postParseInput) and every part of the body (PostParts)
 * take them from here, so a part is parsed as the whole is. `whereMathIs`: only as much of the
 * dialect as decides where math is (what a part's parse needs) — it moves math only where
 * `\\(…\\)` or a `\\[` line may delimit it (mdBook); elsewhere it changes how TeX is read, never
 * where math is, and detecting it costs a parse of the whole body.
 */
export function postParseOptions(
  format: NoteFormat,
  body: string,
  whereMathIs = false,
): { bracketDelimiters: boolean; dialect: MathDialect } {
  if (format !== 'markdown') return { bracketDelimiters: true, dialect: PLAIN_DIALECT };
  // The title (PostParts) and the page read the same body one after the other: each scan of a
  // 50 KB note costs tens of microseconds a keystroke.
  const read =
    lastRead?.body === body
      ? lastRead
      : (lastRead = { body, bracketDelimiters: !usesDollarMath(body), mayMoveMath: body.includes('\\\\(') || endsSomeLine(body, '\\\\[') });
  const { bracketDelimiters } = read;
  if (whereMathIs && !read.mayMoveMath) return { bracketDelimiters, dialect: PLAIN_DIALECT };
  read.dialect ??= detectMathDialect(body, () => proseAndMath(body, bracketDelimiters));
  return { bracketDelimiters, dialect: read.dialect };
}

/** What postParseOptions read from the latest body. */
let lastRead: { body: string; bracketDelimiters: boolean; mayMoveMath: boolean; dialect?: MathDialect } | undefined;

/**
 * What a plain parse of the body shows as prose and math, in order, a part per paragraph or
 * display (`$$` blocks with their delimiters): the text a dialect is read from, without code, HTML
 * blocks or anything else the page does not hand to a math engine. The parse is the one the page
 * cut reuses across edits (`render/blockParse.ts`).
 */
function proseAndMath(source: string, bracketDelimiters: boolean): DialectParts {
  const md = markdownEngine('markdown');
  const tokens = bodyBlockTokens(md, source, { bracketDelimiters, dialect: PLAIN_DIALECT });
  const textOf = (i: number): string | undefined => {
    const t = tokens[i];
    if (t.type === 'inline') return t.content;
    if (t.type === TOKEN.block) return t.markup === 'dollars' ? `$$${t.content}$$` : t.content;
    return undefined;
  };
  // Each part's reading is kept beside the parse's tokens, which an edit keeps around itself.
  return { count: tokens.length, textOf, memo: tokenMemo(tokens) };
}

/**
 * The block-level tokens of a post body, with their `map` in body lines, exactly as the page's own
 * parse makes them: the same engine, source and options, the parse the block cutter takes its
 * cuts from (`render/blocks.ts`), block rules only (no formula is prepared, so no math state is needed).
 */
export function postBlockTokens(format: NoteFormat, body: string): Token[] {
  const md = markdownEngine(format);
  const input = postParseInput(format, body);
  return bodyBlockTokens(md, input.source, { bracketDelimiters: input.bracketDelimiters, dialect: input.dialect });
}

/** A post's structure as its page parses it: block tokens (maps in body lines), inline children on demand. */
export interface PostStructure {
  md: Markdown;
  /** The block parse's env (its link references), which inline parses of its tokens share. */
  env: object;
  tokens: Token[];
  /** The body lines parsed: [line, endLine). */
  line: number;
  endLine: number;
  /** Whether the parse runs to the body's end. */
  complete: boolean;
  /** The inline tokens whose children have been parsed. */
  inlineParsed: Set<Token>;
}

/** A part of a post body: its lines [line, endLine), from character `start` to `end`. */
export interface BodyPart {
  start: number;
  end: number;
  line: number;
  endLine: number;
}

/** The block tokens of a post body (or a part of it: PostParts.parse) as the page parses it. */
export function postStructure(format: NoteFormat, body: string, part?: BodyPart): PostStructure {
  return new PostParts(format, body).parse(part);
}

/**
 * Fills the children of these inline tokens of `structure` as the page's parse does (markdown-it's
 * inline rules, then its core rules after them: adjacent text joined, escapes and entities decoded).
 */
export function parseInlineTokens(structure: PostStructure, inlines: Token[]): void {
  const todo = inlines.filter((t) => !structure.inlineParsed.has(t));
  if (todo.length === 0) return;
  for (const t of todo) structure.inlineParsed.add(t);
  const { md, env } = structure;
  // A core pass over these tokens alone: its block rule parses the empty source, adding nothing.
  const state = new md.core.State('', md, env);
  state.tokens = todo;
  md.core.process(state);
}

let latest: PostParts | undefined;

/** A display opener inside a paragraph's text (the paragraph rule's own cheap test). */
const MAY_OPEN_DISPLAY = /\$\$|\\\[|\\begin/;

/**
 * Whether the parse of a part gave its lines what the whole body's parse gives them. A part ends
 * before a line no display can run into (PostParts): what it holds is parsed as in the whole body,
 * except a display that needed what lies past the end — its closer, or the closer of a display
 * opened after it (mayCrossBlankLines). Such a display is left open in the part: its opener shows
 * as text. (A display the part closes, the whole body closes alike: at the first closer.) Likewise
 * an HTML block whose closer (`-->`, `</script>` …) did not come in the part: the part shows its
 * opener as prose, the whole body may close it further down.
 */
export function partHolds(structure: PostStructure): boolean {
  if (structure.complete) return true;
  // An HTML block whose closer did not come in the part may find it in what follows.
  if ((structure.env as Record<string, unknown>)[HTML_READ_TO_END] !== undefined) return false;
  const suspects = structure.tokens.filter((t) => t.type === 'inline' && MAY_OPEN_DISPLAY.test(t.content));
  parseInlineTokens(structure, suspects);
  return !suspects.some((t) => t.children?.some((c) => c.type === TOKEN.unclosed && DISPLAY_KINDS.has(c.markup)));
}

const DISPLAY_KINDS = new Set(['dollars', 'brackets', 'escapedBrackets', 'env']);

const BLANK = /^[ \t]*$/;

/**
 * Where a post body may be cut so that parsing a part of it gives that part's lines exactly what
 * parsing the body whole gives them: at a line after a blank one, starting at its first column
 * (it ends every list, quote and paragraph above it and cannot be indented code), that no display
 * can run into (`endsDisplaysAbove`), with no fence before it (a fence runs on across blank lines
 * to its closer: what is fenced is known only from the top). A part may end before a line no
 * display can run into, after a blank line, or before a fence or a heading, which end a paragraph
 * (and which a display runs past only if it crosses no blank line: then the part leaves it open);
 * `partHolds` then checks for a display left open for want of what follows.
 * A body with link reference definitions (they act across the body) has no parts.
 */
export class PostParts {
  readonly md: Markdown;
  /** The parse's options, read from the whole body. */
  private readonly options: { bracketDelimiters: boolean; dialect: MathDialect };
  private noCut: number | undefined;
  /** The parses made so far, by part: the title and the series summary read the same parts. */
  private readonly parsed = new Map<string, PostStructure>();

  /** The parts of this body, with the parses already made of them (the latest body's are kept). */
  static of(format: NoteFormat, body: string): PostParts {
    if (latest?.format !== format || latest.body !== body) latest = new PostParts(format, body);
    return latest;
  }

  constructor(
    readonly format: NoteFormat,
    readonly body: string,
  ) {
    this.md = markdownEngine(format);
    this.options = postParseOptions(format, body, true);
  }

  /** Link reference definitions act across the body: no part of it parses alone. */
  get whole(): boolean {
    return hasReferenceDefinition(this.body);
  }

  /**
   * The block tokens of the body, or of a part of it, parsed as the page parses it: the same
   * engine, the options read from the whole body. Maps are in body lines.
   */
  parse(part?: BodyPart): PostStructure {
    const key = part ? `${part.start}:${part.end}` : 'whole';
    let structure = this.parsed.get(key);
    if (!structure) this.parsed.set(key, (structure = this.parseAnew(part)));
    return structure;
  }

  private parseAnew(part?: BodyPart): PostStructure {
    const { md, body } = this;
    const text = part ? body.slice(part.start, part.end) : body;
    const env = { ...this.options };
    const tokens = parseBlocks(md, text, env);
    const line = part?.line ?? 0;
    if (line > 0) {
      for (const t of tokens) {
        if (t.map) t.map = [t.map[0] + line, t.map[1] + line];
        const horizon = (t.meta as { horizon?: number } | null)?.horizon;
        if (horizon !== undefined) t.meta = { ...t.meta, horizon: horizon + line };
      }
    }
    const complete = !part || part.end >= body.length;
    return { md, env, tokens, line, endLine: complete ? Number.MAX_SAFE_INTEGER : part.endLine, complete, inlineParsed: new Set() };
  }

  /** Where the first fence (or raw HTML block, when the engine shows HTML) may start: no cut after it. */
  private get noCutAfter(): number {
    if (this.noCut === undefined) {
      const body = this.body;
      let at = Math.min(...['```', '~~~'].map((m) => body.indexOf(m)).map((i) => (i < 0 ? body.length : i)));
      if (this.md.options.html) {
        const html = firstIndentedLt(body);
        if (html !== undefined) at = Math.min(at, html);
      }
      this.noCut = at;
    }
    return this.noCut;
  }

  /**
   * The part around the line starting at `start` (line number `line`): from the last cut at or
   * before it to the first end past the line holding `after` (by default, that line).
   */
  around(line: number, start: number, after = start): BodyPart {
    const body = this.body;
    let s = start;
    let sLine = line;
    while (s > 0 && !this.isCut(s)) {
      s = this.lineStartBefore(s);
      sLine--;
    }
    let e = this.lineEnd(start);
    let eLine = line;
    while (e < after && e < body.length) {
      e = this.lineEnd(e + 1);
      eLine++;
    }
    while (e < body.length) {
      // Line eLine ends at e: the part may end there if blank lines follow, then a line no display can run into.
      let t = e + 1;
      let tLine = eLine + 1;
      let tEnd = this.lineEnd(t);
      let blanks = 0;
      while (t <= body.length && BLANK.test(body.slice(t, tEnd))) {
        blanks++;
        t = tEnd + 1;
        tLine++;
        tEnd = this.lineEnd(t);
      }
      if (t > body.length) break;
      // After blank lines, a line no display runs into; right after the line, a fence or a heading (it ends a paragraph).
      const next = body.slice(t, tEnd);
      if (blanks > 0 ? endsDisplaysAbove(next) : this.endsParagraph(next)) return { start: s, end: e, line: sLine, endLine: eLine + 1 };
      e = tEnd;
      eLine = tLine;
    }
    return { start: s, end: body.length, line: sLine, endLine: Number.MAX_SAFE_INTEGER };
  }

  /** The part after `part` (from the line after its trailing blank lines), when a part may start there. */
  after(part: BodyPart): BodyPart | undefined {
    const body = this.body;
    let t = part.end + 1;
    let tLine = part.endLine;
    for (; t < body.length; tLine++) {
      const end = this.lineEnd(t);
      if (!BLANK.test(body.slice(t, end))) break;
      t = end + 1;
    }
    return t < body.length && this.isCut(t) ? this.around(tLine, t) : undefined;
  }

  /** A fence or a heading: it ends the paragraph above it (a listing has no fences: a ``` line there is text). */
  private endsParagraph(line: string): boolean {
    return isHardStop(line) && (this.format === 'markdown' || /^ {0,3}#/.test(line));
  }

  private lineEnd(from: number): number {
    const i = this.body.indexOf('\n', from);
    return i < 0 ? this.body.length : i;
  }

  private lineStartBefore(s: number): number {
    return s <= 1 ? 0 : this.body.lastIndexOf('\n', s - 2) + 1;
  }

  /** Whether a part may start at the line starting at `s` (not the first line). */
  private isCut(s: number): boolean {
    if (s > this.noCutAfter) return false;
    const c = this.body.charCodeAt(s);
    if (c === 0x20 || c === 0x09 || c === 0x0a || Number.isNaN(c)) return false;
    if (!BLANK.test(this.body.slice(this.lineStartBefore(s), s - 1))) return false;
    return endsDisplaysAbove(this.body.slice(s, this.lineEnd(s)));
  }
}

/** A post's title as its page shows it: the first top-level H1 (an ATX `#` or a setext `===` heading). */
export interface FirstHeading {
  /** Its first body line, and its text as the heading's inline content (Markdown as written). */
  line: number;
  text: string;
}

/**
 * The first top-level H1 of a Markdown post body, from the page's own parse (a `#` line in code,
 * in an HTML block, in a quote or a list item is none), parsed from the top only as far as it is
 * found: part after part (PostParts), the whole body when no part may follow or a part does not
 * hold.
 */
export function firstHeading(body: string): FirstHeading | undefined {
  // No line that could make an H1 (a `#` line, a `=` underline): no parse needed.
  if (!MAY_BE_H1.test(body)) return undefined;
  const parts = PostParts.of('markdown', body);
  if (!parts.whole) {
    for (let part: BodyPart | undefined = parts.around(0, 0); part;) {
      const s = parts.parse(part);
      if (!partHolds(s)) break;
      const found = h1Of(s.tokens);
      if (found || s.complete) return found;
      part = parts.after(part);
    }
  }
  return h1Of(postBlockTokens('markdown', body));
}

const MAY_BE_H1 = /^[ \t>]*(?:#(?:[ \t]|$)|=+[ \t]*$)/m;

function h1Of(tokens: readonly Token[]): FirstHeading | undefined {
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i];
    if (t.type === 'heading_open' && t.tag === 'h1' && t.level === 0 && t.map)
      return { line: t.map[0], text: tokens[i + 1]?.content ?? '' };
  }
  return undefined;
}
