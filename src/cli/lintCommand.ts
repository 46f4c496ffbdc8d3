// `mathnotes lint <paths…> [--fix [--dry-run]] [--format text|json] [--rule id …] [--macros FILE]`:
// the editor's diagnostics for CI and pre-commit hooks. `file:line:col: severity rule message`;
// exit 1 on errors. --fix applies the safe fixes (core/lint/fixAll.ts) and writes what changed,
// in the note's own encoding, over the same file (as an editor saves it).
import { readFileSync } from 'node:fs';
import { RULE_IDS, type RuleId } from '../core/lint/types';
import { summarizeText, type PostSummary } from '../core/series/noteSummary';
import { readNoteFile } from '../node/readNoteFile';
import { parseMacroFile } from '../core/math/macroFile';
import { type LintFileResult, type LintFileSettings, type PlacedDiagnostic } from './lintFile';
import { listInputs } from './noteInputs';
import { say, sayError, sayText } from './locale';
import { jobsOption, runJobs, threadsFor } from './workerPool';
import { printErr, printJson, printOut, visible } from './terminal';
import { usageError } from './usage';

export async function lintCommand(args: string[]): Promise<number> {
  let format: 'text' | 'json' = 'text';
  const rules: RuleId[] = [];
  const inputs: string[] = [];
  let macroFile: string | undefined;
  let fix = false;
  let dryRun = false;
  let jobs: number | undefined;
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
    else if (a === '-j' || a === '--jobs' || /^(?:-j|--jobs=)\d+$/.test(a)) {
      const n = jobsOption(a, args[i + 1]);
      if (n === undefined) return usage(say('-j needs a number of threads, 1 or more'));
      if (!/\d$/.test(a)) i++;
      jobs = n;
    } else if (a.startsWith('-')) return usage(say("unknown option '{0}'", a));
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
  const results: Array<{ file: string; fixed?: number; diagnostics: PlacedDiagnostic[] }> = [];
  let errors = 0;
  let unreadable = 0;
  let unwritten = 0;
  let fixedProblems = 0;
  let fixedNotes = 0;
  const started = Date.now();
  const checksCitations = rules.length === 0 || rules.some((r) => r.endsWith('-citation'));
  const settings: LintFileSettings = {
    macros,
    rules: rules.length ? rules : undefined,
    fix,
    dryRun,
    posts: checksCitations ? summaries(files) : undefined,
  };
  const take = (_: number, r: LintFileResult): void => {
    for (const m of r.messages) printErr(`mathnotes lint: ${m}`);
    if (!r.diagnostics) {
      unreadable++;
      return;
    }
    if (r.unwritten) unwritten++;
    else if (r.fixed) {
      fixedProblems += r.fixed;
      fixedNotes++;
    }
    errors += r.diagnostics.filter((d) => d.severity === 'error').length;
    results.push({ file: r.file, ...(fix ? { fixed: r.fixed ?? 0 } : {}), diagnostics: r.diagnostics });
    // One line per finding, whatever the file's name or the formula KaTeX quotes: tools parse these lines.
    if (format === 'text')
      for (const d of r.diagnostics)
        printOut(`${visible(r.file, 'oneLine')}:${d.line}:${d.column}: ${d.severity} ${d.rule} ${visible(d.message, 'oneLine')}`);
  };
  try {
    await runJobs('lint', settings, files, threadsFor(files.length, jobs), take);
  } catch (err) {
    const index = (err as { index?: number }).index;
    printErr(
      `mathnotes lint: ${index !== undefined && files[index] ? say("cannot lint '{0}': {1}", files[index], sayError(err)) : sayError(err)}`,
    );
    return 1;
  }
  if (format === 'json') printJson(results);
  const count = (sev: string) => results.reduce((n, r) => n + r.diagnostics.filter((d) => d.severity === sev).length, 0);
  const fixedSummary = !fix
    ? ''
    : dryRun
      ? say('would fix {0} problem(s) in {1} note(s)', fixedProblems, fixedNotes)
      : say('fixed {0} problem(s) in {1} note(s)', fixedProblems, fixedNotes);
  printErr(
    `mathnotes lint: ${say('{0} note(s) in {1} ms: {2} error(s), {3} warning(s), {4} note(s)', files.length, Date.now() - started, errors, count('warning'), count('information') + count('hint'))}${fixedSummary ? `; ${fixedSummary}` : ''}`,
  );
  return errors > 0 || unreadable > 0 || unwritten > 0 ? 1 : 0;
}

const usage = (problem: string) => usageError('lint', problem);

/**
 * Every note's posts, as the series index keeps them: the citation rules resolve each note's
 * citations against the notes of the run (one that cannot be read has none, and is said by lint).
 */
function summaries(files: readonly string[]): Array<[string, PostSummary[]]> {
  return files.map((path) => {
    try {
      return [path, summarizeText(path, path, readNoteFile(path).text)];
    } catch {
      return [path, []];
    }
  });
}
