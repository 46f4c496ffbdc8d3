// Everything math that is scoped to one post: its macros, its equation counter, its labels.
// Formulas are prepared in document order (so numbers and macros follow the text), and rendered
// afterwards (so a reference may point forward).

import type { MappedText } from './editedString';
import { markdownUnescapeEdits } from '../markdown/mathDialect';
import { EditedString, type Replacement } from './editedString';
import { escapeHtml } from '../html';
import { format, msg, type Locale } from '../l10n/message';
import { isKatexCommand, MAX_NOTE_MACRO_TOKENS, MAX_POST_MACRO_TOKENS, RenderCache, type KatexResult } from './katexRenderer';
import { extractMacroDefinitions, hashString, MacroTable, macrosFor } from './macros';
import { conversionArtefactRepairs } from './conversionArtefacts';
import { mathjaxCompatEdits, textPercentEdits } from './mathjaxCompat';
import { shiftBoundEdits } from './lengthBounds';
import { inlineNumberingEdits, numberDisplay, taggedAlignedEdits, type EquationRow } from './numbering';

export interface PreparedFormula {
  display: boolean;
  /** The TeX as written in the note. */
  source: string;
  /** What KaTeX gets, with a map back to `source` offsets. */
  tex: MappedText;
  rows: EquationRow[];
  /** Element ids of this display: one per numbered row and per label. */
  anchors: string[];
  labels: string[];
  macrosKey: string;
  macros: Record<string, string>;
  /** 0-based source line of the formula's start. */
  line: number;
  /** Read with Markdown's escapes undone first (a note written for mdBook, kramdown or GitHub). */
  unescaped: boolean;
  /**
   * Where the parse found `source`: [offset in it, source line, column, length] per line it spans
   * (lint and the editor check these against the document). None for math in raw HTML.
   */
  at?: ReadonlyArray<readonly [number, number, number, number]>;
}

export interface LabelTarget {
  text: string;
  id: string;
  line: number;
}

export interface RenderedFormula {
  html: string;
  error?: KatexResult['error'] & { line: number };
}

export interface ReferenceUse {
  label: string;
  line: number;
  resolved: boolean;
  /** What it resolved to (so a cached rendering can be checked). */
  text?: string;
  id?: string;
  /** In prose, not in a formula: its command, and its column on `line` when the parse placed it. */
  prose?: { kind: 'eqref' | 'ref'; column?: number };
  /** Unresolved where labels may follow (see PostMath.labelsMayFollow): shown as pending, not as (??). */
  pending?: true;
}

export interface MathMark {
  key: string;
  counter: number;
  formulas: number;
  unclosed: number;
  comments: number;
  duplicates: number;
  unnumbered: number;
  labels: number;
  macros: number;
  htmlIds: number;
  references: number;
  errors: number;
  macroTokens: number;
  budgetRefusals: number;
}

/**
 * A math opener the page shows as text (nothing closes it) where TeX follows it, as the parse saw
 * it: lint reports exactly these, so it cannot disagree with the page.
 */
export interface UnclosedOpener {
  /** The opener as written (`$`, `$$`, `\\[`, `\\begin{align}` …) and its kind. */
  text: string;
  kind: string;
  /** Source line; the opener's column in the paragraph's line, and how many characters of that line follow it (trailing spaces aside). */
  line: number;
  column: number;
  tail: number;
}

/**
 * An HTML comment the parse found in the post's raw HTML (an HTML block or inline markup, never
 * code or math), with its source line: where lint reads its `mathnotes-disable` directives.
 */
export interface NoteComment {
  text: string;
  line: number;
}

export interface PreparedEffects {
  counter: number;
  unclosed: UnclosedOpener[];
  comments: NoteComment[];
  formulas: PreparedFormula[];
  duplicates: Array<{ name: string; line: number }>;
  unnumbered: Array<{ name: string; line: number }>;
  labels: Array<[string, LabelTarget]>;
  macros: Array<{ name: string; body: string; kind: string }>;
  /** Ids the post's raw HTML took (`mn-p0-h-…`). */
  htmlIds: string[];
  /**
   * The hashes of the labels and ids after the block. A block is replayed only from the state it
   * was prepared in (its cache key holds it), so these are what replaying it would compute.
   */
  labelsHash: number;
  idsHash: number;
}

export interface RenderedEffects {
  references: ReferenceUse[];
  errors: FormulaError[];
  /** Tokens the post's macros added in these formulas, and how many were refused for the post's budget. */
  macroTokens: number;
  budgetRefusals: number;
}

