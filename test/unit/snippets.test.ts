// Snippets (issue #6): what counts as one, expected-output checks with a tolerance, and the runner
// itself — each run in a child process with a time limit, an output cap and a memory cap, and no
// process left behind.
import assert from 'node:assert/strict';
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, symlinkSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { compareOutput } from '../../src/core/snippets/compare';
import { findSnippets, mapErrorLines, parseInfo } from '../../src/core/snippets/snippets';
import { runSnippet } from '../../src/node/snippets/snippetRunner';
import { alive, noted } from '../support/processes';

const root = join(__dirname, '../../..');
const sandboxScript = join(root, 'dist/jsSandbox.js');
const cli = join(root, 'bin/mathnotes.js');

/** Processes whose command line mentions a marker (what a run might leave behind). */
/**
 * Processes still running `script` that this test process started or that were orphaned (its own
 * runs: another test file's live runs have their own parent), zombies aside.
 */
function survivors(script: string): string[] {
  return readdirSync('/proc')
    .filter((p) => /^\d+$/.test(p))
    .flatMap((p) => {
      try {
        const cmd = readFileSync(`/proc/${p}/cmdline`, 'utf8').replace(/\0/g, ' ');
        const [, state, ppid] = /^\S+ \(.*\) (\S) (\d+) /.exec(readFileSync(`/proc/${p}/stat`, 'utf8')) ?? [];
        const ours = Number(ppid) === process.pid || ppid === '1';
        return cmd.includes(script) && ours && state !== 'Z' && state !== 'X' ? [`${p}: ${cmd}`] : [];
      } catch {
        return [];
      }
    });
}

test('snippets: languages, attributes, expected output, doctest, lines', () => {
  const note = [
    '# T', // 0
    '', // 1
    '```python {timeout=5}', // 2
    'print(1)', // 3
    '```', // 4
    '', // 5
    '```output', // 6
    '1', // 7
    '```', // 8
    '```js {file=snippets/a.js, skip} {tolerance=1e-6} {colour=red}', // 9
    '```', // 10
    '```py', // 11
    '>>> 1 + 1', // 12
    '2', // 13
    '```', // 14
    '```bash', // 15
    'rm -rf /', // 16
    '```', // 17
  ].join('\n');
  const s = findSnippets(note, 'n.md');
  assert.deepEqual(
    s.map((x) => [x.language, x.fenceLine, x.codeLine, x.endLine, x.doctest]),
    [
      ['python', 2, 3, 4, false],
      ['javascript', 9, 10, 10, false],
      ['python', 11, 12, 14, true],
    ],
  );
  assert.deepEqual(s[0].attributes, { timeout: 5 });
  assert.deepEqual(s[0].expected, { text: '1', fenceLine: 6, endLine: 8 });
  assert.deepEqual(s[1].attributes, { file: 'snippets/a.js', skip: true, tolerance: 1e-6 });
  assert.deepEqual(s[1].unknownAttributes, ['colour=red']);
  assert.equal(parseInfo('javascript').language, 'javascript');
  assert.equal(parseInfo('bash {x}').language, undefined);
  assert.deepEqual(findSnippets('line 1\n```js\nx', 'listing.txt'), [], 'listings have no fences');
});

test('compare: numbers within a relative tolerance, spacing alike, a diff where they part', () => {
  assert.equal(compareOutput('0.1 0.2\n[1.0  2.0]', '0.1000000000001 0.2\n[1.0 2.0]\n').pass, true);
  assert.equal(compareOutput('3.14159', '3.14160').pass, false);
  assert.equal(compareOutput('3.14159', '3.14160', 1e-5).pass, true);
  assert.equal(compareOutput('x = 1', 'y = 1').pass, false);
  assert.equal(compareOutput('nan inf -inf', 'nan inf -inf').pass, true);
  const c = compareOutput('a\nb\nc', 'a\nB\nc');
  assert.deepEqual(c.diff, [
    { kind: ' ', text: 'a' },
    { kind: '-', text: 'b' },
    { kind: '+', text: 'B' },
    { kind: ' ', text: 'c' },
  ]);
});

