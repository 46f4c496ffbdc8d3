// What the series index keeps of a note: per post its title, series and part, date, first sentence,
// archive id, and its citations with exact source ranges. Plain data (it crosses to workers and
// tests), computed from the same note model the renderer uses; the citations and the first
// sentence from the page's own parse of the post (postParse.ts), so the index keeps exactly the
// citations the page marks, and none it shows as code, math or a link's target.

import type MarkdownIt = require('markdown-it');
import { type BodyPart, parseInlineTokens, partHolds, PostParts, type PostStructure } from '../markdown/postParse';
import { TOKEN } from '../markdown/mathSyntax';
import { parseNote } from '../note/parseNote';
import type { Note, NoteFormat, Post } from '../note/types';
import { marksInText } from '../markdown/citationMarks';
import { type Citation, type CitationSpan, citingLines, scanCitations } from './citations';
import { seriesOfPost } from './titleGrammar';
import { firstAtOrAfter } from '../text/sortedSearch';

type Token = MarkdownIt.Token;

export interface PostSummary {
  file: string;
  /** The post's index in its note (as `data-post` in the preview). */
  index: number;
  /** 0-based source lines: where the post starts, ends (exclusive), and its title line. */
  line: number;
  endLine: number;
  titleLine?: number;
  /** '' for an untitled post (a listing excerpt): it may cite, but cannot be cited. */
  title: string;
  series?: string;
  part?: number;
  /** The part came from 上/中/下: its number is an order, not a count. */
  relative?: boolean;
  /** Body length: of two copies of a post (full and listing excerpt) the longer is its home. */
  size: number;
  date?: string;
  /** The first sentence of the body as plain text, for hovers. */
  firstSentence?: string;
  /** The blog's archive id (`/archives/9662`) from front matter `source` or a `原文链接` line. */
  archive?: string;
  citations: Citation[];
}

/** Notes bigger than this are summarised from their first part only: titles and early citations. */
export const MAX_INDEXED_CHARS = 8 * 1024 * 1024;

/** A note's posts for the index, from its text; a note that cannot be parsed counts as having none. */
export function summarizeText(file: string, path: string, text: string): PostSummary[] {
  try {
    const cut = text.length > MAX_INDEXED_CHARS ? text.slice(0, MAX_INDEXED_CHARS) : text;
    return summarizeNote(file, cut, parseNote(cut, path));
  } catch {
    return [];
  }
}

const ARCHIVE = /\/archives\/(\d+)/;

export function archiveIdOf(url: string | undefined): string | undefined {
  return url ? ARCHIVE.exec(url)?.[1] : undefined;
}

export interface SummaryOptions {
  /** Parse each post whole, not in parts: the reference the parts are tested against. */
  whole?: boolean;
}

export function summarizeNote(file: string, text: string, note: Note, options: SummaryOptions = {}): PostSummary[] {
  // Source lines are needed only where a body line is not its source line (a listing's glued byline).
  let lines: string[] | undefined;
  const source = (line: number) => (note.format === 'markdown' ? undefined : (lines ??= text.split(/\r\n|\r|\n/))[line]);
  return note.posts
    .filter((p) => !p.meta.preamble)
    .map((post) => {
      const s = post.meta.title ? seriesOfPost(post.meta) : undefined;
      const shown = shownOrNothing(note.format, post, source, options);
      return {
        file,
        index: post.index,
        line: post.startLine,
        endLine: post.endLine,
        ...(post.titleLine !== undefined ? { titleLine: post.titleLine } : {}),
        title: post.meta.title ?? '',
        ...(s ? { series: s.series, part: s.part, ...(s.relative ? { relative: true } : {}) } : {}),
        size: post.body.length,
        ...(post.meta.date ? { date: post.meta.date } : {}),
        ...optional('firstSentence', shown.firstSentence),
        ...optional('archive', archiveIdOf(post.meta.source) ?? archiveIdOf(/原文链接.{0,200}/.exec(post.body.slice(0, 2000))?.[0])),
        citations: shown.citations,
      };
    });
}

function optional<K extends string, V>(key: K, value: V | undefined): Partial<Record<K, V>> {
  return value === undefined ? {} : ({ [key]: value } as Record<K, V>);
}

/** A body line that may cite: where it starts, its text and the spans the citation grammar finds on it. */
interface CandidateLine {
  line: number;
  start: number;
  text: string;
  spans: CitationSpan[];
}

/** How far into a body its first sentence is looked for (characters). */
const FIRST_SENTENCE_CHARS = 8000;

/** A post the parse fails on shows its source on the page, with no citation marked: nor does the index keep any. */
function shownOrNothing(
  format: NoteFormat,
  post: Post,
  source: (line: number) => string | undefined,
  options: SummaryOptions,
): { citations: Citation[]; firstSentence?: string } {
  try {
    return shownInPost(format, post, source, options);
  } catch {
    return { citations: [] };
  }
}

