// Runs one snippet in a child process, never in ours: JavaScript in a fresh Node process holding a
// `vm` context (jsSandbox.ts), Python through the configured interpreter in isolated mode. Each run
// gets a fresh temporary folder as its working directory (never the workspace), a time limit, an
// output cap and a memory cap. Its processes live in a RunJail (runJail.ts: a cgroup of its own where
// possible, a marker in their environment, and for Python a supervisor that is their subreaper); on
// timeout, cap or cancel, and when its first process ends, every process of the run is killed. A run
// settles at its deadline whatever its pipes do: we stop waiting for them a moment after the kill.

import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import type { SnippetLanguage } from '../../core/snippets/snippets';
import { PY_SUPERVISOR } from './pySupervisor';
import { RunJail } from './runJail';

export type RunStatus = 'ok' | 'error' | 'timeout' | 'output-capped' | 'cancelled' | 'missing-interpreter' | 'out-of-memory';

export interface RunResult {
  status: RunStatus;
  exitCode: number | null;
  stdout: string;
  stderr: string;
  /** The output went over the cap: what is here is its beginning. */
  truncated: boolean;
  ms: number;
  /** What the person needs to know when it is not a plain run (missing interpreter, killed …). */
  message?: string;
}

export interface RunOptions {
  timeoutMs?: number;
  /** Bytes of stdout + stderr kept; the run is stopped beyond it. */
  outputCap?: number;
  /** Memory cap of the child in MB. */
  memoryMb?: number;
  pythonPath?: string;
  /** Where jsSandbox.js is (the bundle sits beside the extension or the CLI). */
  sandboxScript: string;
  /** The Node binary for JavaScript snippets (in an Electron host: its binary, run as Node). */
  nodePath?: string;
  signal?: AbortSignal;
  /** Put the run in a cgroup of its own when the system lets us (the default); false: only the fallback (tests). */
  cgroup?: boolean;
}

export const DEFAULT_TIMEOUT_MS = 10_000;
export const DEFAULT_OUTPUT_CAP = 1024 * 1024;
const DEFAULT_MEMORY_MB = 512;
/** After asking the Python supervisor to stop the run: how long it has before we kill everything ourselves. */
const SUPERVISOR_GRACE_MS = 300;
/** After a stop: the run settles this long after, at the latest, whatever its pipes and processes do. */
const SETTLE_MS = 1000;
/** After the run's first process exits: how long its pipes may take to deliver what is left. */
const DRAIN_MS = 250;

export interface RunnableSnippet {
  language: SnippetLanguage;
  code: string;
  doctest?: boolean;
}

export function runSnippet(snippet: RunnableSnippet, options: RunOptions): Promise<RunResult> {
  const dir = mkdtempSync(join(tmpdir(), 'mathnotes-run-'));
  const started = Date.now();
  // Whole milliseconds, at least one (vm rejects fractions: `{timeout=0.0001}`).
  const timeoutMs = Math.max(1, Math.round(options.timeoutMs ?? DEFAULT_TIMEOUT_MS));
  const memoryMb = options.memoryMb ?? DEFAULT_MEMORY_MB;
  const jail = new RunJail(options.cgroup !== false && process.platform === 'linux');
  const limits: RunLimits = { dir, timeoutMs, memoryMb, jail };
  const run = snippet.language === 'javascript' ? startJavaScript(snippet, options, limits) : startPython(snippet, options, limits);
  return superviseRun(run, snippet, options, limits, started);
}

/** What every run is held to: its own folder, time, memory and jail (cgroup, marker). */
interface RunLimits {
  dir: string;
  timeoutMs: number;
  memoryMb: number;
  jail: RunJail;
}

interface StartedRun {
  child: ChildProcess;
  interpreter: string;
  /** The Python supervisor's fd 3: closing it asks it to end the run. */
  control?: Readable;
  /** What goes to the run's standard input (the JavaScript sandbox reads its code there). */
  input?: string;
}