test('error lines map to the note: Python tracebacks and JavaScript stacks', () => {
  const snippet = { codeLine: 40, language: 'python' as const };
  assert.equal(mapErrorLines('  File "snippet.py", line 2, in <module>', snippet, 'n.md'), '  File "n.md", line 42, in <module>');
  assert.equal(mapErrorLines('    at snippet.js:2:6', { ...snippet, language: 'javascript' }, 'n.md'), '    at n.md:42:6');
});

test('JavaScript: runs in a fresh context with no require, process or escape to them', async () => {
  const ok = await runSnippet(
    { language: 'javascript', code: 'console.log([1, 2].map((x) => x * 2), typeof require, typeof process, typeof fetch)' },
    { sandboxScript },
  );
  assert.equal(ok.status, 'ok');
  assert.equal(ok.stdout, '[2,4] undefined undefined undefined\n');
  // The classic escapes through constructors find the context's own Function, which knows no process.
  const escape = await runSnippet(
    {
      language: 'javascript',
      code: 'const tryIt = (f) => { try { return typeof f(); } catch (e) { return e.name; } };\nconsole.log(tryIt(() => this.constructor.constructor("return process")()), tryIt(() => console.log.constructor("return process")()))',
    },
    { sandboxScript },
  );
  assert.equal(escape.stdout, 'ReferenceError ReferenceError\n', escape.stderr);
  // A host error would carry the host's Function: a stack overflow on entering our console writer
  // (it found one before the writer replaced its errors), and stack frames' this/function.
  const overflow = await runSnippet(
    {
      language: 'javascript',
      code: [
        'const realms = new Set();', // what `typeof process` is where a found object's Function runs
        'function probe() {',
        '  try { probe(); } catch (e) { if (e && e.constructor !== RangeError) realms.add(e.constructor.constructor("return typeof process")()); }',
        '  try { console.log(); } catch (e) { if (e && e.constructor !== RangeError) realms.add(e.constructor.constructor("return typeof process")()); }',
        '}',
        'probe();',
        'Error.prepareStackTrace = (e, frames) => frames.flatMap((f) => [f.getThis(), f.getFunction()]);',
        'for (const x of new Error().stack) if (x && x.constructor) realms.add(x.constructor.constructor("return typeof process")());',
        'realms.delete("undefined"); // the context’s own',
        'console.error("host objects reached:", [...realms].join() || "none");',
      ].join('\n'),
    },
    { sandboxScript },
  );
  assert.match(overflow.stderr, /host objects reached: none\n$/, overflow.stderr.slice(-300));
  // import() (also from eval and Function) must not reject with a host error (it did: a full escape).
  const imports = await runSnippet(
    {
      language: 'javascript',
      code: [
        'const leak = (how) => (e) => console.log(how, typeof e.constructor.constructor("return process")());',
        'import("x").catch(leak("import"));',
        'eval(\'import("x")\').catch(leak("eval"));',
        'Function(\'return import("x")\')().catch(leak("Function"));',
        'console.log("end");',
      ].join('\n'),
    },
    { sandboxScript },
  );
  assert.equal(imports.status, 'ok', imports.stderr);
  assert.doesNotMatch(imports.stdout, /object/, imports.stdout);
  // When the host read a thrown error's stack, V8 gave the snippet's prepareStackTrace call sites of
  // the host's realm (a full escape, through to code in the parent): errors are described inside.
  const callSites = await runSnippet(
    {
      language: 'javascript',
      code: 'Error.prepareStackTrace = (e, cs) => "realm: " + cs.constructor.constructor("return typeof process")();\nthrow new Error("x")',
    },
    { sandboxScript },
  );
  assert.equal(callSites.status, 'error');
  assert.match(callSites.stderr, /realm: undefined/, callSites.stderr);
  // A getter that waits forever (no CPU) while its error is described is stopped too.
  const waiting = await runSnippet(
    {
      language: 'javascript',
      code: 'throw { get stack() { Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0); return "never"; } }',
    },
    { sandboxScript, timeoutMs: 500 },
  );
  assert.ok(waiting.status === 'error' || waiting.status === 'timeout', waiting.status);
  assert.ok(waiting.ms < 3000, `${waiting.ms} ms`);
  // Promise jobs run under the time limit too.
  const later = await runSnippet(
    { language: 'javascript', code: 'Promise.resolve().then(() => { while (true) {} })' },
    { sandboxScript, timeoutMs: 500 },
  );
  assert.equal(later.status, 'timeout');
  assert.match(later.stderr, /Script execution timed out/);
  const error = await runSnippet({ language: 'javascript', code: 'let a = 1;\nnull.x' }, { sandboxScript });
  assert.equal(error.status, 'error');
  assert.match(error.stderr, /TypeError[^]*snippet\.js:2:6/);
  assert.doesNotMatch(error.stderr, /node:internal|events:/, 'only the snippet’s frames');
});

