// Turns the math tokens into HTML. A core rule prepares every formula in document order (macros,
// numbers, labels); the renderer rules run afterwards, when every label is known.

import MarkdownIt = require('markdown-it');

export type Markdown = InstanceType<typeof MarkdownIt>;

type Token = MarkdownIt.Token;
import type { PostMath, PreparedFormula } from '../math/postMath';
import { escapeHtml } from '../html';
import { isNumberingEnvironment } from '../math/numbering';
import type { MathDialect } from './mathDialect';
import { formulaPieces, TOKEN, type FormulaPiece } from './mathSyntax';

export interface RenderEnv {
  math: PostMath;
  /** bodyLineMap: body line → 0-based source line. */
  lineMap: readonly number[];
  /** Whether `\(…\)` and `\[…\]` delimit math (else they are escaped brackets). */
  bracketDelimiters: boolean;
  /** How the site reads the TeX: which formulas are read with Markdown's escapes undone. */
  dialect?: MathDialect;
}

// markdown-it types `env` and `meta` loosely; these are the only casts.
const asEnv = (env: unknown) => env as RenderEnv;
const formulaOf = (token: Token) => token.meta as unknown as PreparedFormula;
const setFormula = (token: Token, f: PreparedFormula) => {
  token.meta = f as unknown as Record<string, unknown>;
};

const sourceLine = (env: RenderEnv, bodyLine: number) => env.lineMap[Math.min(bodyLine, env.lineMap.length - 1)] ?? bodyLine;

function prepareAll(tokens: Token[], env: RenderEnv, src: string): void {
  let lastLine = 0; // table cells' inline tokens carry no map: use the row's
  const lines = new SourceLines(src);
  for (const token of tokens) {
    if (token.map) lastLine = token.map[0];
    if (token.type === 'html_block' && token.map) {
      // Its comments as written (the sanitizer drops them): rawHtml.ts found them with their lines.
      const comments = (token.meta as { comments?: Array<{ text: string; line: number }> } | null)?.comments;
      if (comments) for (const c of comments) env.math.noteComment({ text: c.text, line: sourceLine(env, token.map[0] + c.line) });
    }
    if (token.type === TOKEN.block) {
      const map = token.map!;
      const pieces = (token.meta as { pieces?: FormulaPiece[] } | null)?.pieces;
      const at = pieces?.map(([tex, line, column, length]): FormulaPiece => [tex, sourceLine(env, map[0] + line), column, length]);
      setFormula(token, env.math.prepare(token.content, true, sourceLine(env, map[0]), readsEscaped(env, token.markup), at));
    } else if ((token.type === 'inline' || token.type === 'html_block') && token.children) {
      // An HTML block's children: its markup, and the math found in its text (rawHtml.ts).
      // Inline tokens carry no line: count the line breaks before each child.
      let line = token.map ? token.map[0] : lastLine;
      // The content's line breaks and where its lines stand in the source, found once a formula
      // needs them (most inline tokens hold none: no closure or array is made for those).
      const inParse: InlinePlacing = { token, firstLine: line, breaks: undefined, starts: undefined };
      for (const child of token.children) {
        // MathJax typesets a numbered environment inside `$…$` as the display it is.
        if (child.type === TOKEN.inline && startsNumberingEnvironment(child.content)) child.type = TOKEN.inlineDisplay;
        if (child.type === TOKEN.inline || child.type === TOKEN.inlineDisplay) {
          setFormula(
            child,
            env.math.prepare(
              child.content,
              child.type === TOKEN.inlineDisplay,
              sourceLine(env, line),
              readsEscaped(env, child.markup),
              place(inParse, child, lines, env),
            ),
          );
          line += countNewlines(child.content);
        } else if (child.type === TOKEN.unclosed) {
          noteUnclosed(env, inParse, child, line);
        } else if (child.type === TOKEN.ref) {
          placeReference(inParse, child, line, lines, env);
        } else if (child.type === 'softbreak' || child.type === 'hardbreak') {
          line++;
        } else if (child.type === 'text' || child.type === 'code_inline') {
          line += countNewlines(child.content);
        } else if (child.type === 'html_inline' || child.type === TOKEN.hiddenHtml) {
          // A comment's line from where the inline rule found it (counting the children's line breaks
          // misses those a code span, a link's target or an image's text spanned).
          if (child.type === TOKEN.hiddenHtml && child.content)
            env.math.noteComment({ text: child.content, line: commentLine(inParse, child, line, lines, env) });
          // A tag as written may have spanned lines (rawHtml.ts keeps the count).
          line += (child.meta as { newlines?: number } | null)?.newlines ?? countNewlines(child.content);
        }
      }
      // A table cell with nothing placed in it still takes its place in the row: the next cell's
      // text is looked for after it (else in "| `$x$` | $x$ |" the second $x$ was placed in the code).
      if (token.type === 'inline' && !token.map && !inParse.starts) lines.passCell(inParse.firstLine, token.content);
    }
  }
}

