// The one place that calls KaTeX: safe options, bounded work, errors caught and shown in place,
// and a bounded memo so that re-rendering after an edit only pays for the formulas that changed.

import katex from 'katex';
// \ce and \pu (MathJax's mhchem): KaTeX's own port registers them as built-in macros.
import 'katex/contrib/mhchem';
import { escapeHtml, flat } from '../html';
import { format, msg, type Locale } from '../l10n/message';
import { sanitizeFormulaCss } from './cssAllowlist';
import { LruMap } from '../memo/lruMap';
import { MAX_EXPANDED_TOKENS, MAX_FORMULA_LENGTH } from './formulaBounds';

export { MAX_EXPANDED_TOKENS, MAX_FORMULA_LENGTH };

export interface KatexResult {
  html: string;
  /**
   * Why KaTeX refused the formula, or, when `undefinedCommands` is set and `html` renders, the first
   * undefined command (the rest of the formula renders, those commands in red, as MathJax's
   * noundefined shows them): still an error of the note, for lint and the counts.
   */
  error?: { message: string; position?: number; length?: number; undefinedCommands?: string[] };
  /** Set when the formula was refused for a size bound (our limit, not a defect of its TeX). */
  limit?: 'length' | 'expansion' | 'post';
  /** Tokens the note's own macros added to it: what it takes from its post's budget. */
  macroTokens: number;
}

/**
 * The only classes a formula may wear, in a namespace of their own (`mnf-`): none of the page's
 * (`mn-back`, `mn-eq-card`, KaTeX's own…), which a formula could use to take the look and place of
 * the preview's controls. test/unit/formulaClasses.test.ts finds every class the page uses.
 */
export const FORMULA_CLASSES: ReadonlySet<string> = new Set(['mnf-eqref-undefined', 'mnf-eqref-pending', 'mnf-undefined']);

