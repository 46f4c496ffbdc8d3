// `mathnotes lint <paths…> [--fix [--dry-run]] [--format text|json] [--rule id …] [--macros FILE]`:
// the editor's diagnostics for CI and pre-commit hooks. `file:line:col: severity rule message`;
// exit 1 on errors. --fix applies the safe fixes (core/lint/fixAll.ts) and writes what changed,
// in the note's own encoding, over the same file (as an editor saves it).
import { readFileSync, writeFileSync } from 'node:fs';
import { relative } from 'node:path';
import { fixNote } from '../core/lint/fixAll';
import { lintNote } from '../core/lint/lintNote';
import { NoteText } from '../core/lint/noteText';
import { RULE_IDS, type LintDiagnostic, type RuleId } from '../core/lint/types';
import { RenderCache } from '../core/math/katexRenderer';
import { parseMacroFile } from '../core/math/macroFile';
import { decodeNote } from '../node/readNoteFile';
import type { DecodedNote } from '../core/note/decodeNote';
import { listInputs } from './noteInputs';
import { cliLocale, say, sayError, sayText } from './locale';
import { printErr, printJson, printOut, visible } from './terminal';
import { usageError } from './usage';

export function lintCommand(args: string[]): number {
  let format: 'text' | 'json' = 'text';
  const rules: RuleId[] = [];
  const inputs: string[] = [];
  let macroFile: string | undefined;
  let fix = false;
  let dryRun = false;
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (a === '--fix') fix = true;
    else if (a === '--dry-run') dryRun = true;
    else if (a === '--format') {
      const f = args[++i];
      if (f !== 'text' && f !== 'json') return usage(say("unknown format '{0}'", f));
      format = f;
    } else if (a === '--rule') {
      const r = args[++i] as RuleId;
      if (!RULE_IDS.includes(r)) return usage(say("unknown rule '{0}' (rules: {1})", r, RULE_IDS.join(', ')));
      rules.push(r);
    } else if (a === '--macros') macroFile = args[++i];
    else if (a.startsWith('-')) return usage(say("unknown option '{0}'", a));
    else inputs.push(a);
  }
  if (inputs.length === 0) return usage(say('no notes given'));
  if (dryRun && !fix) return usage(say('--dry-run goes with --fix'));
  let macros: Record<string, string> | undefined;
  if (macroFile !== undefined) {
    try {
      const parsed = parseMacroFile(readFileSync(macroFile, 'utf8'), macroFile);
      for (const p of parsed.problems) printErr(`mathnotes lint: ${sayText(p)}`);
      macros = parsed.macros;
    } catch {
      return usage(say("cannot read the macro file '{0}'", macroFile));
    }
  }
  const listed = listInputs(inputs, 'mathnotes lint');
  if (!listed) return 2;
  const files = listed.map((n) => n.path);
  const cache = new RenderCache();
  const results: Array<{ file: string; fixed?: number; diagnostics: Array<LintDiagnostic & { line: number; column: number; endLine: number; endColumn: number }> }> = [];
  let errors = 0;
  let unreadable = 0;
  let unwritten = 0;
  let fixedProblems = 0;
  let fixedNotes = 0;
  const started = Date.now();
  const options = { macros, cache, rules: rules.length ? rules : undefined, locale: cliLocale() };
  for (const path of files) {
    const file = relative(process.cwd(), path) || path;
    let bytes: Buffer;
    let decoded: DecodedNote;
    try {
      bytes = readFileSync(path);
      decoded = decodeNote(bytes);
    } catch (err) {
      printErr(`mathnotes lint: ${say("cannot read '{0}': {1}", path, sayError(err))}`);
      unreadable++;
      continue;
    }
    // The findings are about the fixed text when there is one (written, or with --dry-run as it would be).
    let text = decoded.text;
    let found;
    let fixed: number | undefined;
    if (fix) {
      const result = fixNote(text, path, options);
      found = result.diagnostics;
      fixed = result.fixed;
      if (result.stopped === 'new-errors') printErr(`mathnotes lint: ${say("'{0}': a pass of fixes would have added errors; it was not applied", file)}`);
      if (result.fixed > 0) {
        const counts = Object.entries(result.byRule).map(([rule, n]) => `${rule} ${n}`).join(', ');
        const problem = dryRun ? undefined : writeFixed(path, bytes, decoded, result.text);
        if (problem) {
          printErr(`mathnotes lint: ${say("'{0}': not written: {1}", file, problem)}`);
          unwritten++;
          found = lintNote(text, path, options);
          fixed = 0;
        } else {
          printErr(`mathnotes lint: ${dryRun ? say("'{0}': would fix {1} problem(s) ({2})", file, result.fixed, counts) : say("'{0}': fixed {1} problem(s) ({2})", file, result.fixed, counts)}`);
          text = result.text;
          fixedProblems += result.fixed;
          fixedNotes++;
        }
      }
    } else {
      found = lintNote(text, path, options);
    }
    const doc = new NoteText(text);
    const diagnostics = found.map((d) => {
      const s = doc.positionAt(d.start);
      const e = doc.positionAt(d.end);
      return { ...d, line: s.line + 1, column: s.character + 1, endLine: e.line + 1, endColumn: e.character + 1 };
    });
    errors += diagnostics.filter((d) => d.severity === 'error').length;
    results.push({ file, ...(fix ? { fixed: fixed ?? 0 } : {}), diagnostics });
    // One line per finding, whatever the file's name or the formula KaTeX quotes: tools parse these lines.
    if (format === 'text') for (const d of diagnostics) printOut(`${visible(file, 'oneLine')}:${d.line}:${d.column}: ${d.severity} ${d.rule} ${visible(d.message, 'oneLine')}`);
  }
  if (format === 'json') printJson(results);
  const count = (sev: string) => results.reduce((n, r) => n + r.diagnostics.filter((d) => d.severity === sev).length, 0);
  const fixedSummary = !fix ? '' : dryRun ? say('would fix {0} problem(s) in {1} note(s)', fixedProblems, fixedNotes) : say('fixed {0} problem(s) in {1} note(s)', fixedProblems, fixedNotes);
  printErr(`mathnotes lint: ${say('{0} note(s) in {1} ms: {2} error(s), {3} warning(s), {4} note(s)', files.length, Date.now() - started, errors, count('warning'), count('information') + count('hint'))}${fixedSummary ? `; ${fixedSummary}` : ''}`);
  return errors > 0 || unreadable > 0 || unwritten > 0 ? 1 : 0;
}

/**
 * Writes a fixed note over its file in the encoding it was read in (a UTF-8 BOM kept), unless the
 * file changed since it was read; the reason it was not written, if it was not.
 */
function writeFixed(path: string, read: Buffer, decoded: DecodedNote, text: string): string | undefined {
  let bytes: Buffer;
  switch (decoded.encoding) {
    case 'utf-8':
      bytes = Buffer.concat([read[0] === 0xef && read[1] === 0xbb && read[2] === 0xbf ? read.subarray(0, 3) : Buffer.alloc(0), Buffer.from(text, 'utf8')]);
      break;
    case 'utf-16le':
      bytes = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]);
      break;
    case 'utf-16be':
      bytes = Buffer.concat([Buffer.from([0xfe, 0xff]), Buffer.from(text, 'utf16le').swap16()]);
      break;
    default:
      return say('it is {0}, which mathnotes reads but does not write; convert it to UTF-8 to fix it here', decoded.encoding.toUpperCase());
  }
  try {
    if (!readFileSync(path).equals(read)) return say('it changed while it was being fixed');
    writeFileSync(path, bytes);
  } catch (err) {
    return sayError(err);
  }
  return undefined;
}

const usage = (problem: string) => usageError('lint', problem);
