// Worker threads yield the CPU to the extension host. On a machine with few cores a render or an
// index build in a worker competes with the host's own thread for a core, and the host (every
// extension's events, the editor's requests) then waits for it: measured on two cores, a 1 MB
// note's first render kept the host waiting up to 420 ms while none of its tasks ran over 40 ms.
// A worker's nice value (Linux keeps one per thread) lets the kernel run the host first.

import { readlinkSync } from 'node:fs';
import { getPriority, setPriority } from 'node:os';
import { isMainThread } from 'node:worker_threads';

/** How much lower than the host a worker runs: the preview's renders, then lint and indexing. */
export const WORKER_NICENESS = { preview: 5, background: 10 } as const;

/**
 * Lowers the calling thread's priority by `niceness` (Linux only: elsewhere a process has one
 * priority for all its threads, and lowering it would slow the host too). Never fails: a thread
 * that cannot change it runs as it was; a main thread (a module of a worker loaded by a test or the
 * CLI) is never lowered. Returns whether it did.
 */
export function lowerThisThread(niceness: number): boolean {
  if (process.platform !== 'linux' || niceness <= 0 || isMainThread) return false;
  try {
    // "<pid>/task/<tid>": the thread that reads the link is the one named.
    const tid = Number(/task\/(\d+)$/.exec(readlinkSync('/proc/thread-self'))?.[1]);
    if (!Number.isInteger(tid) || tid <= 0) return false;
    // setpriority(PRIO_PROCESS, tid) on Linux sets that one thread's nice value.
    setPriority(tid, Math.min(19, getPriority(tid) + niceness));
    return true;
  } catch {
    return false;
  }
}
