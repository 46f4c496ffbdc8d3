// `mathnotes run <file> [--check] [--json]`: runs every snippet of a note in order, in child
// processes (snippetRunner), and prints their outputs; with --check, compares each with its
// expected `output` block and exits 1 on a mismatch or a failed run (for authors' CI).
import { readFileSync, realpathSync } from 'node:fs';
import { say, sayError } from './locale';
import { printErr, printJson, printOut, visible } from './terminal';
import { dirname, isAbsolute, join, relative, resolve } from 'node:path';
import { compareOutput, DEFAULT_TOLERANCE, type Comparison } from '../core/snippets/compare';
import { findSnippets, mapErrorLines, type Snippet } from '../core/snippets/snippets';
import { readNoteFile } from '../node/readNoteFile';
import { DEFAULT_OUTPUT_CAP, DEFAULT_TIMEOUT_MS, runSnippet, type RunResult } from '../node/snippets/snippetRunner';

interface SnippetReport {
  index: number;
  line: number;
  language: string;
  skipped?: boolean;
  result?: RunResult;
  check?: Comparison & { tolerance: number };
}

export async function runCommand(args: string[]): Promise<number> {
  const check = args.includes('--check');
  const json = args.includes('--json');
  const python = valueOf(args, '--python');
  const files = args.filter((a, i) => !a.startsWith('--') && args[i - 1] !== '--python');
  if (files.length !== 1) {
    printErr(say('usage: mathnotes run <note.md> [--check] [--json] [--python PATH]'));
    return 2;
  }
  const path = resolve(files[0]);
  let text: string;
  try {
    text = readNoteFile(path).text;
  } catch (err) {
    printErr(`mathnotes run: ${say("cannot read '{0}': {1}", files[0], sayError(err))}`);
    return 2;
  }
  const label = relative(process.cwd(), path) || path;
  const reports: SnippetReport[] = [];
  let failed = false;
  for (const snippet of findSnippets(text, path)) {
    const report: SnippetReport = { index: snippet.index, line: snippet.fenceLine + 1, language: snippet.language };
    reports.push(report);
    if (snippet.attributes.skip) {
      report.skipped = true;
      if (!json) printOut(`── ${visible(label, 'oneLine')}:${report.line} ${snippet.language}: ${say('skipped')}`);
      continue;
    }
    const code = snippet.attributes.file ? attached(path, snippet) : snippet.code;
    if (code === undefined) {
      report.result = { status: 'error', exitCode: null, stdout: '', stderr: '', truncated: false, ms: 0, message: say("the attached file '{0}' is outside the note's folder or cannot be read: not run", snippet.attributes.file!) };
    } else {
      report.result = await runSnippet(
        { language: snippet.language, code, doctest: snippet.doctest },
        { timeoutMs: (snippet.attributes.timeout ?? DEFAULT_TIMEOUT_MS / 1000) * 1000, outputCap: DEFAULT_OUTPUT_CAP, pythonPath: python, sandboxScript: join(__dirname, 'jsSandbox.js') },
      );
      // Attached files keep their own line numbers; the note's block maps to the note.
      if (!snippet.attributes.file) report.result.stderr = mapErrorLines(report.result.stderr, snippet, label);
    }
    const r = report.result;
    if (r.status !== 'ok') failed = true;
    if (check && snippet.expected && r.status === 'ok') {
      const tolerance = snippet.attributes.tolerance ?? DEFAULT_TOLERANCE;
      report.check = { ...compareOutput(snippet.expected.text, r.stdout, tolerance), tolerance };
      if (!report.check.pass) failed = true;
    }
    if (!json) print(label, snippet, report);
  }
  if (json) printJson({ file: label, snippets: reports });
  else if (reports.length === 0) printOut(`${visible(label, 'oneLine')}: ${say('no snippets')}`);
  return check && failed ? 1 : reports.some((r) => r.result?.status === 'missing-interpreter') ? 1 : 0;
}

function valueOf(args: string[], flag: string): string | undefined {
  const i = args.indexOf(flag);
  return i >= 0 ? args[i + 1] : undefined;
}

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
