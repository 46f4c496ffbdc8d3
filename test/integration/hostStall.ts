// How long the extension host's own thread was kept busy: shared by the suites that promise a
// responsive host (scale, hostile).
import { readFileSync } from 'node:fs';
import { createHook } from 'node:async_hooks';
import { PerformanceObserver } from 'node:perf_hooks';

/**
 * The longest the extension host's event loop was blocked while `work` ran (ms: a timer's lateness
 * less the time the thread waited for a core; `lateness` with it), and its longest garbage collection.
 */
export async function longestStall<T>(
  work: () => Promise<T>,
  measureTasks = true,
): Promise<{ result: T; stall: number; lateness: number; at: number; gc: number; task: number; taskKind: string }> {
  // The longest callback (a task or a promise reaction: code that runs without yielding) in CPU
  // time of this thread (the kernel's schedstat, in ns): unlike the timer's lateness, it leaves
  // out time the thread waited for a core (two here, shared with the workers, the server and the
  // browser), which varied 10× between runs.
  const schedstat = `/proc/self/task/${process.pid}/schedstat`;
  const cpuMs = () => Number(readFileSync(schedstat, 'utf8').split(' ')[0]) / 1e6;
  let task = 0;
  let depth = 0;
  let taskStart = 0;
  // What kind of callback the longest task was (a timer, a message from a worker, a promise
  // reaction…), so that a failure in CI says where to look.
  const kinds = new Map<number, string>();
  let taskKind = '';
  let current = '';
  const tasks = createHook({
    init(asyncId, type) {
      kinds.set(asyncId, type);
    },
    before(asyncId) {
      if (depth++ === 0) {
        taskStart = cpuMs();
        current = kinds.get(asyncId) ?? 'unknown';
      }
    },
    after() {
      // The callback that enabled the hook ends without having begun for it.
      if (depth === 0) return;
      if (--depth === 0) {
        const took = cpuMs() - taskStart;
        if (took > task) [task, taskKind] = [took, current];
      }
    },
    destroy(asyncId) {
      kinds.delete(asyncId);
    },
  });
  // Hooks on every promise slow the host down (measured: the 5 000-note build 1.35 → 1.7 s).
  if (measureTasks) tasks.enable();
  let gc = 0;
  const gcs = new PerformanceObserver((list) => {
    for (const e of list.getEntries()) gc = Math.max(gc, e.duration);
  });
  gcs.observe({ entryTypes: ['gc'] });
  // The kernel also counts how long the thread waited, ready to run, for a core (schedstat's
  // second field): that part of a timer's lateness is the machine's load (two cores here, shared
  // with the workers, the server, the browser and whatever else runs), not work that blocked the
  // thread, and is left out.
  const waitedMs = () => Number(readFileSync(schedstat, 'utf8').split(' ')[1]) / 1e6;
  const started = Date.now();
  let last = started;
  let lastWaited = waitedMs();
  let stall = 0;
  let lateness = 0;
  let at = 0; // when the longest stall ended, in ms from the start (to tell which phase it was in)
  const timer = setInterval(() => {
    const now = Date.now();
    const waited = waitedMs();
    const late = now - last - 10;
    lateness = Math.max(lateness, late);
    if (late - (waited - lastWaited) > stall) {
      stall = Math.round(late - (waited - lastWaited));
      at = now - started;
    }
    last = now;
    lastWaited = waited;
  }, 10);
  try {
    return { result: await work(), stall, lateness, at, gc: Math.round(gc), task: Math.round(task), taskKind };
  } finally {
    tasks.disable();
    clearInterval(timer);
    gcs.disconnect();
  }
}
