// YAML front matter of a Markdown note (kexue-md style: title, date, source, tags …).

import { parse } from 'yaml';
import type { PostMeta } from './types';
import { msg, type Text } from '../l10n/message';

export interface FrontMatter {
  meta: PostMeta;
  /** Number of source lines the front matter occupies (0 when there is none). */
  lineCount: number;
  warning?: Text;
}

const FENCE = /^---[ \t]*\r?$/;

/** Front matter ends within this many lines or is not front matter (a caller need split no more). */
export const MAX_FRONT_MATTER_LINES = 500;

export function readFrontMatter(lines: readonly string[]): FrontMatter {
  if (lines.length === 0 || !FENCE.test(lines[0])) return { meta: {}, lineCount: 0 };
  let end = -1;
  for (let i = 1; i < lines.length && i < MAX_FRONT_MATTER_LINES; i++) {
    if (/^(?:---|\.\.\.)[ \t]*\r?$/.test(lines[i])) {
      end = i;
      break;
    }
  }
  if (end < 0) return { meta: {}, lineCount: 0 };
  const simple = simpleFrontMatter(lines, end);
  if (simple) return { meta: toMeta(simple), lineCount: end + 1 };
  const yamlText = lines.slice(1, end).join('\n');
  const refusal = frontMatterBeyondBounds(yamlText);
  if (refusal) return { meta: {}, lineCount: end + 1, warning: refusal };
  let data: unknown;
  try {
    // Bounded: no alias explosions, unknown tags stay plain values, no warnings on the console.
    data = parse(yamlText, { maxAliasCount: 100, prettyErrors: false, strict: false, uniqueKeys: false, logLevel: 'error' });
  } catch (err) {
    return { meta: {}, lineCount: end + 1, warning: msg('Front matter is not valid YAML: {0}', (err as Error).message.split('\n')[0]) };
  }
  return { meta: toMeta(data), lineCount: end + 1 };
}

/**
 * Front matter larger than this is not parsed (a real one is a few hundred characters; 16 KB of
 * flow collections takes the parser ~0.1 s).
 */
export const MAX_FRONT_MATTER_CHARS = 16 * 1024;
/** Nesting deeper than this is not parsed (real front matter nests two or three levels). */
export const MAX_FRONT_MATTER_DEPTH = 32;
/** More `[` and `{` than this, anywhere, are not parsed (a real one has a few: `tags: [a, b]`). */
export const MAX_FRONT_MATTER_BRACKETS = 128;

/**
 * Why the YAML parser must not see this text, or undefined. The parser recurses once per level of
 * nesting: a value ~1 000 deep overflows its stack, and after a few such overflows in one thread
 * V8 aborts the whole process (the extension host with it). So nesting is bounded here, before
 * parsing, by estimates that never count low:
 * - every `[` and `{` counts, inside quotes and comments too, and there may be at most
 *   MAX_FRONT_MATTER_BRACKETS of them (so no misreading of quotes can hide deep flow nesting);
 * - depth = block levels + flow levels, at most MAX_FRONT_MATTER_DEPTH: a block level for each
 *   deeper indentation and for each compact indicator (`- - x`, `? ? x`, at the column it opens,
 *   so a later line indented into it stays that deep), flow levels opened and closed as written.
 */
const COMPACT_INDICATOR = /[-?:][ \t]+/y;