/** An inline (or HTML block) token whose formulas are being placed, with what was found of its lines. */
interface InlinePlacing {
  token: Token;
  /** The body line it starts on (a table cell's: its row's). */
  firstLine: number;
  breaks: number[] | undefined;
  starts: ContentLines | undefined;
}

const newlinesOf = (p: InlinePlacing): number[] => (p.breaks ??= [...p.token.content.matchAll(/\n/g)].map((m) => m.index!));

/** Where a formula's TeX stands in the source (an HTML block's text went through the sanitizer: not placed). */
function place(p: InlinePlacing, child: Token, lines: SourceLines, env: RenderEnv): FormulaPiece[] | undefined {
  return placeSpan(p, (child.meta as { offset?: number } | null)?.offset, child.content.length, lines, env);
}

function placeSpan(
  p: InlinePlacing,
  offset: number | undefined,
  length: number,
  lines: SourceLines,
  env: RenderEnv,
): FormulaPiece[] | undefined {
  if (p.token.type !== 'inline' || offset === undefined) return undefined;
  p.starts ??= lines.contentLines(p.token.content, newlinesOf(p), p.firstLine, !p.token.map);
  return p.starts.pieces(offset, length, (l) => sourceLine(env, l));
}

/** Where a piece an inline rule marked (meta offset and length: a reference, a comment) stands in the source. */
function placedPiece(p: InlinePlacing, child: Token, lines: SourceLines, env: RenderEnv): FormulaPiece | undefined {
  const meta = child.meta as { offset?: number; length?: number } | null;
  return meta?.length !== undefined ? placeSpan(p, meta.offset, meta.length, lines, env)?.[0] : undefined;
}

/** The source line an inline comment starts on: where the parse placed it, else the line counted so far. */
function commentLine(p: InlinePlacing, child: Token, line: number, lines: SourceLines, env: RenderEnv): number {
  return placedPiece(p, child, lines, env)?.[1] ?? sourceLine(env, line);
}

/**
 * A prose reference's source line, and its column when the parse can place it (the label rules
 * and the editor's features find it there, not by searching the line).
 */
function placeReference(p: InlinePlacing, child: Token, line: number, lines: SourceLines, env: RenderEnv): void {
  // Its first piece is where its backslash is (`\eqref` and `{x}` may stand on two lines).
  const first = placedPiece(p, child, lines, env);
  child.meta = first ? { line: first[1], column: first[2] } : { line: sourceLine(env, line) };
}

/** The lines of the parse's source (a block's text), to place inline content in. */
class SourceLines {
  private starts: number[] | undefined;
  /** Per line of a table row, how far its cells have been placed (cells carry no map of their own). */
  private cellCursor: Map<number, number> | undefined;
  constructor(private readonly src: string) {}

