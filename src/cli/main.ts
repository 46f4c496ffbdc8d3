// `mathnotes`: the command-line face of the core. One process renders a whole corpus.
import { indexCommand } from './indexCommand';
import { renderCommand } from './render';

const USAGE = `Usage:
  mathnotes render <file|folder>... [-o out.html | -o DIR] [--json] [--macros FILE]
      Renders notes (.md, .txt) to standalone HTML. One file: -o FILE (default: stdout).
      Several files or a folder: -o DIR gets one .html per note. --json prints per-post stats.
      --macros: TeX definitions (.tex) or a JSON object (.json) available in every note.
  mathnotes index <file|folder>... [--json]
      The posts of the notes, their series (parts in order, missing parts) and where each
      《citation》 leads (exact title, or the same part of a renamed series).
  mathnotes lint | run              (not available yet)
  mathnotes --help`;

function main(argv: string[]): number {
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
    case 'lint':
    case 'run':
      console.error(`mathnotes ${command}: not available in this version yet.`);
      return 2;
    default:
      console.error(`mathnotes: unknown command '${command}'.\n\n${USAGE}`);
      return 2;
  }
}

process.exitCode = main(process.argv.slice(2));