/** A formula KaTeX could not render; start/end: where, as offsets into `source` (the TeX as written). */
export interface FormulaError {
  message: string;
  line: number;
  source: string;
  start?: number;
  end?: number;
  /** Commands KaTeX does not know; when the formula rendered (shown in red) or not, as `message` tells. */
  undefinedCommands?: readonly string[];
}

export class PostMath {
  readonly labels = new Map<string, LabelTarget>();
  readonly duplicateLabels: Array<{ name: string; line: number }> = [];
  readonly unnumberedLabels: Array<{ name: string; line: number }> = [];
  readonly references: ReferenceUse[] = [];
  readonly errors: FormulaError[] = [];
  readonly formulas: PreparedFormula[] = [];
  readonly unclosed: UnclosedOpener[] = [];
  /** The comments in the post's raw HTML that may direct lint (NoteComment). */
  readonly comments: NoteComment[] = [];
  private counter = 0;
  /** Tokens this post's macros have added to its formulas so far (bounded by MAX_POST_MACRO_TOKENS). */
  private macroTokens = 0;
  private budgetRefusals = 0;
  private readonly usedIds = new Set<string>();
  private idsKeyHash = 0;
  /** Order in which labels and macro definitions arrived: what a cached block replays. */
  private readonly labelLog: string[] = [];
  private readonly macroLog: Array<{ name: string; body: string; kind: string }> = [];
  private readonly htmlIdLog: string[] = [];
  private labelsKeyHash = 0;
  private readonly isKnown = (name: string) => this.macros.has(name) || isKatexCommand(name);
  private readonly macros: MacroTable;
  private snapshotKey = '';
  private snapshot: Record<string, string> = {};

  /** `noteMacroTokens`: what the note's macros have added in all its posts, shared by their PostMaths. */
  /** The language of the messages this post's HTML carries. */
  get locale(): Locale {
    return this.cache.locale;
  }

  constructor(
    readonly postIndex: number,
    baseMacros: Readonly<Record<string, string>>,
    private readonly cache: RenderCache,
    private readonly noteMacroTokens: { tokens: number } = { tokens: 0 },
  ) {
    this.macros = new MacroTable(baseMacros);
  }

  /** An element id in this post's namespace: `mn-p0-eq-3`, `mn-p0-l-eq.3adm-ode`. */
  id(kind: 'eq' | 'tag' | 'l', name: string): string {
    return this.uniqueId(this.idBase(kind, name));
  }

  private idBase(kind: 'eq' | 'tag' | 'l' | 'h', name: string): string {
    // `.hex.` for every other character: one-to-one, and safe in ids and URLs.
    return `mn-p${this.postIndex}-${kind}-${name.replace(/[^A-Za-z0-9_-]/gu, (c) => '.' + c.codePointAt(0)!.toString(16) + '.')}`;
  }

  /**
   * The id an element of the note's raw HTML gets for its `id="name"` (`mn-p0-h-name`; a second
   * element with the same id gets `…-2`): never one of the page's own ids, nor a name that
   * clobbers a page global. Recorded for a cached block to replay.
   */
  htmlId(name: string): string {
    const id = this.uniqueId(this.idBase('h', name));
    this.htmlIdLog.push(id);
    return id;
  }

  /** Where a link to `#name` in this post leads: the first element whose raw HTML said `id="name"`. */
  htmlAnchor(name: string): string {
    return this.idBase('h', name);
  }

  private useId(id: string): void {
    this.usedIds.add(id);
    this.idsKeyHash = hashString(id, this.idsKeyHash);
  }

  /** Two rows may carry the same \tag: each still gets its own id. */
  private uniqueId(base: string): string {
    let id = base;
    for (let k = 2; this.usedIds.has(id); k++) id = `${base}-${k}`;
    this.useId(id);
    return id;
  }