test('JavaScript: the sandbox process has closed its own network and module doors before a snippet starts', () => {
  // A preload (test-only, outside the product) reports the host's globals when the snippet is run.
  const dir = mkdtempSync(join(tmpdir(), 'mn-doors-'));
  const preload = join(dir, 'preload.js');
  writeFileSync(
    preload,
    `const vm = require('node:vm'); const run = vm.Script.prototype.runInContext;
vm.Script.prototype.runInContext = function (...a) {
  const g = globalThis;
  process.stderr.write(JSON.stringify({ fetch: typeof g.fetch, WebSocket: typeof g.WebSocket, mainModule: typeof process.mainModule, binding: typeof process.binding, dlopen: typeof process.dlopen }) + '\\n');
  return run.apply(this, a);
};`,
  );
  const r = spawnSync(
    process.execPath,
    [
      '--experimental-permission',
      `--allow-fs-read=${sandboxScript}`,
      `--allow-fs-read=${preload}`,
      '--no-warnings',
      '-r',
      preload,
      sandboxScript,
    ],
    { input: JSON.stringify({ code: 'console.log(6 * 7)', timeoutMs: 2000 }), encoding: 'utf8' },
  );
  assert.equal(r.stdout, '42\n', r.stderr);
  // The last report is the snippet's (the first is our console wrapper, set up before the doors close).
  assert.deepEqual(JSON.parse(r.stderr.trim().split('\n').at(-1)!), {
    fetch: 'undefined',
    WebSocket: 'undefined',
    mainModule: 'undefined',
    binding: 'undefined',
    dlopen: 'undefined',
  });
});

test('JavaScript: what outruns the vm’s time limit (getters on a thrown value, prepareStackTrace, finalizers) still ends; ArrayBuffers are capped', async () => {
  const getter = await runSnippet(
    { language: 'javascript', code: '/*mn-js-getter*/ throw { get stack() { for (;;); } }' },
    { sandboxScript, timeoutMs: 500 },
  );
  assert.equal(getter.status, 'timeout');
  assert.ok(getter.ms < 3000, `${getter.ms} ms`);
  const prepare = await runSnippet(
    { language: 'javascript', code: '/*mn-js-prepare*/ Error.prepareStackTrace = () => { for (;;); }; throw new Error("x")' },
    { sandboxScript, timeoutMs: 500 },
  );
  assert.equal(prepare.status, 'timeout');
  const finalizers = await runSnippet(
    {
      language: 'javascript',
      code: 'const fr = new FinalizationRegistry(() => { for (;;); });\nfor (let i = 0; i < 200000; i++) fr.register({ big: new Array(10) }, i);\nconsole.log("done")',
    },
    { sandboxScript, timeoutMs: 3000 },
  );
  assert.equal(finalizers.status, 'ok', 'the process ends as soon as the snippet does');
  assert.ok(finalizers.ms < 2500, `${finalizers.ms} ms`);
  const buffers = await runSnippet(
    {
      language: 'javascript',
      code: 'const keep = [];\nfor (let i = 0; i < 16; i++) keep.push(new Uint8Array(256 << 20).fill(1));\nconsole.log("allocated", keep.length * 256, "MB")',
    },
    { sandboxScript, memoryMb: 256, timeoutMs: 5000 },
  );
  assert.notEqual(buffers.status, 'ok');
  assert.match(buffers.stderr, /RangeError|allocation failed/i);
  // Printing what a crash prints does not make a crash.
  const fake = await runSnippet(
    {
      language: 'javascript',
      code: 'console.error("FATAL ERROR: JavaScript heap out of memory"); console.error("Script execution timed out")',
    },
    { sandboxScript },
  );
  assert.equal(fake.status, 'ok');
});