  private line(n: number): string | undefined {
    if (!this.starts) {
      this.starts = [0];
      for (let i = this.src.indexOf('\n'); i >= 0; i = this.src.indexOf('\n', i + 1)) this.starts.push(i + 1);
    }
    if (n < 0 || n >= this.starts.length) return undefined;
    return this.src.slice(this.starts[n], n + 1 < this.starts.length ? this.starts[n + 1] - 1 : this.src.length);
  }

  /** A table cell of line `n` that was not placed: the row's next cell is after it. */
  passCell(n: number, text: string): void {
    const source = this.line(n);
    if (source === undefined) return;
    this.cellCursor ??= new Map();
    const at = source.indexOf(text, this.cellCursor.get(n) ?? 0);
    if (at >= 0) this.cellCursor.set(n, at + text.length);
  }

  /**
   * Where each line of an inline token's content starts: markdown-it takes a paragraph's lines with
   * their container's prefix (`> `, indentation) left out and trims the ends, so a content line is
   * the end of its source line (or, in a heading or a table cell, a piece of it).
   */
  contentLines(content: string, breaks: readonly number[], firstLine: number, cell: boolean): ContentLines {
    const count = breaks.length + 1;
    const columns: Array<number | undefined> = [];
    for (let k = 0; k < count; k++) {
      const from = k === 0 ? 0 : breaks[k - 1] + 1;
      const text = content.slice(from, k < breaks.length ? breaks[k] : content.length);
      const source = this.line(firstLine + k);
      if (source === undefined) {
        columns.push(undefined);
        continue;
      }
      if (cell) {
        this.cellCursor ??= new Map();
        const at = source.indexOf(text, this.cellCursor.get(firstLine) ?? 0);
        if (at >= 0) this.cellCursor.set(firstLine, at + text.length);
        columns.push(at >= 0 ? at : undefined);
        continue;
      }
      const trimmed = k === count - 1 ? source.trimEnd() : source;
      const at = trimmed.endsWith(text) ? trimmed.length - text.length : source.indexOf(text);
      columns.push(at >= 0 ? at : undefined);
    }
    return new ContentLines(breaks, content.length, columns, firstLine);
  }
}

class ContentLines {
  private readonly lineStarts: number[];
  constructor(
    breaks: readonly number[],
    private readonly length: number,
    private readonly columns: ReadonlyArray<number | undefined>,
    private readonly firstLine: number,
  ) {
    this.lineStarts = [0, ...breaks.map((b) => b + 1)];
  }

  /** The pieces of `content.slice(offset, offset + length)` as [TeX offset, source line, column, length]; undefined when a line is not placed. */
  pieces(offset: number, length: number, toSource: (line: number) => number): FormulaPiece[] | undefined {
    const pieces = formulaPieces(this.lineStarts, this.length, this.columns, offset, offset + length);
    return pieces?.map(([tex, line, column, size]): FormulaPiece => [tex, toSource(this.firstLine + line), column, size]);
  }
}

/** Where an opener shown as text stands: its source line, its column in the paragraph's line and how far that line runs on after it. */
function noteUnclosed(env: RenderEnv, placing: InlinePlacing, child: Token, line: number): void {
  const meta = child.meta as { meant: boolean; offset: number };
  if (!meta.meant) return;
  const inline = placing.token;
  const breaks = newlinesOf(placing);
  // The line of the paragraph the opener is on (binary search: a paragraph may hold many openers).
  let lo = 0;
  let hi = breaks.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (breaks[mid] < meta.offset) lo = mid + 1;
    else hi = mid;
  }
  const lineStart = lo === 0 ? 0 : breaks[lo - 1] + 1;
  const lineEnd = lo < breaks.length ? breaks[lo] : inline.content.length;
  let tailEnd = lineEnd;
  while (tailEnd > meta.offset && /\s/.test(inline.content[tailEnd - 1])) tailEnd--;
  env.math.noteUnclosed({
    text: child.content,
    kind: child.markup,
    line: sourceLine(env, line),
    column: meta.offset - lineStart,
    tail: tailEnd - meta.offset,
  });
}

