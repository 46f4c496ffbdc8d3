// The linter: renders the note through the one pipeline (so it sees exactly the formulas, labels
// and errors the preview does, and reuses the same caches), places each formula in the document,
// and runs the rules. Pure: text in, diagnostics out.

import { RenderCache } from '../math/katexRenderer';
import type { FormulaError, PostMath } from '../math/postMath';
import { renderNote } from '../render/renderNote';
import { placeFormula, type FormulaLocation, type ParsedFormula } from './locateFormula';
import { NoteText } from './noteText';
import { FormulaAnalysis } from './formulaAnalysis';
import { labelsIn } from './labels';
import { placedReferences, type PlacedTeX, type ProseReference } from './referenceSites';
import type { PostAnalysis } from './postAnalysis';
import type { FixDraft, RuleReport } from './rule';
import { FORMULA_RULES, LINT_RULES, POST_RULES } from './rules';
import { CITATION_RULES, checkCitations } from './citationRules';
import { reporter } from './reporter';
import { noteDirectives, suppressedBy } from './suppressions';
import { LruMap } from '../memo/lruMap';
import type { CitationResolver } from './citationAnalysis';
import { summarizeText, type PostSummary } from '../series/noteSummary';
import type { Locale, Text } from '../l10n/message';
import type { LintDiagnostic, RuleId, Severity } from './types';

export interface LintOptions {
  /** Macros added to the preset (settings, a workspace macro file), as for rendering. */
  macros?: Readonly<Record<string, string>>;
  cache?: RenderCache;
  /** Only these rules (default: all). */
  rules?: readonly RuleId[];
  /** Severity per rule; 'off' turns a rule off. */
  severity?: Partial<Record<RuleId, Severity | 'off'>>;
  /** The language of messages and fix titles (default English). */
  locale?: Locale;
  /**
   * A series index to resolve the note's 《citations》 against (the citation rules run only with
   * one: in the editor the workspace's, on the command line the notes given).
   */
  citations?: CitationResolver;
  /** The note's posts as the index summarised this very text (else they are summarised here). */
  citingPosts?: readonly PostSummary[];
}

/**
 * The memo lint renders with: the caller's checking sibling (formulas built, no HTML written: lint
 * reads errors, labels and numbers, never the page), so linting a long note does not hold its page.
 */
function checkingCache(cache: RenderCache | undefined): RenderCache {
  return (cache ?? (defaultChecking ??= new RenderCache(undefined, 'en', false))).checking;
}
let defaultChecking: RenderCache | undefined;

export function lintNote(text: string, fileName: string, options: LintOptions = {}): LintDiagnostic[] {
  const cache = checkingCache(options.cache);
  const rendered = renderNote(text, fileName, { macros: options.macros, cache });
  const { doc, report, enabled, found } = reporter(text, options, LINT_RULES, suppressedBy(noteDirectives(rendered.math)));
  const findingsMemo = findingsCache(cache);
  let looked = 0;
  rendered.note.posts.forEach((post, p) => {
    const math = rendered.math[p];
    // Every formula with its first line (labels); those found as written with their range too (references).
    const placed: Array<{ source: string; line: number; toDocument(o: number): number } & Partial<PlacedTeX>> = [];
    // A formula's KaTeX error, by its line and TeX (a cached block replays errors, not formulas).
    const errors = new Map<string, FormulaError>();
    for (const e of math.errors) errors.set(`${e.line}\u0000${e.source}`, e);
    for (const { formula: f, location: loc } of placeFormulas(doc, post.startLine, math.formulas)) {
      const error = errors.get(`${f.line}\u0000${f.source}`);
      const findings = formulaFindings(findingsMemo, f.source, f.macrosKey, f.macros, error, f.unescaped);
      looked++;
      if (!loc) {
        // Typeset, but its TeX is not in the document as written (math in raw HTML whose entities
        // the sanitizer decoded): checked all the same, each finding on its first line, no fix.
        const start = doc.lineStart(f.line);
        const end = doc.lineEnd(f.line);
        placed.push({ source: f.source, line: f.line, toDocument: () => start });
        for (const d of findings) report(d.rule, start, end, d.message);
        continue;
      }
      placed.push({ source: f.source, line: f.line, start: loc.start, end: loc.end, toDocument: loc.toDocument });
      for (const d of findings) {
        const at = loc.toDocument;
        report(
          d.rule,
          at(d.start),
          at(d.end),
          d.message,
          d.fixes.map((x) => ({
            title: x.title,
            edits: x.edits.map((e) => ({ start: at(e.start), end: at(e.end), text: e.text })),
            safe: x.safe,
          })),
        );
      }
    }
    let references: ReturnType<typeof placedReferences> | undefined;
    // Placed when a rule reads them (the label rules may be off).
    const referencesOfPost = () => {
      const located = () => placed.filter((f): f is PlacedTeX & { line: number } => f.start !== undefined);
      return (references ??= placedReferences(doc, post.index, located(), proseReferences(math)));
    };
    const analysis: PostAnalysis = {
      math,
      doc,
      endLine: post.endLine,
      labels: labelsIn(placed),
      get references() {
        return referencesOfPost().sites;
      },
      get unplacedReferences() {
        return referencesOfPost().unplaced;
      },
    };
    for (const rule of POST_RULES) {
      if (enabled.has(rule.id)) rule.checkPost!(analysis, (start, end, message, fixes) => report(rule.id, start, end, message, fixes));
    }
  });
  if (options.citations && CITATION_RULES.some((r) => enabled.has(r.id))) {
    checkCitations(options.citingPosts ?? summarizeText(fileName, fileName, text), doc, options.citations, enabled, report);
  }
  // Dropped after the note, never one it used: a note of more formulas than the bound, evicting
  // as it went, checked every formula again at each keystroke (10 M characters: ~0.4 s of 2 s).
  const keep = Math.max(MAX_FINDINGS, looked);
  if (findingsMemo.size > keep) findingsMemo.dropOldest(() => findingsMemo.size > keep * 0.9 && findingsMemo.size > looked);
  return found();
}

