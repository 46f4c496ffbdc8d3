// Runs one JavaScript snippet in a fresh `vm` context, in its own Node process (started by
// snippetRunner.ts with a memory cap and Node's permission model: no file system beyond this
// script, no child processes, no workers). The context holds no object of ours: `console` is made
// inside it, so `this.constructor.constructor('return process')()` finds only the context's own
// Function, and no error of ours reaches the snippet (it would carry our Function). Output goes to stdout/stderr as it comes; the parent caps and kills.

import { writeSync } from 'node:fs';
import { types } from 'node:util';
import * as vm from 'node:vm';

const chunks: Buffer[] = [];
process.stdin.on('data', (c: Buffer) => chunks.push(c));
process.stdin.on('end', () => {
  const { code, timeoutMs } = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { code: string; timeoutMs: number };
  // afterEvaluate: promise jobs run inside runInContext, so under its timeout too.
  const context = vm.createContext(Object.create(null), { codeGeneration: { strings: true, wasm: false }, microtaskMode: 'afterEvaluate' });
  // Only primitives cross: the context calls back through a function we hand it strings from.
  // Synchronous: a snippet that never yields (an endless print loop) must still reach the parent,
  // which counts the bytes and stops it at the cap.
  const write = (stream: number, text: string) => {
    try {
      writeSync(stream === 2 ? 2 : 1, String(text));
    } catch {
      process.exit(0); // the parent closed the pipe: it has stopped listening
    }
  };
  vm.runInContext(
    // The one host function the context holds is called only here, and whatever it throws is
    // replaced: a host error (a stack overflow on entering it) would hand the snippet the host's
    // Function constructor, and with it \`process\`.
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
    })`,
    context,
  )((stream: number, text: string) => write(stream, String(text)));
  // import() must fail with an error of the context: without this callback Node rejects it with
  // one of ours, whose constructor's constructor is our Function (and so our `process`).
  const noImport = (): never => {
    throw vm.runInContext('new Error("import() is not available in snippets")', context);
  };
  closeHostDoors();
  let exitCode = 0;
  const started = Date.now();
  try {
    // displayErrors: false, so Node does not decorate (read) a thrown value outside the time limit.
    new vm.Script(code, { filename: 'snippet.js', importModuleDynamically: noImport as never }).runInContext(context, { timeout: timeoutMs, breakOnSigint: true, displayErrors: false });
  } catch (err) {
    const timedOut = isTimeout(err, Date.now() - started, timeoutMs);
    write(2, `${timedOut ? 'Script execution timed out.' : describe(err)}\n`);
    exitCode = timedOut ? 124 : 1;
  }
  // Now, before anything the snippet left behind (FinalizationRegistry callbacks) gets a turn.
  process.exit(exitCode);
});

/**
 * Node's timeout error (it is made in the context's realm, so it is told by its code, read as a
 * data property: no getter of the snippet runs), thrown once the time limit has passed.
 */
function isTimeout(err: unknown, elapsedMs: number, timeoutMs: number): boolean {
  if (elapsedMs < timeoutMs || typeof err !== 'object' || err === null || types.isProxy(err) || !types.isNativeError(err)) return false;
  return Object.getOwnPropertyDescriptor(err, 'code')?.value === 'ERR_SCRIPT_EXECUTION_TIMEOUT';
}

/**
 * What the snippet threw, as text. Reading it may run the snippet's getters or its
 * Error.prepareStackTrace: without the vm's time limit, but the parent's kill and the CPU limit
 * still bound it, and only context objects are involved.
 */
function describe(err: unknown): string {
  if (typeof err !== 'object' && typeof err !== 'function') return `Uncaught ${String(err)}`;
  if (err === null) return 'Uncaught null';
  if (types.isProxy(err)) return 'Uncaught exception (a Proxy)';
  try {
    const stack = (err as { stack?: unknown }).stack;
    const text = typeof stack === 'string' ? stack : String(err);
    // The snippet's frames only: ours (vm, streams) say nothing to its author.
    return text.split('\n').filter((l, i) => i === 0 || !/^\s+at /.test(l) || l.includes('snippet.js')).join('\n');
  } catch {
    return 'Uncaught exception (it could not be shown)';
  }
}

/**
 * A second line behind the context: should a snippet ever reach this process's globals, the ways
 * out that Node 20's permission model leaves open (it does not cover the network) are gone. The
 * file system, child processes and workers are already refused by the permission model.
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
  // (exit and reallyExit stay: this script ends with process.exit.)
  for (const name of ['mainModule', 'binding', '_linkedBinding', 'dlopen', 'openStdin', 'getBuiltinModule', 'kill', '_kill', 'setuid', 'setgid', 'seteuid', 'setegid', 'setgroups', 'initgroups', 'report', 'chdir']) {
    try {
      Object.defineProperty(p, name, { value: undefined, configurable: false, writable: false });
    } catch {
      /* left as it is */
    }
  }
}