  prepare(source: string, display: boolean, line: number, unescaped = false, at?: PreparedFormula['at']): PreparedFormula {
    // The site's Markdown ate one backslash of every pair before MathJax saw the TeX: so do we.
    let tex: MappedText = new EditedString(source, unescaped ? markdownUnescapeEdits(source) : []);
    const defs = extractMacroDefinitions(tex.text);
    if (defs.definitions.length) {
      for (const d of defs.definitions) {
        this.macros.define(d);
        this.macroLog.push({ name: d.name, body: d.body, kind: d.kind });
      }
      tex = tex.edit(defs.removals);
    }
    tex = tex.edit(textPercentEdits(tex.text)); // before any tokenizing: `%` would start a comment
    if (!unescaped) tex = tex.edit(conversionArtefactRepairs(tex.text, this.isKnown));
    tex = tex.edit(mathjaxCompatEdits(tex.text));
    tex = tex.edit(shiftBoundEdits(tex.text));
    tex = tex.edit(this.counterSettings(tex.text));
    let rows: EquationRow[] = [];
    const anchors: string[] = [];
    const labels: string[] = [];
    if (!display) {
      const inline = inlineNumberingEdits(tex.text);
      tex = tex.edit(inline.edits);
      for (const name of inline.labels) this.unnumberedLabels.push({ name, line });
    } else {
      tex = tex.edit(taggedAlignedEdits(tex.text));
      const numbered = numberDisplay(tex.text, () => ++this.counter);
      tex = tex.edit(numbered.edits);
      rows = numbered.rows;
      for (const r of rows) anchors.push(r.number !== undefined ? this.id('eq', String(r.number)) : this.id('tag', r.text ?? ''));
      for (const l of numbered.labels) {
        labels.push(l.name);
        if (!l.row) {
          this.unnumberedLabels.push({ name: l.name, line });
          continue;
        }
        if (this.labels.has(l.name)) {
          this.duplicateLabels.push({ name: l.name, line });
          continue;
        }
        const id = this.id('l', l.name);
        anchors.push(id);
        this.addLabel(l.name, { text: l.row.text ?? '', id, line });
      }
    }
    const formula: PreparedFormula = {
      display,
      source,
      tex,
      rows,
      anchors,
      labels,
      macrosKey: this.macros.key,
      macros: this.currentMacros(),
      line,
      unescaped,
      ...(at ? { at } : {}),
    };
    this.formulas.push(formula);
    return formula;
  }

  /** The macros the post's own formulas defined so far, in order (a redefinition is listed again). */
  get definedMacros(): ReadonlyArray<{ name: string; body: string; kind: string }> {
    return this.macroLog;
  }

  /** Every macro in force now (preset, settings, the post's own): name with backslash → body. */
  get macrosInForce(): Readonly<Record<string, string>> {
    return this.currentMacros();
  }

  /** Records an opener the page shows as text (see UnclosedOpener). */
  noteUnclosed(u: UnclosedOpener): void {
    this.unclosed.push(u);
  }

  /** Records a comment of the post's raw HTML that may direct lint (NoteComment). */
  noteComment(c: NoteComment): void {
    this.comments.push(c);
  }

  private addLabel(name: string, target: LabelTarget): void {
    this.labels.set(name, target);
    this.labelLog.push(name);
    this.labelsKeyHash = hashString(name, this.labelsKeyHash);
  }

  /** The state's key as last written: most blocks change no part of it (see stateKey). */
  private lastStateKey: { counter: number; macros: string; labels: number; ids: number; key: string } | undefined;

  /** Counter, macros, labels and ids so far, as one string: what a cached block's HTML depends on. */
  private stateKey(): string {
    const last = this.lastStateKey;
    const macros = this.macros.key;
    if (
      last &&
      last.counter === this.counter &&
      last.macros === macros &&
      last.labels === this.labelsKeyHash &&
      last.ids === this.idsKeyHash
    )
      return last.key;
    const key = `${this.counter}|${macros}|${this.labelsKeyHash.toString(36)}|${this.idsKeyHash.toString(36)}`;
    this.lastStateKey = { counter: this.counter, macros, labels: this.labelsKeyHash, ids: this.idsKeyHash, key };
    return key;
  }

  /** What a block of the post depends on (counter, macros, labels and ids so far), as a string: mark().key without the rest. */
  get key(): string {
    return this.stateKey();
  }

  /**
   * Where the math state stands: what a block of the post depends on (counter, macros, labels
   * defined so far) and where its effects will start in each list.
   */
  mark(): MathMark {
    return {
      key: this.stateKey(),
      counter: this.counter,
      formulas: this.formulas.length,
      unclosed: this.unclosed.length,
      comments: this.comments.length,
      duplicates: this.duplicateLabels.length,
      unnumbered: this.unnumberedLabels.length,
      labels: this.labelLog.length,
      macros: this.macroLog.length,
      htmlIds: this.htmlIdLog.length,
      references: this.references.length,
      errors: this.errors.length,
      macroTokens: this.macroTokens,
      budgetRefusals: this.budgetRefusals,
    };
  }