/** A JavaScript snippet: Node's permission model inside kernel limits (ulimit, timeout(1), death signals, the cgroup). */
function startJavaScript(snippet: RunnableSnippet, options: RunOptions, { dir, timeoutMs, memoryMb, jail }: RunLimits): StartedRun {
  const interpreter = options.nodePath ?? process.execPath;
  // Node's permission model: this script may be read, nothing else; no child processes, no workers.
  const args = [
    `--max-old-space-size=${memoryMb}`,
    '--experimental-vm-modules',
    '--experimental-permission',
    `--allow-fs-read=${options.sandboxScript}`,
    '--no-warnings',
    options.sandboxScript,
  ];
  // Limits the kernel enforces whatever the script does: CPU seconds (a loop the vm's timeout
  // misses still ends, even if we are gone), data memory (ArrayBuffers live outside V8's heap
  // cap) and, where coreutils' timeout exists, wall-clock time (an idle wait uses no CPU).
  // Through sh; the numbers are ours, the command line is passed as arguments.
  const cpuSeconds = Math.ceil(timeoutMs / 1000) + 2;
  const dataKb = (memoryMb * 2 + 256) * 1024;
  // setpriv --pdeathsig: killed the moment its parent dies (an idle wait uses no CPU and may be
  // long), for timeout(1) and for node under it. prctl's race: a parent that dies before the death
  // signal is set never sends it; so once it is set, a shell checks that the parent is still the
  // one meant (its $0: us, then timeout(1), which keeps the first shell's pid) before going on.
  const wall = `timeout -s KILL ${cpuSeconds + 1}`;
  const whileParentIs = (pid: string) => `/bin/sh -c '[ "$PPID" = "$0" ] || exit 137; exec "$@"' ${pid}`;
  // First of all, into the run's cgroup (if any): from here on, whatever node does stays inside.
  const joinCgroup = jail.cgroup ? `{ echo $$ > ${shellQuote(join(jail.cgroup, 'cgroup.procs'))}; } 2>/dev/null; ` : '';
  const limits =
    `${joinCgroup}ulimit -t ${cpuSeconds} 2>/dev/null; ulimit -d ${dataKb} 2>/dev/null; ` +
    `if command -v setpriv >/dev/null 2>&1 && command -v timeout >/dev/null 2>&1; then exec setpriv --pdeathsig KILL ${whileParentIs(String(process.pid))} ${wall} setpriv --pdeathsig KILL ${whileParentIs('$$')} "$@"; ` +
    `elif command -v timeout >/dev/null 2>&1; then exec ${wall} "$@"; else exec "$@"; fi`;
  const child =
    process.platform === 'win32'
      ? spawn(interpreter, args, { cwd: dir, detached: true, env: { ELECTRON_RUN_AS_NODE: '1' }, stdio: ['pipe', 'pipe', 'pipe'] })
      : spawn('/bin/sh', ['-c', limits, 'sh', interpreter, ...args], {
          cwd: dir,
          detached: true,
          env: { ELECTRON_RUN_AS_NODE: '1', PATH: '/usr/bin:/bin', ...jail.env },
          stdio: ['pipe', 'pipe', 'pipe'],
        });
  return { child, interpreter, input: JSON.stringify({ code: snippet.code, timeoutMs }) };
}