/**
 * A post's citations and first sentence, from the page's parse of it: of the parts of the body
 * they are in, each parsed once (PostParts: a part parses as it does in the whole body). Most
 * lines cannot cite (no `《` or `系列`), and the first sentence is near the top: a post is rarely
 * parsed whole.
 */
function shownInPost(
  format: NoteFormat,
  post: Post,
  source: (line: number) => string | undefined,
  options: SummaryOptions,
): { citations: Citation[]; firstSentence?: string } {
  const body = post.body;
  const candidates: CandidateLine[] = [];
  for (const l of citingLines(body)) {
    const spans = scanCitations(l.text);
    if (spans.length) candidates.push({ ...l, spans });
  }
  const parts = PostParts.of(format, body);
  // Link reference definitions act across the body: citations need it parsed whole; a first
  // sentence with no `[` in it does not (its paragraph links by no reference).
  const shown = options.whole || (parts.whole && candidates.length) ? undefined : inParts(parts, post, candidates, source);
  if (shown) return shown;
  const whole = parts.parse();
  const first = firstSentence(whole);
  return {
    citations: candidates.length ? shownCitations(whole, candidates, post, source) : [],
    firstSentence: first === UNSURE ? undefined : first,
  };
}

/** shownInPost from parts of the body; undefined if a part did not parse as in the whole body. */
function inParts(
  parts: PostParts,
  post: Post,
  candidates: CandidateLine[],
  source: (line: number) => string | undefined,
): { citations: Citation[]; firstSentence?: string } | undefined {
  const body = post.body;
  const parsed = new Map<BodyPart, PostStructure>();
  const parse = (part: BodyPart) => {
    let s = parsed.get(part);
    if (!s) parsed.set(part, (s = parts.parse(part)));
    return s;
  };
  // The first sentence: part after part from the top, as far as it is looked for.
  const ranges: BodyPart[] = [];
  let sentence: string | undefined;
  for (let part: BodyPart | undefined = parts.around(0, 0); part;) {
    const s = parse(part);
    ranges.push(part);
    if (!partHolds(s)) return undefined;
    const found = firstSentence(s, parts.whole);
    if (found === UNSURE) return undefined;
    sentence = found;
    if (sentence !== undefined || s.complete || part.end >= FIRST_SENTENCE_CHARS) break;
    const next = parts.after(part);
    if (!next) {
      // No part may start right after this one (a fence above, an indented line): the top again, a little further.
      const top = parts.parse(parts.around(0, 0, Math.min(FIRST_SENTENCE_CHARS, body.length)));
      if (!partHolds(top)) return undefined;
      const again = firstSentence(top, parts.whole);
      if (again === UNSURE) return undefined;
      sentence = again;
    }
    part = next;
  }
  // The parts around the lines that cite, merged where they meet.
  for (const c of candidates) {
    const last = ranges[ranges.length - 1];
    if (c.start <= last.end) continue;
    const part = parts.around(c.line, c.start);
    if (part.start <= last.end) ranges[ranges.length - 1] = parts.around(last.line, last.start, c.start);
    else ranges.push(part);
  }
  const structures = ranges.map(parse);
  if (!structures.every(partHolds)) return undefined;
  return {
    citations: candidates.length ? structures.flatMap((s) => shownCitations(s, candidates, post, source)) : [],
    firstSentence: sentence,
  };
}

// ---- citations ----------------------------------------------------------------------------------

/** What the page makes of a run of a paragraph that the grammar may find a citation in. */
interface Seen {
  text: string;
  part?: number;
  /** Marked on the page (a text token's citation), or not shown as one (in code, math, a link's target …). */
  shown: boolean;
  /** The link a marked citation is the text of, or whose target or title holds this one. */
  link?: { swallowed: boolean };
}

/**
 * The citations the page marks, with their source ranges. The grammar finds candidates on the
 * source lines (exact columns); the parse says which of them the page shows as text. Per run of
 * inline content (a paragraph, a heading, a table row) both are in document order: each citation
 * the page marks in a text token takes the next candidate with its title, and what the grammar
 * finds in code, math, HTML, link targets and image descriptions takes its own candidate out of
 * the way. Candidates in no inline content (code and math blocks, link definitions) are not shown.
 */