  /** What preparing a block did, from `start` to now, to replay when the block comes from cache. */
  preparedSince(start: MathMark): PreparedEffects {
    return {
      counter: this.counter,
      formulas: this.formulas.slice(start.formulas),
      unclosed: this.unclosed.slice(start.unclosed),
      comments: this.comments.slice(start.comments),
      duplicates: this.duplicateLabels.slice(start.duplicates),
      unnumbered: this.unnumberedLabels.slice(start.unnumbered),
      labels: this.labelLog.slice(start.labels).map((name) => [name, this.labels.get(name)!] as [string, LabelTarget]),
      macros: this.macroLog.slice(start.macros),
      htmlIds: this.htmlIdLog.slice(start.htmlIds),
      labelsHash: this.labelsKeyHash,
      idsHash: this.idsKeyHash,
    };
  }

  /** A cached block's effects, from the state it was prepared in. (Most blocks of a long note have none: each list is looked at first.) */
  replayPrepared(e: PreparedEffects): void {
    this.counter = e.counter;
    if (e.formulas.length) {
      for (const f of e.formulas) {
        this.formulas.push(f);
        for (const id of f.anchors) this.usedIds.add(id);
      }
    }
    if (e.unclosed.length) for (const u of e.unclosed) this.unclosed.push(u);
    if (e.comments.length) for (const c of e.comments) this.comments.push(c);
    if (e.duplicates.length) for (const d of e.duplicates) this.duplicateLabels.push(d);
    if (e.unnumbered.length) for (const u of e.unnumbered) this.unnumberedLabels.push(u);
    if (e.labels.length) {
      for (const [name, target] of e.labels) {
        this.labels.set(name, target);
        this.labelLog.push(name);
      }
    }
    if (e.macros.length) {
      for (const d of e.macros) {
        this.macros.define(d);
        this.macroLog.push(d);
      }
    }
    if (e.htmlIds.length) {
      for (const id of e.htmlIds) {
        this.usedIds.add(id);
        this.htmlIdLog.push(id);
      }
    }
    // What hashing each label and id again would give (a keystroke hashed every id of the note).
    this.labelsKeyHash = e.labelsHash;
    this.idsKeyHash = e.idsHash;
  }

  renderedSince(start: MathMark): RenderedEffects {
    return {
      references: this.references.slice(start.references),
      errors: this.errors.slice(start.errors),
      macroTokens: this.macroTokens - start.macroTokens,
      budgetRefusals: this.budgetRefusals - start.budgetRefusals,
    };
  }

  /**
   * A cached block's HTML is still right when every reference in it resolves as it did, and the
   * post's macro budget, from where it now stands, covers the block as it did (no formula of it
   * was refused then, none would be now).
   */
  canReuseRendered(e: RenderedEffects): boolean {
    if (e.budgetRefusals > 0 || this.macroTokens + e.macroTokens > MAX_POST_MACRO_TOKENS) return false;
    if (this.noteMacroTokens.tokens + e.macroTokens > MAX_NOTE_MACRO_TOKENS) return false;
    return e.references.every((r) => {
      const t = this.labels.get(r.label);
      if (r.resolved) return t !== undefined && t.text === r.text && t.id === r.id;
      // A pending reference's HTML serves only while labels may still follow: after, it is (??) or a link.
      return t === undefined && (!r.pending || this.labelsMayFollow);
    });
  }

  replayRendered(e: RenderedEffects): void {
    this.references.push(...e.references);
    this.errors.push(...e.errors);
    this.spendMacroTokens(e.macroTokens);
  }

  private spendMacroTokens(tokens: number): void {
    this.macroTokens += tokens;
    this.noteMacroTokens.tokens += tokens;
  }

  /** kexue.fm's `\setCounter{n}`: a post continued from an earlier one numbers on from n. */
  private counterSettings(tex: string): Replacement[] {
    if (!tex.includes('\\setCounter')) return [];
    const edits: Replacement[] = [];
    for (const m of tex.matchAll(/\\setCounter\s*\{\s*(\d{1,6})\s*\}/g)) {
      this.counter = Number(m[1]);
      edits.push({ start: m.index!, end: m.index! + m[0].length, text: '' });
    }
    return edits;
  }

  private currentMacros(): Record<string, string> {
    const key = this.macros.key;
    if (key !== this.snapshotKey) {
      this.snapshotKey = key;
      this.snapshot = this.macros.snapshot();
    }
    return this.snapshot;
  }

