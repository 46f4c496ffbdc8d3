// `mathnotes run <file|folder>... [--check] [--json] [--python PATH]`: runs every snippet of each
// note in order, in child processes (snippetRunner), and prints their outputs; exits 1 when a
// snippet did not run to its end, and with --check also when its output differs from its expected
// `output` block (for authors' CI).
import { readFileSync, realpathSync } from 'node:fs';
import { say, sayError } from './locale';
import { printErr, printJson, printOut, visible } from './terminal';
import { dirname, isAbsolute, join, relative, resolve } from 'node:path';
import { compareOutput, DEFAULT_TOLERANCE, type Comparison } from '../core/snippets/compare';
import { findSnippets, type Snippet } from '../core/snippets/snippets';
import { stderrForReader } from '../core/snippets/tracebacks';
import { readNoteFile } from '../node/readNoteFile';
import { DEFAULT_OUTPUT_CAP, DEFAULT_TIMEOUT_MS, runSnippet, type RunResult } from '../node/snippets/snippetRunner';
import { listInputs } from './noteInputs';
import { usageError } from './usage';

interface SnippetReport {
  index: number;
  line: number;
  language: string;
  skipped?: boolean;
  result?: RunResult;
  check?: Comparison & { tolerance: number };
}

export async function runCommand(args: string[]): Promise<number> {
  let check = false;
  let json = false;
  let python: string | undefined;
  const inputs: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (a === '--check') check = true;
    else if (a === '--json') json = true;
    else if (a === '--python') python = args[++i];
    else if (a.startsWith('-')) return usage(say("unknown option '{0}'", a));
    else inputs.push(a);
  }
  if (inputs.length === 0) return usage(say('no notes given'));
  if (args.includes('--python') && !python) return usage(say('--python needs a path'));
  const listed = listInputs(inputs, 'mathnotes run');
  if (!listed) return 2;
  // One note named: its report as before (an object in JSON, "no snippets" said); a folder's notes
  // without snippets pass in silence.
  const one = listed.length === 1 && listed[0].inFolder === undefined;
  const notes: Array<{ file: string; snippets: SnippetReport[] }> = [];
  let failed = 0;
  let unreadable = 0;
  let ran = 0;
  for (const input of listed) {
    const path = resolve(input.path);
    const label = relative(process.cwd(), path) || path;
    let text: string;
    try {
      text = readNoteFile(path).text;
    } catch (err) {
      printErr(`mathnotes run: ${say("cannot read '{0}': {1}", input.path, sayError(err))}`);
      unreadable++;
      continue;
    }
    const reports: SnippetReport[] = [];
    for (const snippet of findSnippets(text, path)) {
      const report = await runOne(path, label, snippet, { check, python });
      reports.push(report);
      if (report.result) ran++;
      if ((report.result && report.result.status !== 'ok') || report.check?.pass === false) failed++;
      if (!json) print(label, snippet, report);
    }
    if (reports.length > 0 || input.inFolder === undefined) notes.push({ file: label, snippets: reports });
    if (!json && reports.length === 0 && input.inFolder === undefined) printOut(`${visible(label, 'oneLine')}: ${say('no snippets')}`);
  }
  if (json) printJson(one ? (notes[0] ?? { file: listed[0].path, snippets: [] }) : notes);
  if (!one)
    printErr(
      `mathnotes run: ${say('{0} snippet(s) run in {1} note(s): {2} failed', ran, notes.filter((n) => n.snippets.length > 0).length, failed)}`,
    );
  return failed > 0 || unreadable > 0 ? 1 : 0;
}

async function runOne(path: string, label: string, snippet: Snippet, options: { check: boolean; python?: string }): Promise<SnippetReport> {
  const report: SnippetReport = { index: snippet.index, line: snippet.fenceLine + 1, language: snippet.language };
  if (snippet.attributes.skip) {
    report.skipped = true;
    return report;
  }
  const code = snippet.attributes.file ? attached(path, snippet) : snippet.code;
  if (code === undefined) {
    report.result = {
      status: 'error',
      exitCode: null,
      stdout: '',
      stderr: '',
      truncated: false,
      ms: 0,
      message: say("the attached file '{0}' is outside the note's folder or cannot be read: not run", snippet.attributes.file!),
    };
    return report;
  }
  const r = await runSnippet(
    { language: snippet.language, code, doctest: snippet.doctest },
    {
      timeoutMs: (snippet.attributes.timeout ?? DEFAULT_TIMEOUT_MS / 1000) * 1000,
      outputCap: DEFAULT_OUTPUT_CAP,
      pythonPath: options.python,
      sandboxScript: join(__dirname, 'jsSandbox.js'),
    },
  );
  // The note's block maps to the note; an attached file keeps its own line numbers, under its name.
  r.stderr = stderrForReader(
    r.stderr,
    snippet,
    label,
    snippet.attributes.file ? relative(process.cwd(), resolve(dirname(path), snippet.attributes.file)) : undefined,
  );
  report.result = r;
  if (options.check && snippet.expected && r.status === 'ok') {
    const tolerance = snippet.attributes.tolerance ?? DEFAULT_TOLERANCE;
    report.check = { ...compareOutput(snippet.expected.text, r.stdout, tolerance), tolerance };
  }
  return report;
}

const usage = (problem: string) => usageError('run', problem);

/** An attached file, relative to the note; never outside the note's folder tree. */
function attached(notePath: string, snippet: Snippet): string | undefined {
  const base = dirname(notePath);
  const target = resolve(base, snippet.attributes.file!);
  if (relative(base, target).startsWith('..') || isAbsolute(relative(base, target))) return undefined;
  try {
    // Through links too: the file itself must be inside the note's folder.
    const real = realpathSync(target);
    const rel = relative(realpathSync(base), real);
    if (rel.startsWith('..') || isAbsolute(rel)) return undefined;
    return readFileSync(real, 'utf8');
  } catch {
    return undefined;
  }
}

function print(label: string, snippet: Snippet, report: SnippetReport): void {
  if (report.skipped) {
    printOut(`── ${visible(label, 'oneLine')}:${report.line} ${snippet.language}: ${say('skipped')}`);
    return;
  }
  const r = report.result!;
  const head = `── ${visible(label, 'oneLine')}:${report.line} ${snippet.language}${snippet.doctest ? ` (${say('doctest')})` : ''}: ${say('{0} in {1} ms', r.status, r.ms)}`;
  printOut(head);
  const show = (text: string) => printOut(text.replace(/\r?\n$/, ''));
  if (r.stdout) show(r.stdout);
  if (r.stderr) show(r.stderr);
  if (r.truncated) printOut(`[${say('output cut at {0} bytes', DEFAULT_OUTPUT_CAP)}]`);
  if (r.message) printOut(`[${r.message}]`);
  if (report.check) {
    printOut(report.check.pass ? `✓ ${say('matches the expected output')}` : `✗ ${say('differs from the expected output:')}`);
    if (!report.check.pass) for (const d of report.check.diff) printOut(`${d.kind} ${d.text}`);
  }
}
