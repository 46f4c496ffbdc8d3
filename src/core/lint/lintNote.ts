// The linter: renders the note through the one pipeline (so it sees exactly the formulas, labels
// and errors the preview does, and reuses the same caches), places each formula in the document,
// and runs the rules. Pure: text in, diagnostics out.

import type { RenderCache } from '../math/katexRenderer';
import type { FormulaError } from '../math/postMath';
import { renderNote } from '../render/renderNote';
import { placeFormula, type FormulaLocation, type ParsedFormula } from './locateFormula';
import { NoteText } from './noteText';
import { FormulaAnalysis } from './formulaAnalysis';
import { labelsIn } from './labels';
import type { PostAnalysis } from './postAnalysis';
import type { FixDraft, RuleReport } from './rule';
import { CITATION_RULES, FORMULA_RULES, POST_RULES } from './rules';
import type { CitationResolver } from './citationAnalysis';
import { summarizeText, type PostSummary } from '../series/noteSummary';
import { format, type Locale, type Text } from '../l10n/message';
import { RULES, RULE_IDS, type LintDiagnostic, type LintFix, type RuleId, type Severity } from './types';

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

export function lintNote(text: string, fileName: string, options: LintOptions = {}): LintDiagnostic[] {
  const rendered = renderNote(text, fileName, { macros: options.macros, cache: options.cache });
  const { doc, report, enabled, found } = reporter(text, options);
  rendered.note.posts.forEach((post, p) => {
    const math = rendered.math[p];
    const placed: Array<{ source: string; line: number; toDocument(o: number): number }> = [];
    // A formula's KaTeX error, by its line and TeX (a cached block replays errors, not formulas).
    const errors = new Map<string, FormulaError>();
    for (const e of math.errors) errors.set(`${e.line}\u0000${e.source}`, e);
    for (const { formula: f, location: loc } of placeFormulas(doc, post.startLine, math.formulas)) {
      const error = errors.get(`${f.line}\u0000${f.source}`);
      const findings = formulaFindings(findingsCache(options.cache), f.source, f.macrosKey, f.macros, error, f.unescaped);
      if (!loc) {
        // Typeset, but its TeX is not in the document as written (math in raw HTML whose entities
        // the sanitizer decoded): checked all the same, each finding on its first line, no fix.
        const start = doc.lineStart(f.line);
        const end = doc.lineEnd(f.line);
        placed.push({ source: f.source, line: f.line, toDocument: () => start });
        for (const d of findings) report(d.rule, start, end, d.message);
        continue;
      }
      placed.push({ source: f.source, line: f.line, toDocument: loc.toDocument });
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
    const analysis: PostAnalysis = { math, doc, endLine: post.endLine, labels: labelsIn(placed) };
    for (const rule of POST_RULES) {
      if (enabled.has(rule.id)) rule.checkPost!(analysis, (start, end, message, fixes) => report(rule.id, start, end, message, fixes));
    }
  });
  if (options.citations && CITATION_RULES.some((r) => enabled.has(r.id))) {
    checkCitations(options.citingPosts ?? summarizeText(fileName, fileName, text), doc, options.citations, enabled, report);
  }
  return found();
}

/**
 * The citation rules alone, for a note whose posts the series index has summarised already (the
 * editor's: the rest of lint runs in a worker, the index on the extension host).
 */
export function lintCitations(
  text: string,
  posts: readonly PostSummary[],
  resolver: CitationResolver,
  options: Omit<LintOptions, 'citations' | 'citingPosts' | 'macros' | 'cache'> = {},
): LintDiagnostic[] {
  const { doc, report, enabled, found } = reporter(text, options);
  checkCitations(posts, doc, resolver, enabled, report);
  return found();
}

type Reporter = (rule: RuleId, start: number, end: number, message: Text, drafts?: FixDraft[]) => void;

function checkCitations(
  posts: readonly PostSummary[],
  doc: NoteText,
  resolver: CitationResolver,
  enabled: ReadonlySet<RuleId>,
  report: Reporter,
): void {
  const note = { posts, doc, resolver };
  for (const rule of CITATION_RULES) {
    if (enabled.has(rule.id)) rule.checkCitations!(note, (start, end, message, fixes) => report(rule.id, start, end, message, fixes));
  }
}

/**
 * Where findings go, whatever rule made them: the enabled rules at their severity (the options',
 * else the default), minus what the note's `mathnotes-disable` comments turn off, in the reader's
 * language, in the document's offsets (a leading BOM counted back in); `found` sorts them.
 */
function reporter(
  text: string,
  options: LintOptions,
): { doc: NoteText; report: Reporter; enabled: ReadonlySet<RuleId>; found: () => LintDiagnostic[] } {
  // renderNote drops a leading BOM: offsets are counted in the text it parsed, then shifted back.
  const bom = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  const doc = new NoteText(bom ? text.slice(1) : text);
  const enabled = new Set(options.rules ?? RULE_IDS);
  const suppress = suppressions(doc);
  const out: LintDiagnostic[] = [];
  const report: Reporter = (rule, start, end, message, drafts = []) => {
    if (!enabled.has(rule)) return;
    const severity = options.severity?.[rule] ?? RULES[rule].severity;
    if (severity === 'off' || suppress(rule, doc.positionAt(start).line)) return;
    const fixes: LintFix[] = drafts.map((f) => ({
      title: format(f.title, options.locale),
      edits: bom ? f.edits.map((e) => ({ ...e, start: e.start + bom, end: e.end + bom })) : f.edits,
      ...(f.safe ? { safe: true } : {}),
    }));
    out.push({ rule, severity, message: format(message, options.locale), start: start + bom, end: Math.max(end, start) + bom, fixes });
  };
  return { doc, report, enabled, found: () => out.sort((a, b) => a.start - b.start || a.end - b.end || a.rule.localeCompare(b.rule)) };
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
  const rendered = renderNote(text, fileName, { macros: options.macros, cache: options.cache });
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

/** A formula's findings in its own offsets, by TeX, macros and KaTeX error: an edit re-lints only what changed. */
type FindingsCache = Map<string, Finding[]>;
const MAX_FINDINGS = 20000;
const defaultFindings: FindingsCache = new Map();
const findingsByCache = new WeakMap<RenderCache, FindingsCache>();

function findingsCache(cache: RenderCache | undefined): FindingsCache {
  if (!cache) return defaultFindings;
  let found = findingsByCache.get(cache);
  if (!found) findingsByCache.set(cache, (found = new Map()));
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
  if (found) {
    cache.delete(key); // most recently used goes last
    cache.set(key, found);
    return found;
  }
  found = [];
  const out = found;
  // Every formula rule, whether enabled or not: the findings are kept for any set of rules.
  const formula = new FormulaAnalysis({ source, error, macros, unescaped });
  for (const rule of FORMULA_RULES) {
    const report: RuleReport = (start, end, message, fixes = []) => out.push({ rule: rule.id, start, end, message, fixes });
    rule.checkFormula!(formula, report);
  }
  cache.set(key, found);
  if (cache.size > MAX_FINDINGS) cache.delete(cache.keys().next().value!);
  return found;
}

/**
 * `<!-- mathnotes-disable rule … -->` (the whole note), `<!-- mathnotes-disable-next-line rule … -->`
 * and `<!-- mathnotes-disable-line rule … -->`; no rule named means every rule.
 */
function suppressions(doc: NoteText): (rule: RuleId, line: number) => boolean {
  if (!doc.text.includes('mathnotes-disable')) return () => false;
  const note = new Set<string>();
  const byLine = new Map<number, Set<string>>();
  const add = (line: number, rules: string[]) => {
    if (!byLine.has(line)) byLine.set(line, new Set());
    for (const r of rules) byLine.get(line)!.add(r);
  };
  for (let line = 0; line < doc.lineCount; line++) {
    const text = doc.lineText(line);
    for (const m of text.matchAll(/<!--\s*mathnotes-disable(-next-line|-line)?((?:\s+[a-z-]+)*)\s*-->/g)) {
      const rules = m[2].trim() ? m[2].trim().split(/\s+/) : ['*'];
      if (!m[1]) for (const r of rules) note.add(r);
      else add(m[1] === '-line' ? line : line + 1, rules);
    }
  }
  return (rule, line) => note.has('*') || note.has(rule) || !!byLine.get(line)?.has('*') || !!byLine.get(line)?.has(rule);
}