test('JavaScript: an endless loop is stopped at its timeout, an output flood at the cap, a huge allocation by the memory cap', async () => {
  const loop = await runSnippet({ language: 'javascript', code: '/*mn-js-loop*/ while (true) {}' }, { sandboxScript, timeoutMs: 800 });
  assert.equal(loop.status, 'timeout');
  assert.ok(loop.ms < 5000, `${loop.ms} ms`);
  const flood = await runSnippet(
    { language: 'javascript', code: 'for (;;) console.log("x".repeat(100))' },
    { sandboxScript, outputCap: 50_000 },
  );
  assert.equal(flood.status, 'output-capped');
  assert.equal(flood.truncated, true);
  assert.ok(flood.stdout.length <= 50_000);
  const memory = await runSnippet(
    { language: 'javascript', code: 'const a = []; for (;;) a.push(new Array(1e6).fill(1))' },
    { sandboxScript, memoryMb: 128 },
  );
  assert.equal(memory.status, 'out-of-memory');
  // (The code reaches the sandbox on its standard input: no command line names it. The sandbox does.)
  await new Promise((r) => setTimeout(r, 300));
  assert.deepEqual(survivors(sandboxScript), []);
});

const python = spawnSync('python3', ['--version']).status === 0;

test(
  'Python: isolated, in a temporary folder; errors map; doctest pass and fail',
  { skip: !python && 'python3 is not installed' },
  async () => {
    const ok = await runSnippet(
      { language: 'python', code: 'import os, sys\nprint(os.getcwd().startswith("/tmp") or "tmp" in os.getcwd(), sys.flags.isolated)' },
      { sandboxScript },
    );
    assert.equal(ok.status, 'ok', ok.stderr);
    assert.equal(ok.stdout, 'True 1\n');
    const error = await runSnippet({ language: 'python', code: 'x = 1\n1 / 0' }, { sandboxScript });
    assert.equal(error.status, 'error');
    assert.match(mapErrorLines(error.stderr, { codeLine: 10, language: 'python' }, 'n.md'), /File "n\.md", line 12[^]*ZeroDivisionError/);
    const pass = await runSnippet(
      { language: 'python', code: '>>> 1 + 1\n2\n>>> [x * x for x in range(3)]\n[0, 1, 4]\n', doctest: true },
      { sandboxScript },
    );
    assert.equal(pass.status, 'ok', pass.stdout + pass.stderr);
    assert.match(pass.stdout, /doctest: 2 of 2 passed/);
    const fail = await runSnippet({ language: 'python', code: '>>> 2 * 3\n7\n', doctest: true }, { sandboxScript });
    assert.equal(fail.status, 'error');
    assert.match(fail.stdout, /Expected:\s+7\s+Got:\s+6/);
    // A coding cookie cannot make Python read the bytes as other code than the page shows (UTF-7
    // turned a comment into a hidden line under runpy); __name__ is still "__main__".
    const cookie = await runSnippet(
      { language: 'python', code: '# -*- coding: utf-7 -*-\nprint("shown", __name__)\n# +AAo-print(+ACI-HIDDEN+ACI-)' },
      { sandboxScript },
    );
    assert.equal(cookie.stdout, 'shown __main__\n', cookie.stderr);
    const missing = await runSnippet({ language: 'python', code: 'print(1)' }, { sandboxScript, pythonPath: '/no/such/python3' });
    assert.equal(missing.status, 'missing-interpreter');
  },
);

