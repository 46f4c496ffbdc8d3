// `mathnotes`: the command-line face of the core. One process renders a whole corpus.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { indexCommand } from './indexCommand';
import { lintCommand } from './lintCommand';
import { renderCommand } from './render';
import { isCliWorker, serveCliWorker } from './workerPool';
import { runCommand } from './runCommand';
import { say, takeLangOption } from './locale';
import { printErr, printOut } from './terminal';
import { RULE_IDS } from '../core/lint/types';
import { HELP, USAGE, type CommandName } from './usage';

const COMMANDS: Readonly<Record<CommandName, (args: string[]) => number | Promise<number>>> = {
  render: renderCommand,
  index: indexCommand,
  run: runCommand,
  lint: lintCommand,
};

const isCommand = (name: string | undefined): name is CommandName => name !== undefined && Object.hasOwn(COMMANDS, name);

function help(command: CommandName): string {
  return command === 'lint' ? say(HELP.lint, RULE_IDS.join(', ')) : say(HELP[command]);
}

/** `mathnotes 0.1.0`: the version of the package this bundle is in (dist/cli.js → its package.json). */
function version(): string {
  try {
    return `mathnotes ${(JSON.parse(readFileSync(join(__dirname, '..', 'package.json'), 'utf8')) as { version: string }).version}`;
  } catch {
    return 'mathnotes';
  }
}

function main(argv: string[]): number | Promise<number> {
  const [command, ...rest] = argv;
  if (isCommand(command)) {
    // Anywhere among a command's arguments, as people type them: `mathnotes lint notes/ --help`.
    if (rest.includes('--help') || rest.includes('-h')) {
      printOut(help(command));
      return 0;
    }
    if (rest.includes('--version')) {
      printOut(version());
      return 0;
    }
    return COMMANDS[command](rest);
  }
  switch (command) {
    case undefined:
      printErr(say(USAGE));
      return 2;
    case '-h':
    case '--help':
      printOut(say(USAGE));
      return 0;
    case 'help':
      if (rest[0] === undefined) printOut(say(USAGE));
      else if (isCommand(rest[0])) printOut(help(rest[0]));
      else break;
      return 0;
    case '-V':
    case '--version':
    case 'version':
      printOut(version());
      return 0;
  }
  const unknown = command === 'help' ? rest[0] : command;
  printErr(`${say("mathnotes: unknown command '{0}'.", unknown)}\n\n${say(USAGE)}`);
  return 2;
}

// The same bundle is the workers' entry (`render -j N`, `lint -j N`).
if (isCliWorker()) serveCliWorker();
else void Promise.resolve(main(takeLangOption(process.argv.slice(2)))).then((code) => (process.exitCode = code));
