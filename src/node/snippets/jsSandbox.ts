// Runs one JavaScript snippet in a fresh `vm` context, in its own Node process (started by
// snippetRunner.ts under Node's permission model — no file system beyond this script, no child
// processes, no workers — and kernel limits on CPU time, data memory and wall-clock time).
//
// The rule: no object of ours ever reaches the snippet, and we never touch an object of the
// snippet's. Why both matter: an error of ours carries our Function constructor (hence our
// `process`); and when *we* read a snippet error's `.stack`, V8 hands the snippet's
// Error.prepareStackTrace call sites made in our realm. So `console` is built inside the context,
// errors are described inside the context (under a time limit), and only strings and numbers
// cross back. Output goes to stdout/stderr as it comes; the parent caps and kills.

import { writeSync } from 'node:fs';
import { types } from 'node:util';
import * as vm from 'node:vm';

// Ours, taken before anything can change them.
const exit = process.exit.bind(process);
const DESCRIBE_TIMEOUT_MS = 1000;

const chunks: Buffer[] = [];
process.stdin.on('data', (c: Buffer) => chunks.push(c));
process.stdin.on('end', () => {
  const { code, timeoutMs } = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { code: string; timeoutMs: number };
  // afterEvaluate: promise jobs run inside runInContext, so under its timeout too.
  const context = vm.createContext(Object.create(null), { codeGeneration: { strings: true, wasm: false }, microtaskMode: 'afterEvaluate' });
  // Synchronous: a snippet that never yields (an endless print loop) must still reach the parent,
  // which counts the bytes and stops it at the cap.
  const write = (stream: number, text: string) => {
    try {
      writeSync(stream === 2 ? 2 : 1, String(text));
    } catch (e) {
      if ((e as { code?: unknown })?.code === 'EPIPE') exit(0); // the parent has stopped listening
      throw new Error('write failed'); // replaced by the context's own error (see below)
    }
  };
  // The harness, made in the context before the snippet runs: the console (the one host function
  // the context holds is called only here, and whatever it throws is replaced by an error of the
  // context), and a describer for what the snippet throws. Both are fixed globals the snippet cannot
  // replace; the thrown value is kept in a closure.
  const harness = vm.runInContext(
    `(function (hostWrite) {
      'use strict';
      const write = (stream, text) => {
        try {
          hostWrite(stream, text);
        } catch {
          throw new RangeError('console output failed (the call stack is exhausted?)');
        }
      };
      const show = (v) => typeof v === 'string' ? v : (() => { try { return JSON.stringify(v) ?? String(v); } catch { return String(v); } })();
      const line = (stream) => (...args) => write(stream, args.map(show).join(' ') + '\\n');
      globalThis.console = { log: line(1), info: line(1), debug: line(1), warn: line(2), error: line(2) };
      let caught;
      const keep = (e) => { caught = e; };
      const describe = () => {
        const e = caught;
        let text;
        try {
          text = e !== null && (typeof e === 'object' || typeof e === 'function') && typeof e.stack === 'string' ? e.stack : 'Uncaught ' + String(e);
        } catch {
          text = 'Uncaught exception (it could not be shown)';
        }
        return typeof text === 'string' ? text : 'Uncaught exception';
      };
      Object.defineProperty(globalThis, '__mathNotesDescribe', { value: describe, writable: false, configurable: false, enumerable: false });
      return keep;
    })`,
    context,
    { displayErrors: false },
  ) as (hostWrite: (stream: number, text: string) => void) => (e: unknown) => void;
  const keep = harness((stream: number, text: string) => write(stream, String(text)));
  // import() must fail with an error of the context: without this callback Node rejects it with
  // one of ours.
  const noImport = (): never => {
    throw vm.runInContext('new Error("import() is not available in snippets")', context, { displayErrors: false });
  };
  closeHostDoors();
  let exitCode = 0;
  const started = Date.now();
  // Compiled apart: a syntax error is ours (made before any of the snippet's code ran) and is
  // described here, never handed to the context.
  let script: vm.Script;
  try {
    script = new vm.Script(code, { filename: 'snippet.js', importModuleDynamically: noImport as never });
  } catch (err) {
    // `snippet.js:2`, the line, a caret, then the message: what a reader needs, without our frames.
    const stack =
      err instanceof Error && typeof err.stack === 'string'
        ? err.stack
            .split('\n')
            .filter((l) => !/^\s+at /.test(l))
            .join('\n')
            .trim()
        : 'The snippet could not be compiled.';
    write(2, `${stack}\n`);
    exit(1);
    return;
  }
  try {
    // displayErrors: false, so Node does not decorate (read) a thrown value.
    script.runInContext(context, { timeout: timeoutMs, breakOnSigint: true, displayErrors: false });
  } catch (err) {
    const timedOut = isTimeout(err, Date.now() - started, timeoutMs);
    write(2, `${timedOut ? 'Script execution timed out.' : describe(context, keep, err)}\n`);
    exitCode = timedOut ? 124 : 1;
  }
  // Now, before anything the snippet left behind (FinalizationRegistry callbacks) gets a turn.
  exit(exitCode);
});

