// Where one snippet run lives, so that nothing it starts outlives it (Linux).
//
// - A cgroup v2 of its own, where the system lets us create one under our own cgroup (root, a
//   systemd-delegated user session): the run's first process moves itself in before it runs any of
//   the snippet's code, so every process it forks is born inside, whatever it does with sessions,
//   process groups or its environment; `cgroup.kill` ends them all at once.
// - In any case a random marker in the environment of the run's processes (`MATHNOTES_RUN=<id>`),
//   which fork, setsid and exec keep; found through /proc/<pid>/environ. Only a process that execs
//   with a cleared environment sheds it — which is why the Python supervisor (pySupervisor.ts) is
//   also the run's subreaper.
// - And the process group and the descendants of the run's first process.
// The snippet runs as the user: a process that means to can still leave (move itself to another
// cgroup the user owns, ask systemd or cron to start something). This catches what scripts do by
// accident or habit: daemonizing, double forks, fork storms, ignoring SIGTERM.

import { randomBytes } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, rmdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export const RUN_MARKER = 'MATHNOTES_RUN';
const CGROUP_PREFIX = 'mathnotes-run-';
/** How long one kill may insist on processes that are still there (dying, or forking meanwhile). */
const KILL_BUDGET_MS = 500;

export class RunJail {
  readonly id = randomBytes(12).toString('hex');
  /** The run's own cgroup folder, when one could be made. */
  readonly cgroup: string | undefined;
  private readonly needle: Buffer;
  private readonly needleAfterAnother: Buffer;

  constructor(useCgroup: boolean) {
    this.cgroup = useCgroup ? createRunCgroup(this.id) : undefined;
    this.needle = Buffer.from(`${RUN_MARKER}=${this.id}\0`, 'latin1');
    this.needleAfterAnother = Buffer.from(`\0${RUN_MARKER}=${this.id}\0`, 'latin1');
  }

  /** What goes into the environment of the run's first process. */
  get env(): Record<string, string> {
    return { [RUN_MARKER]: this.id };
  }

  /**
   * SIGKILL to every process of the run: its cgroup, `rootPid`'s process group and descendants,
   * every process carrying the marker; again until none is left (or the budget is spent).
   * Returns the processes still seen at the end.
   */
  kill(rootPid: number | undefined): number[] {
    if (process.platform === 'win32') return [];
    const started = Date.now();
    let left: number[] = [];
    for (let round = 0; ; round++) {
      if (this.cgroup) {
        try {
          writeFileSync(join(this.cgroup, 'cgroup.kill'), '1');
        } catch {
          /* before Linux 5.14 there is no cgroup.kill: the pids below */
        }
      }
      if (rootPid) {
        try {
          process.kill(-rootPid, 'SIGKILL'); // the group (the first process leads it: detached)
        } catch {
          /* gone */
        }
      }
      left = this.members(rootPid);
      if (left.length === 0 || Date.now() - started > KILL_BUDGET_MS) return left;
      for (const pid of left) {
        try {
          process.kill(pid, 'SIGKILL');
        } catch {
          /* gone meanwhile */
        }
      }
      if (round > 0) sleepSync(2);
    }
  }

  /** Live (not zombie) processes of the run other than us. */
  members(rootPid: number | undefined): number[] {
    const found = new Set<number>();
    if (this.cgroup) {
      try {
        for (const line of readFileSync(join(this.cgroup, 'cgroup.procs'), 'utf8').split('\n')) if (line) found.add(Number(line));
      } catch {
        /* removed */
      }
    }
    if (process.platform !== 'linux') return [...found];
    const procs = scanProcs(this.needle, this.needleAfterAnother);
    if (rootPid) {
      const children = new Map<number, number[]>();
      for (const p of procs) {
        if (!children.has(p.ppid)) children.set(p.ppid, []);
        children.get(p.ppid)!.push(p.pid);
      }
      const queue = [rootPid];
      while (queue.length) for (const c of children.get(queue.shift()!) ?? []) (found.add(c), queue.push(c));
      if (procs.some((p) => p.pid === rootPid)) found.add(rootPid);
    }
    for (const p of procs) if (p.marked) found.add(p.pid);
    const zombies = new Set(procs.filter((p) => p.zombie).map((p) => p.pid));
    found.delete(process.pid);
    return [...found].filter((p) => !zombies.has(p));
  }