/** A Python snippet (or its doctest): isolated mode, rlimits, a guard thread, on Linux through the supervisor. */
function startPython(snippet: RunnableSnippet, options: RunOptions, { dir, timeoutMs, memoryMb, jail }: RunLimits): StartedRun {
  const interpreter = options.pythonPath || 'python3';
  const file = snippet.doctest ? 'snippet.txt' : 'snippet.py';
  writeFileSync(join(dir, file), snippet.code);
  // Isolated mode (-I: no user site, no PYTHON* variables, no script folder on sys.path); the
  // address-space limit keeps a 10 GB allocation from reaching the machine.
  // If we die (the extension host crashes, the CLI is killed), nobody kills it: it watches its
  // parent and its own clock (SIGALRM ends it a moment after the time limit in any case).
  const guard = `import os, signal, threading, time; signal.alarm(${Math.ceil(timeoutMs / 1000) + 2}); _mn_p = os.getppid(); threading.Thread(target=lambda: [os._exit(137) if os.getppid() != _mn_p else time.sleep(0.25) for _ in iter(int, 1)], daemon=True).start()`;
  const cpu = Math.ceil(timeoutMs / 1000) + 2;
  const limit = `${guard}; import resource; resource.setrlimit(resource.RLIMIT_AS, (${memoryMb * 1024 * 1024}, ${memoryMb * 1024 * 1024})); resource.setrlimit(resource.RLIMIT_CPU, (${cpu}, ${cpu}))`;
  const main = snippet.doctest
    ? `${limit}; import doctest, sys; r = doctest.testfile(${JSON.stringify(file)}, module_relative=False, verbose=False, optionflags=doctest.NORMALIZE_WHITESPACE); print(f"doctest: {r.attempted - r.failed} of {r.attempted} passed"); sys.exit(1 if r.failed else 0)`
    : // Compiled from text, not bytes: a coding cookie (`# -*- coding: utf-7 -*-`) would make Python
      // read the bytes as other code than the page shows (runpy honoured it).
      `${limit}; import sys, types; sys.argv = [${JSON.stringify(file)}]; m = types.ModuleType("__main__"); m.__file__ = ${JSON.stringify(file)}; sys.modules["__main__"] = m; exec(compile(open(${JSON.stringify(file)}, encoding="utf-8-sig").read(), ${JSON.stringify(file)}, "exec"), m.__dict__)`;
  const env = {
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    LANG: 'C.UTF-8',
    PYTHONIOENCODING: 'utf-8',
    PYTHONDONTWRITEBYTECODE: '1',
    HOME: dir,
    ...jail.env,
  };
  if (process.platform === 'linux') {
    // Through the supervisor (pySupervisor.ts), the run's subreaper; its own deadline is a backstop to ours.
    const config = JSON.stringify({ main, seconds: timeoutMs / 1000 + 2, cgroup: jail.cgroup ?? null, python: interpreter });
    const child = spawn(interpreter, ['-I', '-c', PY_SUPERVISOR, config], {
      cwd: dir,
      detached: true,
      env,
      stdio: ['ignore', 'pipe', 'pipe', 'pipe'],
    });
    const control = child.stdio[3] as Readable | undefined;
    control?.on('error', () => {});
    return { child, interpreter, control };
  }
  return {
    child: spawn(interpreter, ['-I', '-X', 'utf8', '-c', main], { cwd: dir, detached: true, env, stdio: ['ignore', 'pipe', 'pipe'] }),
    interpreter,
  };
}

/**
 * Watches a started run to its end: output within the cap, the time limit, a cancel; a stop ends
 * the whole run (supervisor first, then the jail), and the run settles within SETTLE_MS whatever
 * its pipes do. Resolves how it ended.
 */