function shownCitations(
  structure: PostStructure,
  candidates: CandidateLine[],
  post: Post,
  source: (line: number) => string | undefined,
): Citation[] {
  const units: Array<{ inlines: Token[]; start: number; end: number; from: number; to: number }> = [];
  let next = firstAtOrAfter(candidates, structure.line, (c) => c.line);
  if (next >= candidates.length || candidates[next].line >= structure.endLine) return [];
  let lastLine = 0; // table cells' inline tokens carry no map: their row's
  for (const t of structure.tokens) {
    if (t.map) lastLine = t.map[0];
    if (t.type !== 'inline') continue;
    if (next >= candidates.length) break;
    const [start, end] = t.map ?? [lastLine, lastLine + 1];
    const unit = units[units.length - 1];
    if (unit && unit.start === start && unit.end === end) {
      unit.inlines.push(t); // another cell of the same row
      continue;
    }
    while (next < candidates.length && candidates[next].line < start) next++;
    const from = next;
    while (next < candidates.length && candidates[next].line < end) next++;
    if (next > from) units.push({ inlines: [t], start, end, from, to: next });
  }
  parseInlineTokens(
    structure,
    units.flatMap((u) => u.inlines),
  );
  const out: Citation[] = [];
  for (const u of units) {
    const raw = candidates.slice(u.from, u.to).flatMap((c) => c.spans.map((span) => ({ c, span })));
    const matched = new Map<CandidateLine, Array<{ span: CitationSpan; text: string }>>();
    let k = 0;
    for (const seen of seenIn(structure, u.inlines)) {
      if (!seen.shown) {
        // Not shown as a citation: it takes its own candidate, the next one, if it is there — unless
        // the grammar read its link whole (`[《A》](url "《B》")`: one candidate, A with its URL).
        if (!seen.link?.swallowed && k < raw.length && sameCitation(structure.md, raw[k].span, seen)) k++;
        continue;
      }
      let j = k;
      while (j < raw.length && j - k < MAX_SKIPPED && !sameCitation(structure.md, raw[j].span, seen)) j++;
      if (j >= raw.length || j - k >= MAX_SKIPPED) continue; // marked, with no candidate (it cannot be linked from the index)
      const { c, span } = raw[j];
      if (seen.link && span.url !== undefined) seen.link.swallowed = true;
      let list = matched.get(c);
      if (!list) matched.set(c, (list = []));
      list.push({ span, text: seen.text });
      k = j + 1; // the candidates passed over are not citations on the page (`《**x**》`)
    }
    for (const c of candidates.slice(u.from, u.to)) {
      const list = matched.get(c);
      if (list) out.push(...onSourceLine(post, c, list, source));
    }
  }
  return out;
}

/** How many candidates a citation on the page may pass over to find its own (a bound on hostile input). */
const MAX_SKIPPED = 256;

function sameCitation(md: PostStructure['md'], candidate: CitationSpan, seen: Seen): boolean {
  if (candidate.part !== seen.part) return false;
  // The page reads escapes and entities (`《A\_B》` shows as `《A_B》`).
  return (
    candidate.text === seen.text ||
    (candidate.text.includes('\\') || candidate.text.includes('&') ? md.utils.unescapeAll(candidate.text) === seen.text : false)
  );
}

/** In document order, each citation the grammar finds in what these inline tokens show or hide. */
function seenIn(structure: PostStructure, inlines: Token[]): Seen[] {
  const md = structure.md;
  // A link by reference (`[x][r]`) has its target and title where `r` is defined, not here. (One
  // written out with a definition's very target and title is taken for one.)
  const references = (structure.env as { references?: Record<string, { href: string; title: string }> }).references;
  const defined = references ? new Set(Object.values(references).map((r) => `${r.href}\n${r.title}`)) : undefined;
  const out: Seen[] = [];
  const hidden = (texts: Array<string | null>, link?: Seen['link']) => {
    const seen: Seen[] = [];
    for (const t of texts) if (t) for (const c of scanCitations(t)) seen.push({ text: c.text, part: c.part, shown: false, link });
    return seen;
  };
  for (const inline of inlines) {
    // A link's target and title come after its text in the source.
    const links: Array<{ link: NonNullable<Seen['link']>; after: Seen[] }> = [];
    const children = inline.children ?? [];
    for (let i = 0; i < children.length; i++) {
      const t = children[i];
      if (t.type === 'text') {
        const link = links[links.length - 1]?.link;
        for (const c of marksInText(children, i)) out.push({ text: c.text, part: c.part, shown: true, link });
      } else if (t.type === 'link_open') {
        const auto = t.markup === 'autolink' || t.markup === 'linkify'; // its text is its target
        const byReference = defined?.has(`${t.attrGet('href')}\n${t.attrGet('title') ?? ''}`);
        const link = { swallowed: false };
        links.push({ link, after: auto || byReference ? [] : hidden([target(md, t.attrGet('href')), t.attrGet('title')], link) });
      } else if (t.type === 'link_close') {
        out.push(...(links.pop()?.after ?? []));
      } else if (t.type === 'image') {
        out.push(...hidden([t.content, target(md, t.attrGet('src')), t.attrGet('title')]));
      } else if (t.content) {
        out.push(...hidden([t.content])); // code, math, a reference, raw HTML: shown, but not as text
      }
    }
  }
  return out;
}

