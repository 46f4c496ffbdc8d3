// `mathnotes`: the command-line face of the core. One process renders a whole corpus.
import { indexCommand } from './indexCommand';
import { lintCommand } from './lintCommand';
import { renderCommand } from './render';
import { runCommand } from './runCommand';

const USAGE = `Usage:
  mathnotes render <file|folder>... [-o out.html | -o DIR] [--json] [--macros FILE]
      Renders notes (.md, .txt) to standalone HTML. One file: -o FILE (default: stdout).
      Several files or a folder: -o DIR gets one .html per note. --json prints per-post stats.
      --macros: TeX definitions (.tex) or a JSON object (.json) available in every note.
  mathnotes index <file|folder>... [--json]
      The posts of the notes, their series (parts in order, missing parts) and where each
      《citation》 leads (exact title, or the same part of a renamed series).
  mathnotes run <note.md> [--check] [--json] [--python PATH]
      Runs the note's Python and JavaScript snippets in order, each in its own sandboxed child
      process, and prints their outputs. --check compares each with the \`output\` block after it
      (numbers within 1e-9 relative) and exits 1 on a mismatch or a failed run.
  mathnotes lint <file|folder>... [--format text|json] [--rule id]... [--macros FILE]
      Checks the math of the notes as the preview renders it: \`file:line:col: severity rule
      message\` per problem (JSON with ranges and fixes with --format json). Exits 1 on any error.
  mathnotes --help`;

function main(argv: string[]): number | Promise<number> {
  const [command, ...rest] = argv;
  switch (command) {
    case 'render':
      return renderCommand(rest);
    case 'index':
      return indexCommand(rest);
    case undefined:
    case '-h':
    case '--help':
    case 'help':
      console.log(USAGE);
      return command === undefined ? 2 : 0;
    case 'run':
      return runCommand(rest);
    case 'lint':
      return lintCommand(rest);
    default:
      console.error(`mathnotes: unknown command '${command}'.\n\n${USAGE}`);
      return 2;
  }
}

void Promise.resolve(main(process.argv.slice(2))).then((code) => (process.exitCode = code));
