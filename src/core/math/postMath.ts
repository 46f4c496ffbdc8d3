// Everything math that is scoped to one post: its macros, its equation counter, its labels.
// Formulas are prepared in document order (so numbers and macros follow the text), and rendered
// afterwards (so a reference may point forward).

import type { MappedText } from './editedString';
import { EditedString, type Replacement } from './editedString';
import { escapeHtml, isKatexCommand, RenderCache, type KatexResult } from './katexRenderer';
import { extractMacroDefinitions, MacroTable } from './macros';
import { conversionArtefactRepairs } from './conversionArtefacts';
import { mathjaxCompatEdits, textPercentEdits } from './mathjaxCompat';
import { numberDisplay, taggedAlignedEdits, type EquationRow } from './numbering';

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
}

export class PostMath {
  readonly labels = new Map<string, LabelTarget>();
  readonly duplicateLabels: Array<{ name: string; line: number }> = [];
  readonly unnumberedLabels: Array<{ name: string; line: number }> = [];
  readonly references: ReferenceUse[] = [];
  readonly errors: Array<{ message: string; line: number; source: string }> = [];
  readonly formulas: PreparedFormula[] = [];
  private counter = 0;
  private readonly isKnown = (name: string) => this.macros.has(name) || isKatexCommand(name);
  private readonly macros: MacroTable;
  private snapshotKey = '';
  private snapshot: Record<string, string> = {};

  constructor(
    readonly postIndex: number,
    baseMacros: Readonly<Record<string, string>>,
    private readonly cache: RenderCache,
  ) {
    this.macros = new MacroTable(baseMacros);
  }

  /** An element id in this post's namespace: `mn-p0-eq-3`, `mn-p0-l-eq.3adm-ode`. */
  id(kind: 'eq' | 'tag' | 'l', name: string): string {
    return `mn-p${this.postIndex}-${kind}-${name.replace(/[^A-Za-z0-9_-]/g, (c) => '.' + c.codePointAt(0)!.toString(16))}`;
  }

  prepare(source: string, display: boolean, line: number): PreparedFormula {
    let tex: MappedText = new EditedString(source);
    const defs = extractMacroDefinitions(source);
    if (defs.definitions.length) {
      for (const d of defs.definitions) this.macros.define(d);
      tex = new EditedString(source, defs.removals);
    }
    tex = tex.edit(textPercentEdits(tex.text)); // before any tokenizing: `%` would start a comment
    tex = tex.edit(conversionArtefactRepairs(tex.text, this.isKnown));
    tex = tex.edit(mathjaxCompatEdits(tex.text));
    tex = tex.edit(this.counterSettings(tex.text));
    let rows: EquationRow[] = [];
    const anchors: string[] = [];
    const labels: string[] = [];
    if (display) {
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
        this.labels.set(l.name, { text: l.row.text ?? '', id, line });
      }
    }
    const formula: PreparedFormula = { display, source, tex, rows, anchors, labels, macrosKey: this.macros.key, macros: this.currentMacros(), line };
    this.formulas.push(formula);
    return formula;
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

  /** A reference in prose or as a whole inline formula: an HTML link, "(??)" when undefined. */
  referenceHtml(label: string, kind: 'eqref' | 'ref', line: number): string {
    const target = this.labels.get(label);
    this.references.push({ label, line, resolved: !!target });
    if (!target) {
      return `<a class="mn-eqref mn-eqref-undefined" data-label="${escapeHtml(label)}" title="${escapeHtml(`Undefined label: ${label}`)}">${kind === 'eqref' ? '(??)' : '??'}</a>`;
    }
    const text = kind === 'eqref' ? `(${target.text})` : target.text;
    return `<a class="mn-eqref" href="#${target.id}" data-label="${escapeHtml(label)}">${escapeHtml(text)}</a>`;
  }

  render(f: PreparedFormula): RenderedFormula {
    if (!f.display) {
      const only = /^\s*\\(eqref|ref)\s*\{([^{}]*)\}\s*$/.exec(f.tex.text);
      if (only) return { html: this.referenceHtml(only[2].trim(), only[1] as 'eqref' | 'ref', f.line) };
    }
    let tex = f.tex.text;
    if (tex.includes('ref')) tex = this.resolveReferences(tex, f.line);
    const result = this.cache.render(tex, f.display, f.macrosKey, () => ({ ...f.macros }));
    if (!result.error) return { html: result.html };
    this.errors.push({ message: result.error.message, line: f.line, source: f.source });
    return { html: result.html, error: { ...result.error, line: f.line } };
  }

  /** \eqref{x} → \href{#id}{\text{(n)}} inside a formula (KaTeX knows neither \eqref nor \ref). */
  private resolveReferences(tex: string, line: number): string {
    return tex.replace(/\\(eqref|ref)\s*\{([^{}]*)\}/g, (_m, kind: string, raw: string) => {
      const label = raw.trim();
      const target = this.labels.get(label);
      this.references.push({ label, line, resolved: !!target });
      if (!target) return `\\htmlClass{mn-eqref-undefined}{\\text{${kind === 'eqref' ? '(??)' : '??'}}}`;
      const text = kind === 'eqref' ? `(${target.text})` : target.text;
      return `\\href{#${target.id}}{\\text{${text}}}`;
    });
  }
}
