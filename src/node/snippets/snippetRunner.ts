// Runs one snippet in a child process, never in ours: JavaScript in a fresh Node process holding a
// `vm` context (jsSandbox.ts), Python through the configured interpreter in isolated mode. Each run
// gets a fresh temporary folder as its working directory (never the workspace), a time limit, an
// output cap and a memory cap; on timeout, cap or cancel the whole process tree is killed.

import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { SnippetLanguage } from '../../core/snippets/snippets';

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
}

export const DEFAULT_TIMEOUT_MS = 10_000;
export const DEFAULT_OUTPUT_CAP = 1024 * 1024;
const DEFAULT_MEMORY_MB = 512;

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
  let child: ChildProcess;
  let input: string | undefined;
  let interpreter: string;
  if (snippet.language === 'javascript') {
    interpreter = options.nodePath ?? process.execPath;
    // Node's permission model: this script may be read, nothing else; no child processes, no workers.
    const args = [`--max-old-space-size=${memoryMb}`, '--experimental-vm-modules', '--experimental-permission', `--allow-fs-read=${options.sandboxScript}`, '--no-warnings', options.sandboxScript];
    // Limits the kernel enforces whatever the script does: CPU seconds (a loop the vm's timeout
    // misses still ends, even if we are gone), data memory (ArrayBuffers live outside V8's heap
    // cap) and, where coreutils' timeout exists, wall-clock time (an idle wait uses no CPU).
    // Through sh; the numbers are ours, the command line is passed as arguments.
    const cpuSeconds = Math.ceil(timeoutMs / 1000) + 2;
    const dataKb = (memoryMb * 2 + 256) * 1024;
    // setpriv --pdeathsig: killed the moment its parent dies (an idle wait uses no CPU and may be
    // long), for timeout(1) and for node under it.
    const wall = `timeout -s KILL ${cpuSeconds + 1}`;
    const limits = `ulimit -t ${cpuSeconds} 2>/dev/null; ulimit -d ${dataKb} 2>/dev/null; ` +
      `if command -v setpriv >/dev/null 2>&1 && command -v timeout >/dev/null 2>&1; then exec setpriv --pdeathsig KILL ${wall} setpriv --pdeathsig KILL "$@"; ` +
      `elif command -v timeout >/dev/null 2>&1; then exec ${wall} "$@"; else exec "$@"; fi`;
    child = process.platform === 'win32'
      ? spawn(interpreter, args, { cwd: dir, detached: true, env: { ELECTRON_RUN_AS_NODE: '1' }, stdio: ['pipe', 'pipe', 'pipe'] })
      : spawn('/bin/sh', ['-c', limits, 'sh', interpreter, ...args], { cwd: dir, detached: true, env: { ELECTRON_RUN_AS_NODE: '1', PATH: '/usr/bin:/bin' }, stdio: ['pipe', 'pipe', 'pipe'] });
    input = JSON.stringify({ code: snippet.code, timeoutMs });
  } else {
    interpreter = options.pythonPath || 'python3';
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
      : `${limit}; import runpy, sys; sys.argv = [${JSON.stringify(file)}]; runpy.run_path(${JSON.stringify(file)}, run_name="__main__")`;
    child = spawn(interpreter, ['-I', '-X', 'utf8', '-c', main], {
      cwd: dir,
      detached: true,
      env: { PATH: process.env.PATH ?? '/usr/bin:/bin', LANG: 'C.UTF-8', PYTHONIOENCODING: 'utf-8', PYTHONDONTWRITEBYTECODE: '1', HOME: dir },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
  }
  return new Promise<RunResult>((resolve) => {
    const cap = options.outputCap ?? DEFAULT_OUTPUT_CAP;
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    let bytes = 0;
    let stopped: RunStatus | undefined;
    let settled = false;
    const stop = (why: RunStatus) => {
      if (stopped) return;
      stopped = why;
      killTree(child.pid);
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
    const timer = setTimeout(() => stop('timeout'), timeoutMs + (snippet.language === 'javascript' ? 500 : 0));
    const onAbort = () => stop('cancelled');
    options.signal?.addEventListener('abort', onAbort);
    if (options.signal?.aborted) onAbort();
    const finish = (result: Omit<RunResult, 'ms' | 'truncated' | 'stdout' | 'stderr'> & { stdout?: string; stderr?: string }) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      options.signal?.removeEventListener('abort', onAbort);
      // Whatever it left running (a child that escaped the group) goes too, then its folder.
      killTree(child.pid);
      rmSync(dir, { recursive: true, force: true });
      resolve({
        stdout: result.stdout ?? Buffer.concat(out).toString('utf8'),
        stderr: result.stderr ?? Buffer.concat(err).toString('utf8'),
        truncated: bytes > cap,
        ms: Date.now() - started,
        ...result,
      });
    };
    child.on('error', (e: NodeJS.ErrnoException) => {
      if (e.code === 'ENOENT') finish({ status: 'missing-interpreter', exitCode: null, message: `Cannot run ${interpreter}: it was not found.` });
      else finish({ status: 'error', exitCode: null, message: e.message });
    });
    child.on('close', (code, signal) => {
      const stderr = Buffer.concat(err).toString('utf8');
      let status: RunStatus = stopped ?? (code === 0 ? 'ok' : 'error');
      // From how it ended, not from what it printed (a snippet can print anything): V8 aborts on a
      // full heap; our sandbox exits 124 at the vm's time limit; the kernel's CPU limit sends SIGXCPU
      // or SIGKILL; Python's MemoryError ends a failing run with that as its traceback's last line.
      if (!stopped && code !== 0) {
        const lastLine = stderr.trimEnd().split('\n').pop() ?? '';
        if (snippet.language === 'javascript' && (signal === 'SIGABRT' || code === 134)) status = 'out-of-memory';
        else if (snippet.language === 'python' && code === 1 && /^MemoryError\b/.test(lastLine)) status = 'out-of-memory';
        // 124: the vm's time limit; 137/152: killed by the wall clock or the CPU limit (through timeout(1)).
        else if ((snippet.language === 'javascript' && (code === 124 || code === 137 || code === 152)) || signal === 'SIGXCPU') status = 'timeout';
      }
      finish({ status, exitCode: code, stderr, ...(signal ? { message: `stopped by ${signal}` } : {}) });
    });
    // Killed while we still write its code (a huge snippet, a cancel): EPIPE is expected, not fatal.
    child.stdin?.on('error', () => {});
    if (input !== undefined) child.stdin!.end(input);
  });
}

/** Kills a process, its process group and every descendant still found in /proc (Linux). */
export function killTree(pid: number | undefined): void {
  if (!pid) return;
  const victims = new Set<number>([pid, ...descendants(pid)]);
  try {
    process.kill(-pid, 'SIGKILL'); // the group (the child is a group leader: detached)
  } catch {
    /* already gone */
  }
  for (const p of victims) {
    try {
      process.kill(p, 'SIGKILL');
    } catch {
      /* already gone */
    }
  }
}

function descendants(root: number): number[] {
  if (process.platform !== 'linux') return [];
  const children = new Map<number, number[]>();
  let entries: string[];
  try {
    entries = readdirSync('/proc').filter((e) => /^\d+$/.test(e));
  } catch {
    return [];
  }
  for (const e of entries) {
    try {
      // `pid (comm) state ppid …`: comm may hold spaces and parentheses, so read after the last ')'.
      const stat = readFileSync(`/proc/${e}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      if (!children.has(ppid)) children.set(ppid, []);
      children.get(ppid)!.push(Number(e));
    } catch {
      /* gone meanwhile */
    }
  }
  const out: number[] = [];
  const queue = [root];
  while (queue.length) for (const c of children.get(queue.shift()!) ?? []) (out.push(c), queue.push(c));
  return out;
}
