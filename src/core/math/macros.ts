// MathJax-style macro definitions: \newcommand, \renewcommand, \providecommand, \def, \gdef,
// \DeclareMathOperator (and MathJax's lenient `\newcommand{name}{…}`). We take them out of the
// formula and keep them in a per-post table, so they hold from their formula to the end of the
// post and may be redefined (KaTeX itself refuses to \newcommand an existing name).

import type { Replacement } from './editedString';
import { boundShifts } from './lengthBounds';
import { PRESET_MACROS } from './presetMacros';
import { readArgument, readOptionalArgument, scanTex, skipSpaces, type TexToken } from './texScanner';

export interface MacroDefinition {
  name: string; // with the backslash: `\tr`
  body: string;
  /** The defining command: `\newcommand`, `\providecommand`, `\def` … */
  kind: string;
  /** Offsets of the whole definition in the formula it came from. */
  start: number;
  end: number;
}

const DEFINERS = new Set(['\\newcommand', '\\renewcommand', '\\providecommand', '\\def', '\\gdef', '\\DeclareMathOperator']);

/** Finds macro definitions in a formula; returns them and the edits that remove them. */
export function extractMacroDefinitions(tex: string): { definitions: MacroDefinition[]; removals: Replacement[] } {
  const definitions: MacroDefinition[] = [];
  const removals: Replacement[] = [];
  if (!mayDefineMacros(tex)) return { definitions, removals };
  const tokens = scanTex(tex);
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i];
    if (t.kind !== 'cs' || !DEFINERS.has(t.text)) continue;
    const parsed = t.text === '\\def' || t.text === '\\gdef' ? parseDef(tex, tokens, i) : parseNewcommand(tex, tokens, i);
    if (!parsed) continue;
    definitions.push({ name: parsed.name, body: parsed.body, kind: t.text, start: t.start, end: tokens[parsed.last].end });
    removals.push({ start: t.start, end: tokens[parsed.last].end, text: '' });
    i = parsed.last;
  }
  return { definitions, removals };
}

/** Cheap pre-check so that the common formula is not tokenized twice. */
export function mayDefineMacros(tex: string): boolean {
  return tex.includes('command') || tex.includes('def') || tex.includes('DeclareMathOperator');
}

interface Parsed {
  name: string;
  body: string;
  last: number;
}

function parseNewcommand(tex: string, tokens: TexToken[], i: number): Parsed | undefined {
  const isOperator = tokens[i].text === '\\DeclareMathOperator';
  let j = i + 1;
  let star = false;
  const s = skipSpaces(tokens, j);
  if (tokens[s]?.kind === 'char' && tokens[s].text === '*') {
    star = true;
    j = s + 1;
  }
  const nameArg = readArgument(tokens, j);
  if (!nameArg) return undefined;
  let name = tex.slice(nameArg.contentStart, nameArg.contentEnd).trim();
  if (!name.startsWith('\\')) name = '\\' + name; // MathJax accepts \newcommand{name}{…}
  if (!/^\\(?:[A-Za-z]+|[^A-Za-z])$/.test(name)) return undefined;
  j = nameArg.last + 1;
  let numArgs = 0;
  if (!isOperator) {
    const count = readOptionalArgument(tokens, j);
    if (count) {
      numArgs = Number.parseInt(tex.slice(count.contentStart, count.contentEnd), 10) || 0;
      j = count.last + 1;
      const dflt = readOptionalArgument(tokens, j); // optional-argument default: not supported by KaTeX string macros
      if (dflt) j = dflt.last + 1;
    }
  }
  const bodyArg = readArgument(tokens, j);
  if (!bodyArg) return undefined;
  let body = tex.slice(bodyArg.contentStart, bodyArg.contentEnd);
  if (isOperator) body = `\\operatorname${star ? '*' : ''}{${body}}`;
  else body = padUnusedArguments(body, numArgs);
  return { name, body, last: bodyArg.last };
}

function parseDef(tex: string, tokens: TexToken[], i: number): Parsed | undefined {
  const j = skipSpaces(tokens, i + 1);
  const nameTok = tokens[j];
  if (!nameTok || nameTok.kind !== 'cs') return undefined;
  // Parameter text up to the body's `{`: only undelimited #1…#9 are supported.
  let k = j + 1;
  let numArgs = 0;
  while (k < tokens.length && tokens[k].kind !== 'open') {
    const t = tokens[k];
    if (t.kind === 'char' && t.text === '#') numArgs++;
    else if (!(t.kind === 'char' && /[1-9]/.test(t.text)) && t.kind !== 'space') return undefined;
    k++;
  }
  const bodyArg = readArgument(tokens, k);
  if (!bodyArg) return undefined;
  return { name: nameTok.text, body: padUnusedArguments(tex.slice(bodyArg.contentStart, bodyArg.contentEnd), numArgs), last: bodyArg.last };
}

/**
 * KaTeX infers a string macro's arity by counting #1, #2, … in its body until one is missing; a
 * declared argument the body does not use must still be consumed, so each missing one is appended
 * inside a zero-size box.
 */