  /**
   * The post is cut short (a new page's first screen, rendered from the note's first part): a label
   * it does not define yet may be defined further on, so a reference to one is shown as pending —
   * "(…)" until the whole note's render — not as the red "(??)" of a label that does not exist.
   */
  labelsMayFollow = false;

  /** A reference in prose (`prose`: where) or as a whole inline formula: an HTML link, "(??)" when undefined. */
  referenceHtml(label: string, kind: 'eqref' | 'ref', line: number, prose?: { column?: number }): string {
    const target = this.labels.get(label);
    const pending = !target && this.labelsMayFollow;
    this.references.push({
      label,
      line,
      resolved: !!target,
      text: target?.text,
      id: target?.id,
      ...(prose ? { prose: { kind, ...prose } } : {}),
      ...(pending ? { pending } : {}),
    });
    if (pending) {
      return `<a class="mn-eqref mn-eqref-pending" data-label="${escapeHtml(label)}" aria-busy="true">${noNumber(kind, pending)}</a>`;
    }
    if (!target) {
      return `<a class="mn-eqref mn-eqref-undefined" data-label="${escapeHtml(label)}" title="${escapeHtml(format(msg('Undefined label: {0}', label), this.cache.locale))}">${noNumber(kind, pending)}</a>`;
    }
    const text = kind === 'eqref' ? `(${target.text})` : target.text;
    return `<a class="mn-eqref" href="#${target.id}" data-label="${escapeHtml(label)}">${escapeHtml(text)}</a>`;
  }

  render(f: PreparedFormula): RenderedFormula {
    if (!f.display) {
      const only = /^\s*\\(eqref|ref)\s*\{([^{}]*)\}\s*$/.exec(f.tex.text);
      if (only) return { html: this.referenceHtml(only[2].trim(), only[1] as 'eqref' | 'ref', f.line) };
    }
    const tex = f.tex.text.includes('ref') ? this.resolveReferences(f.tex, f.line) : f.tex;
    const budget = Math.max(0, Math.min(MAX_POST_MACRO_TOKENS - this.macroTokens, MAX_NOTE_MACRO_TOKENS - this.noteMacroTokens.tokens));
    const result = this.cache.render(tex.text, f.display, f.macrosKey, () => macrosFor(f.macros, tex.text), budget);
    this.spendMacroTokens(result.macroTokens);
    if (result.limit === 'post') this.budgetRefusals++;
    if (!result.error) return { html: result.html };
    // Where in the formula as written (lint ranges): KaTeX's position mapped back through every edit.
    const { position, length } = result.error;
    const at = position !== undefined ? tex.toSource(position) : undefined;
    const end = position !== undefined && length !== undefined ? tex.toSource(position + length) : undefined;
    const undefinedCommands = result.error.undefinedCommands;
    this.errors.push({
      message: result.error.message,
      line: f.line,
      source: f.source,
      ...(at !== undefined ? { start: at, end: Math.max(end ?? at, at) } : {}),
      ...(undefinedCommands ? { undefinedCommands } : {}),
    });
    return { html: result.html, error: { ...result.error, line: f.line } };
  }

  /** \eqref{x} → \href{#id}{\text{(n)}} inside a formula (KaTeX knows neither \eqref nor \ref). */
  private resolveReferences(tex: MappedText, line: number): MappedText {
    const edits: Replacement[] = [];
    for (const m of tex.text.matchAll(/\\(eqref|ref)\s*\{([^{}]*)\}/g)) {
      const kind = m[1];
      const label = m[2].trim();
      const target = this.labels.get(label);
      const pending = !target && this.labelsMayFollow;
      this.references.push({ label, line, resolved: !!target, text: target?.text, id: target?.id, ...(pending ? { pending } : {}) });
      const text = target
        ? `\\href{#${target.id}}{\\text{${kind === 'eqref' ? `(${target.text})` : target.text}}}`
        : `\\htmlClass{${pending ? 'mnf-eqref-pending' : 'mnf-eqref-undefined'}}{\\text{${noNumber(kind, pending)}}}`;
      edits.push({ start: m.index!, end: m.index! + m[0].length, text });
    }
    return tex.edit(edits);
  }
}

/** What a reference with no number shows: (??) for a label that does not exist, (…) for one that may follow. */
function noNumber(kind: string, pending: boolean): string {
  const mark = pending ? '…' : '??';
  return kind === 'eqref' ? `(${mark})` : mark;
}