function superviseRun(
  { child, interpreter, control, input }: StartedRun,
  snippet: RunnableSnippet,
  options: RunOptions,
  { dir, timeoutMs, jail }: RunLimits,
  started: number,
): Promise<RunResult> {
  return new Promise<RunResult>((resolve) => {
    const cap = options.outputCap ?? DEFAULT_OUTPUT_CAP;
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    let bytes = 0;
    let stopped: RunStatus | undefined;
    let settled = false;
    /** How the run's first process ended, once it has. */
    let ended: { code: number | null; signal: NodeJS.Signals | null } | undefined;
    const timers = new Set<NodeJS.Timeout>();
    const later = (ms: number, f: () => void) => {
      const t = setTimeout(() => (timers.delete(t), f()), ms);
      timers.add(t);
    };
    // Its pid names its group and tree only until it is reaped (then the pid may be another's):
    // after that, the cgroup and the marker find what is left.
    const firstPid = () => (ended ? undefined : child.pid);
    const killAll = () => jail.kill(firstPid());
    const stop = (why: RunStatus) => {
      if (stopped || settled) return;
      stopped = why;
      // Settled by then whatever its pipes do (a process we could not find holds them, or one we cannot kill).
      later(SETTLE_MS, () => finish());
      if (control && !ended) {
        // The supervisor ends the run (orphans are its children); we end whatever it leaves, or it.
        control.destroy();
        later(SUPERVISOR_GRACE_MS, killAll);
      } else {
        killAll();
      }
    };
    const take = (into: Buffer[]) => (chunk: Buffer) => {
      if (stopped === 'output-capped') return;
      const room = cap - bytes;
      into.push(room >= chunk.length ? chunk : chunk.subarray(0, Math.max(0, room)));
      bytes += chunk.length;
      if (bytes > cap) stop('output-capped');
    };
    child.stdout!.on('data', take(out));
    child.stderr!.on('data', take(err));
    later(timeoutMs + (snippet.language === 'javascript' ? 500 : 0), () => stop('timeout'));
    const onAbort = () => stop('cancelled');
    options.signal?.addEventListener('abort', onAbort);
    if (options.signal?.aborted) onAbort();
    let failure: RunResult['message'];
    let failed: RunStatus | undefined;
    const finish = () => {
      if (settled) return;
      settled = true;
      for (const t of timers) clearTimeout(t);
      options.signal?.removeEventListener('abort', onAbort);
      try {
        // Whatever it left running goes too, then its cgroup, its pipes (a survivor we could not
        // kill may hold them: we stop listening) and its folder.
        jail.dispose(firstPid());
        for (const stream of [child.stdout, child.stderr, control]) stream?.destroy();
        child.unref();
        rmSync(dir, { recursive: true, force: true });
      } catch {
        /* settle anyway */
      }
      const stderr = Buffer.concat(err).toString('utf8');
      const code = ended?.code ?? null;
      const signal = ended?.signal ?? null;
      const status: RunStatus = failed ?? stopped ?? (ended ? endStatus(snippet.language, code, signal, stderr) : 'error');
      const message = failure ?? (signal ? `stopped by ${signal}` : undefined);
      resolve({
        status,
        exitCode: code,
        stdout: Buffer.concat(out).toString('utf8'),
        stderr,
        truncated: bytes > cap,
        ms: Date.now() - started,
        ...(message ? { message } : {}),
      });
    };
    child.on('error', (e: NodeJS.ErrnoException) => {
      failed = e.code === 'ENOENT' ? 'missing-interpreter' : 'error';
      failure = e.code === 'ENOENT' ? `Cannot run ${interpreter}: it was not found.` : e.message;
      finish();
    });
    // Its first process is gone: the run is over. What it left behind is killed (so its pipes
    // close); what is still in the pipes has a moment to arrive.
    child.on('exit', (code, signal) => {
      ended = { code, signal };
      later(DRAIN_MS, () => finish());
      killAll();
    });
    child.on('close', () => finish());
    // Killed while we still write its code (a huge snippet, a cancel): EPIPE is expected, not fatal.
    child.stdin?.on('error', () => {});
    if (input !== undefined) child.stdin!.end(input);
  });
}

/**
 * How a run that ended by itself went, from how it ended, not from what it printed (a snippet can
 * print anything): V8 aborts on a full heap; our sandbox exits 124 at the vm's time limit; the
 * kernel's CPU limit sends SIGXCPU or SIGKILL; Python's MemoryError ends a failing run with that as
 * its traceback's last line.
 */
function endStatus(language: SnippetLanguage, code: number | null, signal: NodeJS.Signals | null, stderr: string): RunStatus {
  if (code === 0) return 'ok';
  const lastLine = stderr.trimEnd().split('\n').pop() ?? '';
  if (language === 'javascript' && (signal === 'SIGABRT' || code === 134)) return 'out-of-memory';
  if (language === 'python' && code === 1 && /^MemoryError\b/.test(lastLine)) return 'out-of-memory';
  // 124: the vm's time limit; 137/152: killed by the wall clock or the CPU limit (through timeout(1)).
  if ((language === 'javascript' && (code === 124 || code === 137 || code === 152)) || signal === 'SIGXCPU') return 'timeout';
  return 'error';
}

/** Single quotes for sh. */
function shellQuote(s: string): string {
  return `'${s.replace(/'/g, `'\\''`)}'`;
}