function padUnusedArguments(body: string, numArgs: number): string {
  let pad = '';
  for (let n = 1; n <= Math.min(numArgs, 9); n++) if (!body.includes('#' + n)) pad += `#${n}`;
  return pad ? `${body}\\mathrlap{\\phantom{${pad}}}` : body;
}

/** A base table as a MacroTable starts from it (the caller must not change a table it handed over). */
const bases = new WeakMap<Readonly<Record<string, string>>, { bounded: Readonly<Record<string, string>>; keyHash: number; key: string }>();

/** The macros of one post, in definition order: presets first, then what its formulas define. */
export class MacroTable {
  private readonly macros: Record<string, string>;
  private keyHash: number;
  private cachedKey: string;

  constructor(base: Readonly<Record<string, string>>) {
    // Every post of every render starts from the same few tables (presets and settings): read each once.
    let start = bases.get(base);
    if (!start) {
      // Settings and macro-file bodies get the formula's bound on kerns and shifts too.
      const bounded = Object.fromEntries(Object.entries(base).map(([name, body]) => [name, boundShifts(body)]));
      const keyHash = hashString(JSON.stringify(base));
      bases.set(base, (start = { bounded, keyHash, key: keyHash.toString(36) }));
    }
    this.macros = { ...start.bounded };
    this.keyHash = start.keyHash;
    this.cachedKey = start.key;
  }

  define(def: Pick<MacroDefinition, 'name' | 'body' | 'kind'>): void {
    if (def.kind === '\\providecommand' && def.name in this.macros) return;
    this.macros[def.name] = boundShifts(def.body);
    this.keyHash = hashString(`${this.keyHash}|${def.name}=${def.body}`);
    this.cachedKey = this.keyHash.toString(36);
  }

  /** Identifies the table's current content; part of the render cache key. */
  get key(): string {
    return this.cachedKey;
  }

  has(name: string): boolean {
    return Object.prototype.hasOwnProperty.call(this.macros, name);
  }

  /** A copy for one KaTeX call (KaTeX may write into the object it is given). */
  snapshot(): Record<string, string> {
    return { ...this.macros };
  }
}

/** The presets as a MacroTable holds them: an entry with this body is a preset no one redefined. */
const PRESET_BODIES = new Map(Object.entries(PRESET_MACROS).map(([name, body]) => [name, boundShifts(body)]));

interface TableSplit {
  /** Every entry but the presets, and the presets those entries name (transitively). */
  always: Record<string, string>;
  presets: Array<{ name: string; body: string }>;
}

const splits = new WeakMap<Readonly<Record<string, string>>, TableSplit>();

/**
 * The table a formula's KaTeX call gets: everything but the presets the formula cannot reach.
 * KaTeX looks up every command of a formula in the table it is given, and a table that holds all
 * ~30 presets (MathJax's extra commands, kexue's operators) made every formula ~2 % slower
 * (measured over shared/corpus/kexue-md). A preset is reached when the formula or a macro in the
 * table names it (by substring: a longer command that starts with its name only adds it for
 * nothing); KaTeX's own macros name none of them. The caller's table is not changed.
 */
export function macrosFor(table: Readonly<Record<string, string>>, tex: string): Record<string, string> {
  let split = splits.get(table);
  if (!split) splits.set(table, (split = splitPresets(table)));
  const out = { ...split.always };
  addNamedPresets(tex, split.presets, out);
  return out;
}

function splitPresets(table: Readonly<Record<string, string>>): TableSplit {
  const always: Record<string, string> = {};
  const presets: TableSplit['presets'] = [];
  for (const [name, body] of Object.entries(table)) {
    if (PRESET_BODIES.get(name) === body) presets.push({ name, body });
    else always[name] = body;
  }
  for (const body of Object.values(always)) addNamedPresets(body, presets, always);
  return { always, presets };
}

/** Adds to `out` each preset `text` names, and those their bodies name. */
function addNamedPresets(text: string, presets: TableSplit['presets'], out: Record<string, string>): void {
  if (!text.includes('\\')) return;
  for (const p of presets) {
    if (Object.prototype.hasOwnProperty.call(out, p.name) || !text.includes(p.name)) continue;
    out[p.name] = p.body;
    addNamedPresets(p.body, presets, out);
  }
}

/** 53-bit string hash (cyrb53): collisions are negligible for cache keys. */
export function hashString(str: string, seed = 0): number {
  let h1 = 0xdeadbeef ^ seed;
  let h2 = 0x41c6ce57 ^ seed;
  for (let i = 0; i < str.length; i++) {
    const ch = str.charCodeAt(i);
    h1 = Math.imul(h1 ^ ch, 2654435761);
    h2 = Math.imul(h2 ^ ch, 1597334677);
  }
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507) ^ Math.imul(h2 ^ (h2 >>> 13), 3266489909);
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507) ^ Math.imul(h1 ^ (h1 >>> 13), 3266489909);
  return 4294967296 * (2097151 & h2) + (h1 >>> 0);
}
