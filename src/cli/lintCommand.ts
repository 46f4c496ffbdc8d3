// `mathnotes lint <paths…> [--format text|json] [--rule id …] [--macros FILE]`: the editor's
// diagnostics for CI and pre-commit hooks. `file:line:col: severity rule message`; exit 1 on errors.
import { readFileSync } from 'node:fs';
import { relative } from 'node:path';
import { lintNote } from '../core/lint/lintNote';
import { NoteText } from '../core/lint/noteText';
import { RULE_IDS, type LintDiagnostic, type RuleId } from '../core/lint/types';
import { RenderCache } from '../core/math/katexRenderer';
import { parseMacroFile } from '../core/math/macroFile';
import { readNoteFile } from '../node/readNoteFile';
import { listInputs } from './noteInputs';
import { cliLocale, say, sayError, sayText } from './locale';
import { printErr, printJson, printOut, visible } from './terminal';
import { LINT_USAGE as USAGE } from './usage';

export function lintCommand(args: string[]): number {
  let format: 'text' | 'json' = 'text';
  const rules: RuleId[] = [];
  const inputs: string[] = [];
  let macroFile: string | undefined;
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (a === '--format') {
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
  const results: Array<{ file: string; diagnostics: Array<LintDiagnostic & { line: number; column: number; endLine: number; endColumn: number }> }> = [];
  let errors = 0;
  let unreadable = 0;
  const started = Date.now();
  for (const path of files) {
    const file = relative(process.cwd(), path) || path;
    let text: string;
    try {
      text = readNoteFile(path).text;
    } catch (err) {
      printErr(`mathnotes lint: ${say("cannot read '{0}': {1}", path, sayError(err))}`);
      unreadable++;
      continue;
    }
    const doc = new NoteText(text);
    const diagnostics = lintNote(text, path, { macros, cache, rules: rules.length ? rules : undefined, locale: cliLocale() }).map((d) => {
      const s = doc.positionAt(d.start);
      const e = doc.positionAt(d.end);
      return { ...d, line: s.line + 1, column: s.character + 1, endLine: e.line + 1, endColumn: e.character + 1 };
    });
    errors += diagnostics.filter((d) => d.severity === 'error').length;
    results.push({ file, diagnostics });
    // One line per finding, whatever the file's name or the formula KaTeX quotes: tools parse these lines.
    if (format === 'text') for (const d of diagnostics) printOut(`${visible(file, 'oneLine')}:${d.line}:${d.column}: ${d.severity} ${d.rule} ${visible(d.message, 'oneLine')}`);
  }
  if (format === 'json') printJson(results);
  const count = (sev: string) => results.reduce((n, r) => n + r.diagnostics.filter((d) => d.severity === sev).length, 0);
  printErr(`mathnotes lint: ${say('{0} note(s) in {1} ms: {2} error(s), {3} warning(s), {4} note(s)', files.length, Date.now() - started, errors, count('warning'), count('information') + count('hint'))}`);
  return errors > 0 || unreadable > 0 ? 1 : 0;
}

function usage(problem: string): number {
  printErr(`mathnotes lint: ${problem}\n${say(USAGE)}`);
  return 2;
}