/**
 * Node's timeout error, told by its code read as a data property (no getter of the snippet runs),
 * thrown once the time limit has passed.
 */
function isTimeout(err: unknown, elapsedMs: number, timeoutMs: number): boolean {
  if (elapsedMs < timeoutMs || typeof err !== 'object' || err === null || types.isProxy(err) || !types.isNativeError(err)) return false;
  return Object.getOwnPropertyDescriptor(err, 'code')?.value === 'ERR_SCRIPT_EXECUTION_TIMEOUT';
}

/** What the snippet threw, described inside the context under a time limit; only a string comes back. */
function describe(context: vm.Context, keep: (e: unknown) => void, err: unknown): string {
  let text: unknown;
  try {
    keep(err);
    text = vm.runInContext('__mathNotesDescribe()', context, { timeout: DESCRIBE_TIMEOUT_MS, displayErrors: false });
  } catch {
    return 'Uncaught exception (it could not be shown)';
  }
  if (typeof text !== 'string') return 'Uncaught exception';
  // The snippet's frames only: ours (vm, streams) say nothing to its author.
  return text
    .split('\n')
    .filter((l, i) => i === 0 || !/^\s+at /.test(l) || l.includes('snippet.js'))
    .join('\n');
}

/**
 * A second line behind the context: should a snippet ever reach this process's globals, the ways
 * out that Node 20's permission model leaves open (it does not cover the network, signals or the
 * inspector) are gone. The file system, child processes and workers are refused by the model.
 */
function closeHostDoors(): void {
  const g = globalThis as Record<string, unknown>;
  for (const name of ['fetch', 'WebSocket', 'EventSource', 'Request', 'Response', 'Headers', 'FormData', 'require', 'module']) {
    try {
      delete g[name];
    } catch {
      /* not configurable: left as it is */
    }
  }
  const p = process as unknown as Record<string, unknown>;
  const gone = [
    'mainModule',
    'binding',
    '_linkedBinding',
    'dlopen',
    'openStdin',
    'getBuiltinModule',
    'kill',
    '_kill',
    'setuid',
    'setgid',
    'seteuid',
    'setegid',
    'setgroups',
    'initgroups',
    'report',
    'chdir',
    '_debugProcess',
    '_debugEnd',
    '_startProfilerIdleNotifier',
    '_stopProfilerIdleNotifier',
    'abort',
  ];
  for (const name of gone) {
    try {
      Object.defineProperty(p, name, { value: undefined, configurable: false, writable: false });
    } catch {
      /* left as it is */
    }
  }
  // Ours to end with (kept above); nobody else's to replace.
  for (const name of ['exit', 'reallyExit']) {
    try {
      Object.defineProperty(p, name, { value: p[name], configurable: false, writable: false });
    } catch {
      /* left as it is */
    }
  }
}