/** Hrefs a formula may link to: our own equation anchors and ordinary web links. */
const SAFE_HREF = /^(?:#mn-|https?:\/\/|mailto:)/i;

const trust = (context: { command: string; url?: string; class?: string; style?: string }): boolean => {
  switch (context.command) {
    case '\\href':
    case '\\url':
      return context.url !== undefined && SAFE_HREF.test(context.url);
    case '\\htmlClass':
      return context.class !== undefined && FORMULA_CLASSES.has(context.class);
    case '\\htmlStyle':
      // Only CSS the allowlist keeps whole (what \style and \bbox became, or the same written directly).
      return context.style !== undefined && sanitizeFormulaCss(context.style) === context.style.trim().replace(/\s*;\s*$/, '');
    default:
      return false; // \htmlId, \htmlData, \includegraphics
  }
};

export const KATEX_LIMITS = { maxSize: 50, maxExpand: 1000 } as const;

/**
 * The formula being rendered: every token expansions added (`tokens`, bounded per formula), and
 * those added by the note's own macros (`macroTokens`: \newcommand, settings, macro file,
 * presets; not KaTeX's built-ins, which grow with the source only), bounded by what is left of the
 * post's budget.
 */
let expansionMeter:
  | {
      tokens: number;
      macroTokens: number;
      macroLimit: number;
      macros: Record<string, unknown>;
      tags: number;
      marked: Record<string, string>;
    }
  | undefined;

const hasOwn = (table: object, name: string) => Object.prototype.hasOwnProperty.call(table, name);

/**
 * KaTeX keeps some bookkeeping in the same table while it parses (\tag's text, \color as
 * \textcolor, an array's \cr, \Set's bars): not the note's macros, so not charged, but only while
 * they hold what KaTeX puts there (a note could redefine the names to fan out).
 */
function isKatexBookkeeping(name: string, table: Record<string, unknown>): boolean {
  const value = table[name];
  switch (name) {
    case '\\cr':
      return value === '\\\\\\relax';
    case '\\color':
      return value === '\\textcolor';
    case '\\@eqnsw':
      return value === '1';
    case '|':
    case '\\|':
      return typeof value === 'function';
    case '\\current@color':
      return typeof value === 'string' && /^#?[a-z0-9]{1,8}$/i.test(value);
    case '\\df@tag': {
      // `\text{…}` with the tag's own text, naming none of the note's macros.
      const tokens = (value as { tokens?: Array<{ text: string }> } | undefined)?.tokens;
      return Array.isArray(tokens) && tokens.every((t) => !hasOwn(table, t.text));
    }
    default:
      return false;
  }
}

/**
 * Whether an expansion of `name` is KaTeX's own bookkeeping, not charged to the note. KaTeX expands
 * the tag it stored in `\df@tag` once per `\tag`: further expansions of it are the note's doing
 * (`\def\df@tag#1{#1#1}` used over and over passed as bookkeeping, uncharged, formula after formula).
 */
function uncharged(name: string, meter: NonNullable<typeof expansionMeter>): boolean {
  if (!isKatexBookkeeping(name, meter.macros as Record<string, unknown>)) return false;
  if (name !== '\\df@tag') return true;
  return meter.tags-- > 0;
}

/**
 * Our red mark for an undefined command (only while the name holds it: a \def in the formula may
 * take the name): not charged to any bound, as it adds a fixed few tokens per use in the source
 * and KaTeX's maxExpand counts its uses.
 */
function isUndefinedMark(name: string, meter: NonNullable<typeof expansionMeter>): boolean {
  return hasOwn(meter.marked, name) && meter.macros[name] === meter.marked[name];
}

class ExpansionLimitError extends Error {
  constructor(readonly bound: 'formula' | 'budget') {
    super(bound);
  }
}

interface KatexExpander {
  expandOnce(expandableOnly?: boolean): number | false;
  future(): { text: string };
}

/**
 * KaTeX has no option for the size of what macros produce, so its expander is metered: every
 * expansion's output is counted as it is pushed, and the formula stops as soon as it passes a
 * bound, while parsing, before any tree is built. (KaTeX hands its expander to a macro that is a
 * function, which is how we reach its class; the meter is off outside `renderKatex`.)
 */
function meterKatexExpansion(): boolean {
  let expander: Partial<KatexExpander> | undefined;
  try {
    katex.renderToString('\\mnProbe', {
      macros: {
        '\\mnProbe': (gullet: object) => {
          expander = Object.getPrototypeOf(gullet) as Partial<KatexExpander>;
          return '';
        },
      },
    });
  } catch {
    return false;
  }
  const expandOnce = expander?.expandOnce;
  if (!expander || typeof expandOnce !== 'function' || typeof expander.future !== 'function') return false;
  expander.expandOnce = function (this: KatexExpander, expandableOnly?: boolean): number | false {
    const meter = expansionMeter;
    if (!meter) return expandOnce.call(this, expandableOnly);
    const name = this.future().text; // what expandOnce is about to expand
    if (name === '\\tag@literal') meter.tags++; // KaTeX's \tag: it stores the tag in \df@tag, expanded once
    const pushed = expandOnce.call(this, expandableOnly);
    if (typeof pushed === 'number' && !isUndefinedMark(name, meter)) {
      meter.tokens += pushed;
      if (meter.tokens > MAX_EXPANDED_TOKENS) throw new ExpansionLimitError('formula');
      // Our macro object is KaTeX's table of non-built-in macros (a \def inside the formula lands there too).
      if (hasOwn(meter.macros, name) && !uncharged(name, meter)) {
        meter.macroTokens += pushed;
        if (meter.macroTokens > meter.macroLimit) throw new ExpansionLimitError('budget');
      }
    }
    return pushed;
  };
  return true;
}

/**
 * Tokens the note's own macros may add to all the formulas of one post together, and of one note
 * (a listing has many posts): many formulas, each under the formula's bound, must not add up to
 * minutes (the web host has no render timeout, so this is what stops them there). Built-in
 * expansions (\tag, \neq…) are not counted: they grow with the source, which the note size
 * bounds. The corpus's largest post takes 1 232; at the post's limit the costliest bodies measured
 * take ~3.5 s.
 */
export const MAX_POST_MACRO_TOKENS = 50000;
export const MAX_NOTE_MACRO_TOKENS = 100000;

/** False only if a KaTeX release moved its expander: then the bound falls back to maxExpand alone. */
export const EXPANSION_METERED = meterKatexExpansion();

/**
 * Distinct undefined commands one formula may show in red (MathJax's noundefined) before it is
 * refused whole: KaTeX stops at the first one, so each costs one more parse of the formula. The
 * corpus has at most one per formula; at the bound, a formula of MAX_FORMULA_LENGTH characters
 * whose undefined commands all come last takes ~9 parses (measured in SECURITY.md).
 */
export const MAX_UNDEFINED_COMMANDS = 8;

const UNDEFINED = /^Undefined control sequence: (\\(?:[A-Za-z@]+|[^A-Za-z@\s\\{}$&#^_%~]))$/;

/**
 * The command KaTeX calls undefined, if it is one the formula may show in red: a name KaTeX knows
 * in no mode (a math command inside \text{…} is refused whole, as MathJax refuses it), whose
 * characters read back as text.
 */
function markableUndefined(rawMessage: string): string | undefined {
  const name = UNDEFINED.exec(rawMessage)?.[1];
  return name !== undefined && !isKatexCommand(name) ? name : undefined;
}

/** What an undefined command becomes: its name in red (the class is styled by the page). */
function undefinedMark(name: string): string {
  return `{\\htmlClass{mnf-undefined}{\\text{\\textbackslash ${name.slice(1)}}}}`;
}

/**
 * `error.message` stays English (lint classifies it and words it per reader); the element's title,
 * which the page shows, is in `locale`. `markup` false: KaTeX parses the formula and builds its
 * HTML tree, which is where all its errors arise (the only ones writing markup can add come from
 * \htmlData, which `trust` refuses, and from MathML builders that cannot fail on a parsed
 * formula), but writes no markup: `html` is empty. Lint needs the errors, not 1 GB of HTML
 * (10 MB of dense math: 37 → 25 s, 2.5 → 2.0 GB of heap left after it).
 */
export function renderKatex(
  tex: string,
  displayMode: boolean,
  macros: Record<string, string> | (() => Record<string, string>),
  locale: Locale = 'en',
  macroBudget = MAX_POST_MACRO_TOKENS,
  markup = true,
): KatexResult {
  if (tex.length > MAX_FORMULA_LENGTH) {
    const limit = msg('Formula too long to render ({0} characters; the limit is {1})', tex.length, MAX_FORMULA_LENGTH);
    return { ...errorResult(tex, displayMode, format(limit), format(limit, locale)), limit: 'length' };
  }
  // Undefined commands marked so far, and KaTeX's error for the first one (what lint and the counts see).
  const marked: Record<string, string> = {};
  let names: string[] = [];
  let first: { message: string; position?: number; length?: number } | undefined;
  // A parse may add to the table (\def, \gdef): each retry starts from the note's macros as they
  // were — made anew by the caller's function, else copied now (a copy per formula, when most
  // formulas never retry, is what the function spares).
  const table = typeof macros === 'function' ? macros : copier(macros);
  let meter = { tokens: 0, macroTokens: 0, macroLimit: macroBudget, macros: table() as Record<string, unknown>, tags: 0, marked };
  try {
    for (;;) {
      expansionMeter = meter;
      try {
        const options: katex.KatexOptions = {
          displayMode,
          throwOnError: true,
          strict: 'ignore',
          trust,
          macros: meter.macros as Record<string, string>,
          maxSize: KATEX_LIMITS.maxSize,
          maxExpand: KATEX_LIMITS.maxExpand,
          output: 'htmlAndMathml',
          // The blog runs MathJax 2, where \color{c}{x} colours only x.
          colorIsTextColor: true,
        };
        if (!markup) {
          (katex as unknown as KatexInternals).__renderToHTMLTree(tex, options);
          if (!first) return { html: '', macroTokens: meter.macroTokens };
          return { html: '', error: { ...first, undefinedCommands: names }, macroTokens: meter.macroTokens };
        }
        // Flat while young: KaTeX's rope of thousands of pieces would otherwise live as long as
        // the note's render (and in the memo), copied by every scavenge (kexue-md: GC 3.4 → 1.5 s).
        const html = flat(katex.renderToString(tex, options));
        if (!first) return { html, macroTokens: meter.macroTokens };
        const title = format(msg('Undefined control sequence (shown in red): {0}', names.join(', ')), locale);
        return { html: withTitle(html, title), error: { ...first, undefinedCommands: names }, macroTokens: meter.macroTokens };
      } catch (err) {
        expansionMeter = undefined; // the probes below are not the formula's
        if (err instanceof ExpansionLimitError) {
          if (err.bound === 'budget') return { ...postBudgetRefusal(tex, displayMode, locale), macroTokens: meter.macroTokens };
          const tooMuch = msg(
            'Not rendered: its macros expand to more than {0} tokens (a macro used too often, or nested too deep?)',
            MAX_EXPANDED_TOKENS,
          );
          return {
            ...errorResult(tex, displayMode, format(tooMuch), format(tooMuch, locale)),
            limit: 'expansion',
            macroTokens: meter.macroTokens,
          };
        }
        const e = err as { message?: string; position?: number; length?: number; rawMessage?: string };
        // A stack overflow inside KaTeX says nothing to an author: say what causes one.
        if (err instanceof RangeError && /call stack/i.test(err.message)) {
          const nested = msg('Too deeply nested or recursive to render (a macro that calls itself?)');
          return { ...errorResult(tex, displayMode, format(nested), format(nested, locale)), macroTokens: meter.macroTokens };
        }
        const message = String(e.rawMessage ?? e.message ?? err);
        const name = typeof e.rawMessage === 'string' ? markableUndefined(e.rawMessage) : undefined;
        if (name !== undefined && !hasOwn(marked, name) && names.length < MAX_UNDEFINED_COMMANDS) {
          // As MathJax's noundefined: the name in red, the rest of the formula rendered. Parse again.
          first ??= { message, position: e.position, length: e.length };
          marked[name] = undefinedMark(name);
          names = [...names, name];
          meter = { ...meter, tokens: 0, macroTokens: 0, tags: 0, macros: { ...table(), ...marked } };
          continue;
        }
        // KaTeX's own wording is kept (it names the command and position); a Chinese reader gets a Chinese lead.
        const title = locale === 'en' ? message : format(msg('KaTeX cannot render this formula: {0}', message), locale);
        const result = errorResult(tex, displayMode, message, title, e.position, e.length);
        if (names.length) result.error!.undefinedCommands = names;
        return { ...result, macroTokens: meter.macroTokens };
      }
    }
  } finally {
    expansionMeter = undefined;
  }
}

/** KaTeX's build without markup (exported by its bundle beside renderToString, untyped). */
interface KatexInternals {
  __renderToHTMLTree(tex: string, options: katex.KatexOptions): unknown;
}

/** A function giving the table as it is now, each time: the first call gives the table itself. */
function copier(macros: Record<string, string>): () => Record<string, string> {
  const pristine = { ...macros };
  let first = true;
  return () => {
    if (!first) return { ...pristine };
    first = false;
    return macros;
  };
}

/** KaTeX's outermost element (`katex` or `katex-display`) gets the title and our page class. */
function withTitle(html: string, title: string): string {
  const attrs = `title="${escapeHtml(title)}" class="mn-math-undefined `;
  return /^<span class="katex/.test(html) ? html.replace(/^<span class="/, `<span ${attrs}`) : `<span ${attrs.trimEnd()}">${html}</span>`;
}

/** A formula refused because its post's macros have used up their budget (see MAX_POST_MACRO_TOKENS). */
function postBudgetRefusal(tex: string, displayMode: boolean, locale: Locale): KatexResult {
  const spent = msg(
    'Not rendered: the macros of this note have expanded too far in all (limits: {0} tokens per post, {1} per note)',
    MAX_POST_MACRO_TOKENS,
    MAX_NOTE_MACRO_TOKENS,
  );
  return { ...errorResult(tex, displayMode, format(spent), format(spent, locale)), limit: 'post', macroTokens: 0 };
}

function errorResult(tex: string, displayMode: boolean, message: string, title: string, position?: number, length?: number): KatexResult {
  const tag = displayMode ? 'div' : 'span';
  const html = `<${tag} class="katex-error" title="${escapeHtml(title)}">${escapeHtml(tex)}</${tag}>`;
  return { html, error: { message, position, length }, macroTokens: 0 };
}

const knownCommands = new Map<string, boolean>();

/** Whether KaTeX defines a control sequence (probed once per name: KaTeX has no public table). */
export function isKatexCommand(name: string): boolean {
  let known = knownCommands.get(name);
  if (known === undefined) {
    try {
      katex.renderToString(name, { throwOnError: true, strict: 'ignore' });
      known = true;
    } catch (err) {
      known = !/^KaTeX parse error: Undefined control sequence/.test(String((err as Error).message));
    }
    if (knownCommands.size < 10000) knownCommands.set(name, known);
  }
  return known;
}

/** What an entry counts against the memo's bound: its characters, and a bit for the entry itself (a checking memo's HTML is empty). */
function entrySize(key: string, result: KatexResult): number {
  return key.length + result.html.length + 64;
}

/** A size-bounded least-recently-used memo of rendered formulas. */
export class RenderCache {
  private readonly entries = new LruMap<string, KatexResult>();
  private size = 0;
  hits = 0;
  misses = 0;

  // Enough for the notes being edited (a 150-equation note is ~2 M characters of HTML); a larger
  // memo costs more in garbage-collection time than it saves. `locale`: the language of the messages
  // the HTML carries (error titles, notices), so everything cached with this memo is in one language.
  // `markup` false: a memo for checking (lint), its formulas built but their HTML not written (see
  // renderKatex); pages rendered with it have no formulas to show.
  constructor(
    private readonly maxChars = 4 * 1024 * 1024,
    readonly locale: Locale = 'en',
    readonly markup = true,
  ) {}

  /** A memo for checking beside this one: same language, its own entries and blocks. */
  get checking(): RenderCache {
    if (!this.markup) return this;
    return (this.checkingSibling ??= new RenderCache(this.maxChars, this.locale, false));
  }
  private checkingSibling?: RenderCache;

  /** `macroBudget`: tokens the post's macros may still add (a remembered result is held to it too). */
  render(
    tex: string,
    displayMode: boolean,
    macrosKey: string,
    macros: () => Record<string, string>,
    macroBudget = MAX_POST_MACRO_TOKENS,
  ): KatexResult {
    const key = `${displayMode ? 'D' : 'I'}${macrosKey}\u0000${tex}`;
    const hit = this.entries.get(key);
    if (hit) {
      this.hits++;
      return hit.macroTokens > macroBudget ? { ...postBudgetRefusal(tex, displayMode, this.locale), macroTokens: hit.macroTokens } : hit;
    }
    this.misses++;
    const result = renderKatex(tex, displayMode, macros, this.locale, macroBudget, this.markup);
    if (result.limit === 'post') return result; // depends on what the post had left: not for reuse
    this.entries.set(key, result);
    this.size += entrySize(key, result);
    if (this.size > this.maxChars) this.evict();
    return result;
  }

  /** Drops the least recently used entries down to 90 % of the bound: a batch, one sort. */
  private evict(): void {
    const target = this.maxChars * 0.9;
    this.entries.dropOldest(
      () => this.size > target && this.entries.size > 1,
      (key, old) => (this.size -= entrySize(key, old)),
    );
  }

  clear(): void {
    this.entries.clear();
    this.size = 0;
    this.checkingSibling?.clear();
  }
}