/** A link's target as written, where it may hold a citation (markdown-it keeps it percent-encoded: `《` is %E3%80%8A, `系` %E7%B3%BB). */
function target(md: PostStructure['md'], url: string | null): string | null {
  return url && ENCODED_NEEDLE.test(url) ? md.normalizeLinkText(url) : url;
}

const ENCODED_NEEDLE = /%E3%80%8A|%E7%B3%BB/i;

/** The citations of one candidate line, with columns in its source line (a listing's first body line may follow a glued byline). */
function onSourceLine(
  post: Post,
  c: CandidateLine,
  found: Array<{ span: CitationSpan; text: string }>,
  source: (line: number) => string | undefined,
): Citation[] {
  const line = post.bodyLineMap[c.line] ?? post.startLine;
  const src = source(line) ?? c.text;
  let from = 0;
  return found.map(({ span, text }) => {
    const raw = c.text.substr(span.col, span.length);
    const at = src === c.text ? span.col : src.indexOf(raw, from);
    const col = at >= 0 ? at : span.col;
    from = col + span.length;
    return { ...span, text, col, line };
  });
}

// ---- first sentence -----------------------------------------------------------------------------

/** A paragraph read in a part may link by a reference defined elsewhere in the body: read it in the whole body. */
const UNSURE = Symbol('unsure');

/**
 * The first sentence of the first paragraph the page shows as prose (not in a quote, a table or a
 * heading; not only images; without the `**原文链接**` and `**发布日期**` lines of converted posts),
 * as plain text: what the page shows, with math as its TeX.
 */
function firstSentence(structure: PostStructure, references = false): string | undefined | typeof UNSURE {
  const tokens = structure.tokens;
  let quotes = 0;
  let batch: Token[] = [];
  // Paragraphs are parsed two at a time: the first sentence is nearly always in the first.
  const read = (): string | undefined | typeof UNSURE => {
    parseInlineTokens(structure, batch);
    for (const p of batch) {
      if (references && p.content.includes('[')) return UNSURE;
      const text = shownText(p.children ?? []);
      if (text) return sentenceOf(text);
    }
    batch = [];
    return undefined;
  };
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i];
    if (t.type === 'blockquote_open') quotes++;
    else if (t.type === 'blockquote_close') quotes--;
    else if (t.type === 'inline' && quotes === 0 && tokens[i - 1]?.type === 'paragraph_open') {
      // A paragraph of one line that is not prose (`**原文链接**: …`) shows as not prose, whatever its markup.
      if (!t.content.includes('\n') && NOT_PROSE.test(t.content)) continue;
      batch.push(t);
      if (batch.length === 2) {
        const sentence = read();
        if (sentence !== undefined) return sentence;
      }
    }
  }
  return read();
}

/** Lines of converted posts that are not prose: the source link and the date. */
const NOT_PROSE = /^(?:\*\*)?(?:原文链接|发布日期)/;
const CJK_END = /[\u2e80-\u9fff\uf900-\ufaff\uff00-\uffef\u3000-\u303f]$/u;
const CJK_START = /^[\u2e80-\u9fff\uf900-\ufaff\uff00-\uffef\u3000-\u303f]/u;

/** A paragraph's text as the page shows it (math as its TeX), without lines that are not prose. */
function shownText(children: Token[]): string {
  const lines: string[] = [];
  let line = '';
  const end = () => {
    const text = line.trim();
    if (text && !NOT_PROSE.test(text)) lines.push(text);
    line = '';
  };
  for (const c of children) {
    switch (c.type) {
      case 'softbreak':
      case 'hardbreak':
        end();
        break;
      case 'text':
      case 'code_inline':
      case TOKEN.unclosed:
        line += c.content;
        break;
      case TOKEN.inline:
        line += `$${oneLine(c.content)}$`;
        break;
      case TOKEN.inlineDisplay:
        line += `$$${oneLine(c.content)}$$`;
        break;
      case TOKEN.ref:
        line += `\\${c.markup}{${c.content}}`;
        break;
      // Images, raw HTML, emphasis and link markers show no text of their own.
    }
  }
  end();
  // Lines join as the page shows them: with a space, except between CJK characters.
  let text = '';
  for (const l of lines) text += text && !(CJK_END.test(text) && CJK_START.test(l)) ? ' ' + l : l;
  return text;
}

const oneLine = (tex: string) => tex.replace(/\s+/g, ' ').trim();

/** Up to the end of the first sentence, at most 140 characters. */
function sentenceOf(text: string): string {
  const end = /[。！？!?]|\.(\s|$)/u.exec(text);
  const sentence = end ? text.slice(0, end.index + 1) : text;
  return sentence.length > 140 ? sentence.slice(0, 139) + '…' : sentence;
}
