// Entry of the integration tests inside the extension host (test-electron style: the host requires
// this file and awaits run()). Mocha with the TDD UI: suite() / test() / suiteSetup() / setup().
//
// Results go through console.log only: in the browser workbench that is what reaches the runner's
// codeAutomationLog (a reporter writing to process.stdout would be lost). The last line is the
// machine-readable `MOCHA-RESULT passed=N failed=M pending=K` that the runners parse.
import Mocha from 'mocha';
import { readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

const { EVENT_SUITE_BEGIN, EVENT_TEST_PASS, EVENT_TEST_FAIL, EVENT_TEST_PENDING, EVENT_RUN_END } = Mocha.Runner.constants;

/** A console.log-only spec-like reporter. */
class ConsoleReporter extends Mocha.reporters.Base {
  constructor(runner: Mocha.Runner, options?: Mocha.MochaOptions) {
    super(runner, options);
    let depth = 0;
    const indent = () => '  '.repeat(Math.max(depth - 1, 0));
    runner.on(EVENT_SUITE_BEGIN, (suite) => {
      depth++;
      if (suite.title) console.log(`${indent()}${suite.title}`);
    });
    runner.on('suite end', () => depth--);
    runner.on(EVENT_TEST_PASS, (t) => console.log(`${indent()}  ✓ ${t.title} (${t.duration ?? 0} ms)`));
    runner.on(EVENT_TEST_PENDING, (t) => console.log(`${indent()}  - ${t.title} (pending)`));
    runner.on(EVENT_TEST_FAIL, (t, err) => {
      console.log(`${indent()}  ✗ ${t.title}`);
      console.log(
        `      ${String(err?.stack ?? err)
          .split('\n')
          .join('\n      ')}`,
      );
    });
    runner.once(EVENT_RUN_END, () => {
      const s = this.stats;
      console.log(`\n${s.passes} passing, ${s.failures} failing, ${s.pending} pending (${s.duration ?? 0} ms)`);
      console.log(`MOCHA-RESULT passed=${s.passes} failed=${s.failures} pending=${s.pending}`);
    });
  }
}

function findTests(dir: string): string[] {
  const found: string[] = [];
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) found.push(...findTests(p));
    else if (name.endsWith('.test.js')) found.push(p);
  }
  return found.sort();
}

export function run(): Promise<void> {
  const mocha = new Mocha({ ui: 'tdd', timeout: 60_000, color: false, reporter: ConsoleReporter });
  // MATHNOTES_TEST_GREP narrows the run (a substring or regular expression of full test titles).
  const grep = process.env.MATHNOTES_TEST_GREP;
  if (grep) mocha.grep(grep);
  const files = findTests(__dirname);
  for (const f of files) mocha.addFile(f);
  console.log(`Running ${files.length} integration test file(s): ${files.map((f) => relative(__dirname, f)).join(', ')}`);

  return new Promise((resolve, reject) => {
    try {
      mocha.run((failures) => {
        if (failures > 0) reject(new Error(`${failures} integration test(s) failed`));
        else resolve();
      });
    } catch (err) {
      console.log(`MOCHA-RESULT passed=0 failed=1 pending=0`);
      reject(err);
    }
  });
}