/** Whether the site's Markdown undid escapes in this formula before MathJax read it (see mathDialect.ts). */
function readsEscaped(env: RenderEnv, opener: string): boolean {
  if (opener === 'escapedParen' || opener === 'escapedBrackets') return true;
  return !!env.dialect?.escapedDollars && opener !== 'paren' && opener !== 'brackets';
}

const startsNumberingEnvironment = (tex: string) => {
  const m = /^\s*\\begin\s*\{([A-Za-z]+\*?)\}/.exec(tex);
  return !!m && isNumberingEnvironment(m[1]);
};

function countNewlines(s: string): number {
  let n = 0;
  for (let i = s.indexOf('\n'); i >= 0; i = s.indexOf('\n', i + 1)) n++;
  return n;
}

function renderDisplay(env: RenderEnv, f: PreparedFormula, tag: 'div' | 'span', lineAttrs: string, extraClass = ''): string {
  const rendered = env.math.render(f);
  const error = rendered.error;
  let html = rendered.html;
  // A display inside a paragraph holds only what a paragraph may: a <div> there would make a
  // browser close the paragraph (and the note's own inline elements in it) early.
  if (tag === 'span')
    html = html.replace(/^<div class="katex-error"([^>]*)>([\s\S]*)<\/div>$/, '<span class="katex-error mn-error-display"$1>$2</span>');
  const [first, ...rest] = f.anchors;
  const id = first ? ` id="${first}"` : '';
  const anchors = rest.map((a) => `<span class="mn-anchor" id="${a}"></span>`).join('');
  const numbered = f.rows.length ? ' mn-numbered' : '';
  const err = error ? ' mn-math-error' : '';
  const copy = ` data-tex="${escapeHtml(f.source)}"`;
  return `<${tag} class="mn-display${extraClass}${numbered}${err}"${id}${lineAttrs}${copy}>${anchors}${html}</${tag}>`;
}

export function mathRendering(md: Markdown): void {
  md.core.ruler.push('mn_prepare_math', (state) => {
    // A parse for structure alone (the series index's, postParse.ts) has no math scope: nothing to prepare.
    if (asEnv(state.env).math) prepareAll(state.tokens, asEnv(state.env), state.src);
  });

  md.renderer.rules[TOKEN.block] = (tokens, idx, _options, rawEnv) => {
    const env = asEnv(rawEnv);
    const token = tokens[idx];
    const map = token.map!;
    const lines = ` data-line="${sourceLine(env, map[0])}" data-line-end="${sourceLine(env, map[1] - 1)}"`;
    return renderDisplay(env, formulaOf(token), 'div', lines) + '\n';
  };
  md.renderer.rules[TOKEN.inlineDisplay] = (tokens, idx, _options, rawEnv) => {
    const env = asEnv(rawEnv);
    const f = formulaOf(tokens[idx]);
    return renderDisplay(env, f, 'span', ` data-line="${f.line}"`, ' mn-display-inline');
  };
  md.renderer.rules[TOKEN.inline] = (tokens, idx, _options, rawEnv) => {
    const env = asEnv(rawEnv);
    const { html } = env.math.render(formulaOf(tokens[idx]));
    return html;
  };
  md.renderer.rules[TOKEN.ref] = (tokens, idx, _options, rawEnv) => {
    const env = asEnv(rawEnv);
    const t = tokens[idx];
    const at = t.meta as { line?: number; column?: number } | null;
    return env.math.referenceHtml(t.content, t.markup as 'eqref' | 'ref', Number(at?.line ?? 0), { column: at?.column });
  };
}

/** Stamps `data-line` (source line) on every block that has a source map, for scroll sync. */
export function sourceLines(md: Markdown): void {
  md.core.ruler.push('mn_source_map', (state) => {
    const env = asEnv(state.env);
    for (const token of state.tokens) {
      if (token.map && token.nesting >= 0 && token.type !== TOKEN.block && token.type !== 'inline') {
        token.attrSet('data-line', String(sourceLine(env, token.map[0])));
      }
    }
  });
}
