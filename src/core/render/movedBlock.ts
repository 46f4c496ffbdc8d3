// A block an edit above moved (a line break typed: every block below has new lines) is the block
// it was, at other lines. Its cached entry is copied with every line it holds shifted — the data-line
// stamps of its tokens, each formula's line and where its TeX stands, \eqref's line, the numbers,
// labels and unclosed openers it added, its HTML and what rendering it found — instead of being
// parsed (and maybe rendered) again. Lines live in these places only: `mathRendering.ts` writes them
// (the tokens' maps are the block's own, counted from its first line). The incremental test compares
// every such copy with a fresh parse.

import type MarkdownIt = require('markdown-it');
import { copyToken } from './blockParse';
import { TOKEN } from '../markdown/mathSyntax';
import type { PreparedEffects, PreparedFormula, RenderedEffects } from '../math/postMath';

type Token = MarkdownIt.Token;

/** What a block's cache entry holds that depends on its lines. */
export interface BlockAtLines {
  /** Its tokens; a moved copy makes them only when asked (tokensOf): most blocks of a long note are never rendered. */
  tokens?: Token[];
  /** A moved copy's tokens before they are made: a parse's tokens, how far to shift them, and each of their formulas' copy. */
  moved?: { tokens: Token[]; lines: number; formulas: Map<PreparedFormula, PreparedFormula> };
  prepared: PreparedEffects;
  html?: string;
  rendered?: RenderedEffects;
  /** Names this version of `html` (a new id each time it is rendered): the preview keys blocks by it. */
  id?: string;
  /** The source line `html`'s first line was at. */
  base?: number;
  /** The source line the block started at when prepared (where its lines run on one by one). */
  line?: number;
}

/** A copy of the entry `lines` lines further down (negative: up); its tokens are made when asked. */
export function shiftedEntry(entry: BlockAtLines, lines: number): BlockAtLines {
  // A formula is one object in the token and in the effects (PostMath's list): copied once.
  const copies = new Map<PreparedFormula, PreparedFormula>();
  const formula = (f: PreparedFormula): PreparedFormula => {
    let c = copies.get(f);
    if (!c) copies.set(f, (c = shiftedFormula(f, lines)));
    return c;
  };
  const p = entry.prepared;
  const prepared: PreparedEffects = {
    counter: p.counter,
    formulas: p.formulas.map(formula),
    unclosed: p.unclosed.map((u) => ({ ...u, line: u.line + lines })),
    comments: p.comments.map((c) => ({ ...c, line: c.line + lines })),
    duplicates: p.duplicates.map((d) => ({ ...d, line: d.line + lines })),
    unnumbered: p.unnumbered.map((d) => ({ ...d, line: d.line + lines })),
    labels: p.labels.map(([name, target]) => [name, { ...target, line: target.line + lines }]),
    macros: p.macros,
    htmlIds: p.htmlIds,
    labelsHash: p.labelsHash,
    idsHash: p.idsHash,
  };
  // The parse's tokens, never a copy's: copies of copies (a line break typed again and again) hold no chain.
  const formulas = new Map<PreparedFormula, PreparedFormula>();
  let moved: NonNullable<BlockAtLines['moved']>;
  if (entry.tokens) {
    for (const f of p.formulas) formulas.set(f, formula(f));
    moved = { tokens: entry.tokens, lines, formulas };
  } else {
    for (const [parsed, current] of entry.moved!.formulas) formulas.set(parsed, formula(current));
    moved = { tokens: entry.moved!.tokens, lines: entry.moved!.lines + lines, formulas };
  }
  const copy: BlockAtLines = { prepared, moved, line: entry.line! + lines };
  if (entry.html !== undefined && entry.rendered && entry.base !== undefined) {
    copy.html = shiftLineStamps(entry.html, lines);
    copy.rendered = shiftedEffects(entry.rendered, lines);
    // Its id names its HTML counted from its first line, which is what the page holds.
    copy.id = entry.id;
    copy.base = entry.base + lines;
  }
  return copy;
}

/** An entry's tokens: a moved copy's are made now, from the parse's, with its own formulas. */
export function tokensOf(entry: BlockAtLines): Token[] {
  if (!entry.tokens) {
    const { tokens, lines, formulas } = entry.moved!;
    entry.tokens = tokens.map((t) => shiftedToken(t, lines, (f) => formulas.get(f) ?? shiftedFormula(f, lines)));
    entry.moved = undefined;
  }
  return entry.tokens;
}

function shiftedFormula(f: PreparedFormula, lines: number): PreparedFormula {
  const c = { ...f, line: f.line + lines };
  if (f.at) c.at = f.at.map(([offset, line, column, length]) => [offset, line + lines, column, length] as const);
  return c;
}

function shiftedToken(t: Token, lines: number, formula: (f: PreparedFormula) => PreparedFormula): Token {
  const c = copyToken(t);
  if (t.type === TOKEN.block) c.meta = formula(t.meta as unknown as PreparedFormula) as unknown as Token['meta'];
  const stamp = t.attrGet('data-line');
  if (stamp !== null) c.attrSet('data-line', String(Number(stamp) + lines));
  if (t.children) {
    c.children = t.children.map((child) => {
      if (child.type === TOKEN.inline || child.type === TOKEN.inlineDisplay) {
        const m = copyToken(child);
        m.meta = formula(child.meta as unknown as PreparedFormula) as unknown as Token['meta'];
        return m;
      }
      if (child.type === TOKEN.ref) {
        const m = copyToken(child);
        const at = child.meta as { line: number; column?: number };
        m.meta = { ...at, line: at.line + lines };
        return m;
      }
      return child;
    });
  }
  return c;
}

/** The line stamps the renderer writes (scroll sync, double-click, snippets read them). */
const LINE_STAMP = / data-(line|line-end|last-line)="(-?\d+)"/g;

/** `html` with every line stamp moved by `delta` lines. */
export function shiftLineStamps(html: string, delta: number): string {
  if (delta === 0) return html;
  return html.replace(LINE_STAMP, (_, name: string, line: string) => ` data-${name}="${Number(line) + delta}"`);
}

/** What rendering a block did, its lines moved by `delta`. */
function shiftedEffects(e: RenderedEffects, delta: number): RenderedEffects {
  if (delta === 0) return e;
  return {
    ...e,
    references: e.references.map((r) => ({ ...r, line: r.line + delta })),
    errors: e.errors.map((x) => ({ ...x, line: x.line + delta })),
  };
}
