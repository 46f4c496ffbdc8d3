// What markdown-it parses for one post, and with which options: the page, lint and the snippet
// finder all take a post's structure from here, so none of them can disagree with what the page
// shows (a second fence scanner once ran code the page did not show).

import type MarkdownIt = require('markdown-it');
import type { NoteFormat } from '../note/types';
import { markdownEngine } from './engine';
import { detectMathDialect, PLAIN_DIALECT, type MathDialect } from './mathDialect';
import { TOKEN, usesDollarMath } from './mathSyntax';
import { protectTablePipes } from './tablePipes';
import { bodyBlockTokens } from '../render/blocks';

type Token = MarkdownIt.Token;

export interface PostParseInput {
  /** The text markdown-it parses (the body, with `|` inside table math protected). */
  source: string;
  /** Whether `\(…\)` and `\[…\]` delimit math in this post (else they are escaped brackets). */
  bracketDelimiters: boolean;
  /** How the post's site reads its TeX (Markdown's escapes first, or not). */
  dialect: MathDialect;
}

export function postParseInput(format: NoteFormat, body: string): PostParseInput {
  return {
    source: format === 'markdown' ? protectTablePipes(body) : body,
    bracketDelimiters: format === 'blog-export' || !usesDollarMath(body),
    dialect: format === 'markdown' ? detectMathDialect(body, proseAndMath) : PLAIN_DIALECT,
  };
}

/**
 * What a plain parse of the body shows as prose and math, in order, a part per paragraph or
 * display (`$$` blocks with their delimiters): the text a dialect is read from, without code, HTML
 * blocks or anything else the page does not hand to a math engine. The parse is the one the page
 * cut reuses across edits (`render/blockParse.ts`).
 */
function proseAndMath(body: string): string[] {
  const md = markdownEngine('markdown');
  const parts: string[] = [];
  for (const t of bodyBlockTokens(md, protectTablePipes(body), { bracketDelimiters: !usesDollarMath(body), dialect: PLAIN_DIALECT })) {
    if (t.type === 'inline') parts.push(t.content);
    else if (t.type === TOKEN.block) parts.push(t.markup === 'dollars' ? `$$${t.content}$$` : t.content);
  }
  return parts;
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