/** The post's references in prose, as the page made them (rendering records where each stands). */
function* proseReferences(math: PostMath): Generator<ProseReference> {
  for (const r of math.references) if (r.prose) yield { name: r.label, kind: r.prose.kind, line: r.line, column: r.prose.column };
}

/** Each formula of a post with where it sits in the document (none: the rules cannot place it). */
function* placeFormulas<F extends ParsedFormula>(
  doc: NoteText,
  startLine: number,
  formulas: readonly F[],
): Generator<{ formula: F; location?: FormulaLocation }> {
  let cursor = doc.lineStart(startLine);
  for (const formula of formulas) {
    const location = placeFormula(doc, formula, cursor);
    if (location) cursor = location.end;
    yield { formula, location };
  }
}

/**
 * The formulas the rules check, as document ranges (`unplaced`: checked on their first line, their
 * TeX not found as written), beside how many the page typesets: the fuzz property that lint agrees
 * with the page compares the two.
 */
export function lintedFormulas(
  text: string,
  fileName: string,
  options: LintOptions = {},
): { typeset: number; placed: Array<{ source: string; start: number; end: number }>; unplaced: string[] } {
  const rendered = renderNote(text, fileName, { macros: options.macros, cache: checkingCache(options.cache) });
  const bom = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  const doc = new NoteText(bom ? text.slice(1) : text);
  const placed: Array<{ source: string; start: number; end: number }> = [];
  const unplaced: string[] = [];
  let typeset = 0;
  rendered.note.posts.forEach((post, p) => {
    typeset += rendered.math[p].formulas.length;
    for (const { formula, location } of placeFormulas(doc, post.startLine, rendered.math[p].formulas)) {
      if (location) placed.push({ source: formula.source, start: location.start + bom, end: location.end + bom });
      else unplaced.push(formula.source);
    }
  });
  return { typeset, placed, unplaced };
}

/** A rule's finding in the formula's own offsets, its words not yet in the reader's language. */
interface Finding {
  rule: RuleId;
  start: number;
  end: number;
  message: Text;
  fixes: FixDraft[];
}

/**
 * A formula's findings in its own offsets, by TeX, macros and KaTeX error: an edit re-lints only
 * what changed. Kept: the latest note's, and others' up to MAX_FINDINGS.
 */
type FindingsCache = LruMap<string, Finding[]>;

/** How many formulas the rules have checked (not found in the memo): what a test of the memo reads. */
export const lintCounters = { formulasChecked: 0 };
const MAX_FINDINGS = 20000;
const findingsByCache = new WeakMap<RenderCache, FindingsCache>();

function findingsCache(cache: RenderCache): FindingsCache {
  let found = findingsByCache.get(cache);
  if (!found) findingsByCache.set(cache, (found = new LruMap()));
  return found;
}

function formulaFindings(
  cache: FindingsCache,
  source: string,
  macrosKey: string,
  macros: Readonly<Record<string, string>>,
  error: FormulaError | undefined,
  unescaped: boolean,
): Finding[] {
  const key = `${+unescaped}${macrosKey}\u0000${error ? `${error.message}\u0000${error.start}\u0000${error.end}` : ''}\u0000${source}`;
  let found = cache.get(key);
  if (found) return found;
  lintCounters.formulasChecked++;
  found = [];
  const out = found;
  // Every formula rule, whether enabled or not: the findings are kept for any set of rules.
  const formula = new FormulaAnalysis({ source, error, macros, unescaped });
  for (const rule of FORMULA_RULES) {
    const report: RuleReport = (start, end, message, fixes = []) => out.push({ rule: rule.id, start, end, message, fixes });
    rule.checkFormula!(formula, report);
  }
  cache.set(key, found);
  return found;
}
