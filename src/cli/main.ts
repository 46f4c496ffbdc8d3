// `mathnotes`: the command-line face of the core. One process renders a whole corpus.
import { indexCommand } from './indexCommand';
import { lintCommand } from './lintCommand';
import { renderCommand } from './render';
import { runCommand } from './runCommand';
import { say, takeLangOption } from './locale';
import { printErr, printOut } from './terminal';
import { USAGE } from './usage';

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
      printOut(say(USAGE));
      return command === undefined ? 2 : 0;
    case 'run':
      return runCommand(rest);
    case 'lint':
      return lintCommand(rest);
    default:
      printErr(`${say("mathnotes: unknown command '{0}'.", command)}\n\n${say(USAGE)}`);
      return 2;
  }
}

void Promise.resolve(main(takeLangOption(process.argv.slice(2)))).then((code) => (process.exitCode = code));