test(
  'Python: timeout and a fork bomb leave no process behind; 10 GB is refused',
  { skip: !python && 'python3 is not installed' },
  async () => {
    // Each child notes its pid (a marker in the code would be in no command line: it runs from a file).
    const pidsFile = join(mkdtempSync(join(tmpdir(), 'mn-py-bomb-')), 'pids');
    writeFileSync(pidsFile, '');
    // The limit leaves a loaded machine time to start Python and fork (1 s once timed out first).
    const bomb = await runSnippet(
      {
        language: 'python',
        code: `import os, time\nfor i in range(30):\n    if os.fork() == 0:\n        open(${JSON.stringify(pidsFile)}, "a").write(f"{os.getpid()}\\n")\n        time.sleep(120)\ntime.sleep(120)`,
      },
      { sandboxScript, timeoutMs: 4000 },
    );
    assert.equal(bomb.status, 'timeout');
    await new Promise((r) => setTimeout(r, 300));
    assert.ok(noted(pidsFile).length >= 10, `${noted(pidsFile).length} children started`);
    assert.deepEqual(alive(noted(pidsFile)), []);
    const big = await runSnippet({ language: 'python', code: 'x = bytearray(10 * 1024 ** 3)' }, { sandboxScript });
    assert.equal(big.status, 'out-of-memory', big.stderr);
  },
);