export function frontMatterBeyondBounds(yamlText: string): Text | undefined {
  if (yamlText.length > MAX_FRONT_MATTER_CHARS)
    return msg('Front matter is too large to read ({0} characters; at most {1}).', yamlText.length, MAX_FRONT_MATTER_CHARS);
  let brackets = 0;
  for (let i = 0; i < yamlText.length; i++) {
    const c = yamlText.charCodeAt(i);
    if ((c === 0x5b || c === 0x7b) && ++brackets > MAX_FRONT_MATTER_BRACKETS)
      return msg('Front matter is nested too deeply to read (more than {0} levels).', MAX_FRONT_MATTER_DEPTH);
  }
  const columns: number[] = []; // where each open block level starts
  let flow = 0;
  for (const line of yamlText.split('\n')) {
    const indent = /^[ \t]*/.exec(line)![0].length;
    if (indent === line.length) continue;
    while (columns.length && columns[columns.length - 1] >= indent) columns.pop();
    columns.push(indent);
    // Compact indicators open a level each, at their own column.
    COMPACT_INDICATOR.lastIndex = indent;
    while (COMPACT_INDICATOR.exec(line) && columns.length <= MAX_FRONT_MATTER_DEPTH) columns.push(COMPACT_INDICATOR.lastIndex);
    let deepest = flow;
    for (let i = indent; i < line.length; i++) {
      const c = line.charCodeAt(i);
      if (c === 0x5b || c === 0x7b) deepest = Math.max(deepest, ++flow);
      else if ((c === 0x5d || c === 0x7d) && flow > 0) flow--;
    }
    if (columns.length + deepest > MAX_FRONT_MATTER_DEPTH)
      return msg('Front matter is nested too deeply to read (more than {0} levels).', MAX_FRONT_MATTER_DEPTH);
  }
  return undefined;
}

// `key: plain value` lines only (what nearly every note has): read directly, as YAML would, at a
// tenth of the cost of the YAML parser. Anything else (lists, quotes, anchors, tags, `: ` or ` #`
// in a value) goes to the parser.
// (The line is trimmed first: a lazy value before optional trailing spaces would backtrack
// quadratically on a long run of spaces.)
const SIMPLE_LINE = /^([A-Za-z_][\w-]*):(?:[ \t]+(.*))?$/;
const PLAIN_START = /^[^\s'"[\]{}&*!|>%@`#,?:-]/;

export function simpleFrontMatter(lines: readonly string[], end: number): Record<string, string | number | boolean | null> | undefined {
  const out: Record<string, string | number | boolean | null> = {};
  for (let i = 1; i < end; i++) {
    const line = lines[i];
    if (line.trim() === '') continue;
    const m = SIMPLE_LINE.exec(line.trimEnd());
    if (!m) return undefined;
    const value = m[2] ?? '';
    if ((value && !PLAIN_START.test(value)) || value.endsWith(':') || /:\s|\s#/.test(value) || m[1] in out) return undefined;
    // YAML 1.2 core schema, as the parser reads it.
    if (/^-?\d{1,9}$/.test(value)) out[m[1]] = Number(value);
    else if (/^(?:true|True|TRUE|false|False|FALSE)$/.test(value)) out[m[1]] = value.toLowerCase() === 'true';
    else if (/^(?:null|Null|NULL|~|)$/.test(value)) out[m[1]] = null;
    else if (/^[-+.\d]/.test(value) && !/^\d{4}-\d\d-\d\d$/.test(value))
      return undefined; // floats, .inf, signs: the parser's business
    else out[m[1]] = value;
  }
  return out;
}

function toMeta(data: unknown): PostMeta {
  if (!data || typeof data !== 'object' || Array.isArray(data)) return {};
  const d = data as Record<string, unknown>;
  const str = (v: unknown) =>
    typeof v === 'string' && v.trim()
      ? v.trim()
      : v instanceof Date
        ? v.toISOString().slice(0, 10)
        : typeof v === 'number'
          ? String(v)
          : undefined;
  const meta: PostMeta = {};
  meta.title = str(d.title);
  meta.date = str(d.date);
  meta.author = str(d.author);
  meta.series = str(d.series);
  meta.source = str(d.source);
  const part = typeof d.part === 'number' ? d.part : typeof d.part === 'string' ? Number.parseInt(d.part, 10) : NaN;
  if (Number.isFinite(part)) meta.part = part;
  if (Array.isArray(d.tags)) meta.tags = d.tags.map(str).filter((t): t is string => !!t);
  else if (typeof d.tags === 'string')
    meta.tags = d.tags
      .split(/[,，]/)
      .map((t) => t.trim())
      .filter(Boolean);
  for (const k of Object.keys(meta) as Array<keyof PostMeta>) if (meta[k] === undefined) delete meta[k];
  return meta;
}