  /** Kills what is left and removes the cgroup (retrying a little while its last processes die). */
  dispose(rootPid: number | undefined): void {
    this.kill(rootPid);
    const cgroup = this.cgroup;
    if (!cgroup) return;
    let tries = 0;
    const remove = () => {
      try {
        rmdirSync(cgroup);
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code === 'EBUSY' && ++tries < 50) setTimeout(remove, 20).unref();
      }
    };
    remove();
  }
}

interface ProcEntry {
  pid: number;
  ppid: number;
  zombie: boolean;
  marked: boolean;
}

function scanProcs(needle: Buffer, needleAfterAnother: Buffer): ProcEntry[] {
  let entries: string[];
  try {
    entries = readdirSync('/proc');
  } catch {
    return [];
  }
  const out: ProcEntry[] = [];
  for (const e of entries) {
    if (!/^\d+$/.test(e)) continue;
    try {
      // `pid (comm) state ppid …`: comm may hold spaces and parentheses, so read after the last ')'.
      const stat = readFileSync(`/proc/${e}/stat`, 'latin1');
      const [state, ppid] = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      let marked = false;
      try {
        const environ = readFileSync(`/proc/${e}/environ`);
        marked = environ.indexOf(needle) === 0 || environ.indexOf(needleAfterAnother) >= 0;
      } catch {
        /* not ours to read (another user's), or gone */
      }
      out.push({ pid: Number(e), ppid: Number(ppid), zombie: state === 'Z' || state === 'X', marked });
    } catch {
      /* gone meanwhile */
    }
  }
  return out;
}

let cgroupBaseCache: string | null | undefined;

/** Our own cgroup v2 folder (where a run's cgroup would be made), or undefined. */
export function cgroupBase(): string | undefined {
  if (cgroupBaseCache !== undefined) return cgroupBaseCache ?? undefined;
  cgroupBaseCache = null;
  if (process.platform !== 'linux') return undefined;
  try {
    const own = readFileSync('/proc/self/cgroup', 'utf8')
      .split('\n')
      .find((l) => l.startsWith('0::'))
      ?.slice(3);
    if (!own) return undefined;
    for (const line of readFileSync('/proc/self/mountinfo', 'utf8').split('\n')) {
      const [left, right] = line.split(' - ');
      if (!right?.startsWith('cgroup2 ')) continue;
      const fields = left.split(' ');
      const unescape = (s: string) => s.replace(/\\([0-7]{3})/g, (_, o: string) => String.fromCharCode(parseInt(o, 8)));
      const root = unescape(fields[3]);
      const mountPoint = unescape(fields[4]);
      const rel = root === '/' ? own : own === root ? '/' : own.startsWith(root + '/') ? own.slice(root.length) : undefined;
      if (rel === undefined) continue;
      const dir = join(mountPoint, rel);
      try {
        statSync(join(dir, 'cgroup.procs'));
      } catch {
        continue;
      }
      cgroupBaseCache = dir;
      return dir;
    }
  } catch {
    /* no /proc */
  }
  return undefined;
}

function createRunCgroup(id: string): string | undefined {
  const base = cgroupBase();
  if (!base) return undefined;
  removeStaleCgroups(base);
  const dir = join(base, CGROUP_PREFIX + id);
  try {
    mkdirSync(dir);
    statSync(join(dir, 'cgroup.procs'));
    return dir;
  } catch {
    return undefined; // not ours to write (a container's read-only cgroup fs, a user's slice without delegation)
  }
}

/** Run cgroups a killed host of ours left behind: empty, and older than any run starting now. */
function removeStaleCgroups(base: string): void {
  try {
    for (const name of readdirSync(base)) {
      if (!name.startsWith(CGROUP_PREFIX)) continue;
      const dir = join(base, name);
      try {
        if (Date.now() - statSync(dir).mtimeMs < 60_000) continue;
        if (/populated 1/.test(readFileSync(join(dir, 'cgroup.events'), 'utf8'))) continue;
        rmdirSync(dir);
      } catch {
        /* in use, or not ours */
      }
    }
  } catch {
    /* unreadable */
  }
}

function sleepSync(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}