test(
  'CLI run --check: outputs, a passing check, a failing one with a diff and exit 1',
  { skip: !python && 'python3 is not installed' },
  () => {
    const dir = mkdtempSync(join(tmpdir(), 'mn-run-'));
    mkdirSync(join(dir, 'snippets'));
    writeFileSync(join(dir, 'snippets/double.js'), 'console.log(21 * 2)');
    writeFileSync(
      join(dir, 'good.md'),
      '# 好\n\n```python\nprint(0.1 + 0.2)\n```\n\n```output\n0.3\n```\n\n```js {file=snippets/double.js}\n```\n```output\n42\n```\n',
    );
    writeFileSync(join(dir, 'bad.md'), '# 坏\n\n```js\nconsole.log(1 + 1)\n```\n```output\n3\n```\n');
    const good = spawnSync(process.execPath, [cli, 'run', join(dir, 'good.md'), '--check'], { encoding: 'utf8' });
    assert.equal(good.status, 0, good.stdout + good.stderr);
    assert.match(good.stdout, /0\.30000000000000004\n✓ matches/);
    assert.match(good.stdout, /42\n✓ matches/);
    const bad = spawnSync(process.execPath, [cli, 'run', join(dir, 'bad.md'), '--check'], { encoding: 'utf8' });
    assert.equal(bad.status, 1);
    assert.match(bad.stdout, /✗ differs[^]*- 3\n\+ 2/);
    // An attached file outside the note's folder — by path or through a link — is not run.
    symlinkSync('/etc/hostname', join(dir, 'snippets/link.py'));
    writeFileSync(join(dir, 'outside.md'), '# 外\n\n```python {file=../../etc/hostname}\n```\n\n```python {file=snippets/link.py}\n```\n');
    const outside = spawnSync(process.execPath, [cli, 'run', join(dir, 'outside.md'), '--json'], { encoding: 'utf8' });
    const refused = JSON.parse(outside.stdout).snippets.map((x: { result: { status: string; message?: string } }) => x.result);
    assert.deepEqual(
      refused.map((x: { status: string }) => x.status),
      ['error', 'error'],
    );
    assert.match(refused[1].message, /outside the note's folder/);
    // Terminal control sequences in a snippet's output are shown, not obeyed.
    writeFileSync(join(dir, 'tty.md'), '# 终端\n\n```js\nconsole.log("\\x1b[2J\\x1b]0;owned\\x07done")\n```\n');
    writeFileSync(
      join(dir, 'tty.md'),
      '# 终端\n\n```js\nconsole.log("\\x1b[2J\\x1b]0;owned\\x07done \\u009d0;t\\u009c \\u202eevil")\n```\n',
    );
    const tty = spawnSync(process.execPath, [cli, 'run', join(dir, 'tty.md')], { encoding: 'utf8' });
    assert.doesNotMatch(tty.stdout, /[\x1b\x07\u009d\u009c\u202e]/);
    assert.match(tty.stdout, /<U\+009D>0;t<U\+009C> <U\+202E>evil/);
    assert.match(tty.stdout, /\^\[\[2J\^\[\]0;owned\^Gdone/);
    const json = JSON.parse(execFileSync(process.execPath, [cli, 'run', join(dir, 'bad.md'), '--json'], { encoding: 'utf8' }));
    assert.equal(json.snippets[0].result.stdout, '2\n');
  },
);

/** A Python with numpy: on PATH, else Debian's (scripts/setup-python.sh installs it when neither has it). */
const numpyPython = ['python3', '/usr/bin/python3'].find((py) => spawnSync(py, ['-c', 'import numpy']).status === 0);

test('the example note checks out: numpy snippets, an attached file, a doctest, JS with a tolerance', (t) => {
  if (!numpyPython) {
    console.log('# SKIP reason: no python3 with numpy (run scripts/setup-python.sh as root)');
    t.skip('no python3 with numpy');
    return;
  }
  const note = join(__dirname, '../../../examples/光滑近似的数值验证.md');
  const r = spawnSync(process.execPath, [cli, 'run', note, '--check', '--json', '--python', numpyPython], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stdout + r.stderr);
  const json = JSON.parse(r.stdout) as {
    snippets: Array<{ language: string; file?: string; result: { status: string; stdout: string }; check?: { pass: boolean } }>;
  };
  assert.deepEqual(
    json.snippets.map((s) => [s.language, s.result.status]),
    [
      ['python', 'ok'],
      ['python', 'ok'],
      ['python', 'ok'],
      ['javascript', 'ok'],
    ],
  );
  assert.match(json.snippets[0].result.stdout, /^0\.01 4\.0 True$/m);
  assert.match(json.snippets[1].result.stdout, /^\[0\.236883 0\.087144 0\.032059 0\.643914\]\nTrue True\n$/, 'the attached file ran');
});

test(
  'a Python run outlives no one: when the process that started it dies, it ends too',
  { skip: !python && 'python3 is not installed' },
  async (t) => {
    const script = join(mkdtempSync(join(tmpdir(), 'mn-orphan-')), 'start.js');
    const runner = join(root, 'out/src/node/snippets/snippetRunner.js');
    writeFileSync(
      script,
      `require(${JSON.stringify(runner)}).runSnippet({ language: 'python', code: '# mn-py-orphan\\nwhile True: pass' }, { sandboxScript: '', timeoutMs: 600000 }); setInterval(() => {}, 1000);`,
    );
    const starter = spawn(process.execPath, [script], { stdio: 'ignore' });
    // A failed assertion must not leave it running: the test process would wait for it forever.
    t.after(() => starter.kill('SIGKILL'));
    // Started and running its loop: polled, as a loaded machine may take seconds to start Python.
    const isRunning = () =>
      readdirSync('/proc')
        .filter((p) => /^\d+$/.test(p))
        .some((p) => {
          try {
            return readFileSync(`/proc/${p}/cmdline`, 'utf8').includes('types.ModuleType("__main__")');
          } catch {
            return false;
          }
        });
    let running = false;
    for (let i = 0; i < 100 && !running; i++) {
      await new Promise((r) => setTimeout(r, 100));
      running = isRunning();
    }
    assert.ok(running, 'the snippet started');
    starter.kill('SIGKILL');
    // Its watchdog notices within a quarter of a second or so (polled longer: a loaded machine is slower).
    let left: string[] = [];
    for (let i = 0; i < 100; i++) {
      await new Promise((r) => setTimeout(r, 100));
      left = readdirSync('/proc')
        .filter((p) => /^\d+$/.test(p))
        .filter((p) => {
          try {
            return (
              readFileSync(`/proc/${p}/cmdline`, 'utf8').includes('_mn_p') && readFileSync(`/proc/${p}/stat`, 'utf8').split(' ')[3] === '1'
            );
          } catch {
            return false;
          }
        });
      if (left.length === 0) break;
    }
    assert.deepEqual(left, []);
  },
);

test('a JavaScript run outlives no one: an idle wait ends when the process that started it dies', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'mn-orphan-js-'));
  const script = join(dir, 'start.js');
  const runner = join(root, 'out/src/node/snippets/snippetRunner.js');
  writeFileSync(
    script,
    `require(${JSON.stringify(runner)}).runSnippet({ language: 'javascript', code: 'Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0)' }, { sandboxScript: ${JSON.stringify(sandboxScript)}, timeoutMs: 600000 }); setInterval(() => {}, 1000);`,
  );
  const starter = spawn(process.execPath, [script], { stdio: 'ignore' });
  // A failed assertion must not leave it running: the test process would wait for it forever.
  t.after(() => starter.kill('SIGKILL'));
  const sandboxes = () =>
    readdirSync('/proc')
      .filter((p) => /^\d+$/.test(p))
      .filter((p) => {
        try {
          const cmd = readFileSync(`/proc/${p}/cmdline`, 'utf8');
          return (
            cmd.includes('jsSandbox.js') &&
            readFileSync(`/proc/${p}/environ`, 'utf8').includes('ELECTRON_RUN_AS_NODE') &&
            isDescendantOf(Number(p), starter.pid!)
          );
        } catch {
          return false;
        }
      });
  let mine: string[] = [];
  for (let i = 0; i < 100 && mine.length === 0; i++) {
    await new Promise((r) => setTimeout(r, 100));
    mine = sandboxes();
  }
  assert.ok(mine.length > 0, 'the snippet started');
  starter.kill('SIGKILL');
  let alive = mine;
  for (let i = 0; i < 30 && alive.length; i++) {
    await new Promise((r) => setTimeout(r, 100));
    alive = mine.filter((p) => existsSync(`/proc/${p}`) && !readFileSync(`/proc/${p}/stat`, 'utf8').includes(') Z '));
  }
  assert.deepEqual(alive, [], 'killed with its parent, not an hour later');
});

function isDescendantOf(pid: number, ancestor: number): boolean {
  for (let p = pid, hops = 0; p > 1 && hops < 10; hops++) {
    if (p === ancestor) return true;
    const stat = readFileSync(`/proc/${p}/stat`, 'utf8');
    p = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
  }
  return false;
}

test('hostile expected outputs and odd time limits: a long run of spaces compares fast; a fractional timeout still runs', async () => {
  const t0 = Date.now();
  const c = compareOutput('x', ' '.repeat(300000) + 'y\n');
  assert.equal(c.pass, false);
  assert.ok(Date.now() - t0 < 500, `${Date.now() - t0} ms`);
  const r = await runSnippet({ language: 'javascript', code: 'console.log(1)' }, { sandboxScript, timeoutMs: 1000.5 });
  assert.equal(r.status, 'ok', r.stderr);
  const syntax = await runSnippet({ language: 'javascript', code: 'let a = 1;\nlet x = ;' }, { sandboxScript });
  assert.equal(syntax.status, 'error');
  assert.match(syntax.stderr, /^snippet\.js:2\n[^]*SyntaxError: Unexpected token ';'/);
});
