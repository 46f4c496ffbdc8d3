// A run ends when it ends: nothing a snippet starts outlives it, and the run settles at its deadline
// (or on cancel, or at the output cap) whatever its pipes do. The hostile snippets daemonize (fork,
// setsid, fork again), keep our pipes open from a grandchild, close their own stdout and stderr,
// ignore SIGTERM, fork many children at once, exec with a cleared environment. Each one writes the
// pids of its processes to a file; after the run settles, none of them may be alive. Both ways a run
// is contained are tested: with a cgroup of its own (where this machine lets us make one) and without.
import assert from 'node:assert/strict';
import { copyFileSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawn, spawnSync } from 'node:child_process';
import { test } from 'node:test';
import { runSnippet, type RunOptions, type RunResult } from '../../src/node/snippets/snippetRunner';
import { alive, noted } from '../support/processes';

const root = join(__dirname, '../../..');
const cli = join(root, 'bin/mathnotes.js');
const python = spawnSync('python3', ['--version']).status === 0;
const linux = process.platform === 'linux';
/** Where a run's cgroup would be made, if this machine lets us (runJail.ts); read at run time so this file also runs against older code. */
const cgroupWritable = (() => {
  try {
    const { RunJail } = require(join(root, 'out/src/node/snippets/runJail.js')) as {
      RunJail: new (cg: boolean) => { cgroup?: string; dispose(pid?: number): void };
    };
    const jail = new RunJail(true);
    jail.dispose();
    return jail.cgroup !== undefined;
  } catch {
    return false;
  }
})();
/** Run options with the containment switch (`cgroup: false`: the fallback only); typed so this file compiles against older code too. */
const withCgroup = (o: RunOptions & { cgroup?: boolean }): RunOptions => o;
const TIMEOUT_MS = 3000;
/** How long after its deadline a run may take to settle (kill, reap, drain). */
const SETTLE_MARGIN_MS = 1500;

const work = mkdtempSync(join(tmpdir(), 'mn-contain-'));
// A copy of the sandbox script in a folder of this test's own: the sandbox's command line names it,
// so a surviving JavaScript process of ours is found by its path.
const sandboxScript = join(work, 'jsSandbox.js');
copyFileSync(join(root, 'dist/jsSandbox.js'), sandboxScript);
let files = 0;

/** A Python snippet that notes the pids of its processes; the helpers it may use. */
function hostile(body: string): { code: string; pids: string } {
  const pids = join(work, `pids-${files++}`);
  writeFileSync(pids, '');
  const code = `import os, signal, sys, time
PIDS = ${JSON.stringify(pids)}
def note():
    with open(PIDS, "a") as f:
        f.write("%d\\n" % os.getpid())
def wait_noted(n=1):
    for _ in range(400):
        if len(open(PIDS).read().split()) >= n:
            return
        time.sleep(0.01)
def daemonize(keep_pipes):
    # The classic double fork: the grandchild has a session of its own and init (or a subreaper) as parent.
    if os.fork():
        return False
    os.setsid()
    if os.fork():
        os._exit(0)
    if not keep_pipes:
        fd = os.open(os.devnull, os.O_RDWR)
        for i in (0, 1, 2):
            os.dup2(fd, i)
    return True
${body}
`;
  return { code, pids };
}

async function settleThenCheck(label: string, run: Promise<RunResult>, pidsFile: string, opts: { within: number }): Promise<RunResult> {
  const t0 = Date.now();
  const result = await run;
  const took = Date.now() - t0;
  await new Promise((r) => setTimeout(r, 100));
  const pids = noted(pidsFile);
  console.log(`${label}: ${result.status} in ${took} ms, ${pids.length} noted process(es), ${alive(pids).length} alive`);
  assert.ok(pids.length > 0, `${label}: the snippet got as far as starting its processes (${result.stderr})`);
  assert.ok(took < opts.within, `${label}: settled in ${took} ms, not within ${opts.within} ms`);
  assert.deepEqual(alive(pids), [], `${label}: no process of the run survives it`);
  return result;
}

const cases: Array<{ name: string; body: string; status: RunResult['status'] }> = [
  {
    name: 'a double-forked grandchild keeps the pipes open',
    status: 'timeout',
    body: 'if daemonize(True):\n    note()\n    time.sleep(30)\n    os._exit(0)\nwait_noted()\ntime.sleep(30)',
  },
  {
    name: 'it daemonizes twice and sleeps',
    status: 'timeout',
    body: 'if daemonize(False):\n    note()\n    if daemonize(False):\n        note()\n        time.sleep(30)\n    os._exit(0)\nwait_noted(2)\ntime.sleep(30)',
  },
  { name: 'it closes stdout and stderr and keeps running', status: 'timeout', body: 'note()\nos.close(1)\nos.close(2)\ntime.sleep(30)' },
  {
    name: 'it ignores SIGTERM, SIGINT and SIGHUP, and so does its daemon',
    status: 'timeout',
    body: 'for s in (signal.SIGTERM, signal.SIGINT, signal.SIGHUP):\n    signal.signal(s, signal.SIG_IGN)\nnote()\nif daemonize(True):\n    note()\n    time.sleep(30)\n    os._exit(0)\nwait_noted(2)\ntime.sleep(30)',
  },
  {
    name: 'it forks a hundred children at once, each in a session of its own',
    status: 'timeout',
    body: 'for i in range(100):\n    if os.fork() == 0:\n        os.setsid()\n        note()\n        time.sleep(30)\n        os._exit(0)\nwait_noted(100)\ntime.sleep(30)',
  },
  {
    name: 'its daemon execs with a cleared environment',
    status: 'timeout',
    body: 'if daemonize(True):\n    note()\n    os.execve("/bin/sleep", ["sleep", "30"], {})\nwait_noted()\ntime.sleep(30)',
  },
  {
    name: 'it ends at once, its daemon holding the pipes',
    status: 'ok',
    body: 'if daemonize(True):\n    note()\n    time.sleep(30)\n    os._exit(0)\nwait_noted()\nprint("done")',
  },
];

for (const cgroup of [true, false]) {
  const mode = cgroup ? 'in a cgroup of its own' : 'without a cgroup (process group, subreaper, marker)';
  const skip = !python
    ? 'python3 is not installed'
    : !linux
      ? 'Linux only'
      : cgroup && !cgroupWritable
        ? 'no writable cgroup v2 here'
        : false;
  test(
    `Python ${mode}: a run settles at its deadline and leaves no process behind, whatever it does`,
    { skip, timeout: 180_000 },
    async () => {
      for (const c of cases) {
        const { code, pids } = hostile(c.body);
        const r = await settleThenCheck(
          c.name,
          runSnippet({ language: 'python', code }, withCgroup({ sandboxScript, timeoutMs: TIMEOUT_MS, cgroup })),
          pids,
          { within: TIMEOUT_MS + SETTLE_MARGIN_MS },
        );
        assert.equal(r.status, c.status, `${c.name}: ${r.stderr}`);
        if (c.status === 'ok') assert.equal(r.stdout, 'done\n');
      }
    },
  );

  test(
    `Python ${mode}: cancel and the output cap end the run at once, a grandchild holding the pipes`,
    { skip, timeout: 60_000 },
    async () => {
      const held = hostile(
        'if daemonize(True):\n    note()\n    time.sleep(30)\n    os._exit(0)\nwait_noted()\nprint("ready", flush=True)\ntime.sleep(30)',
      );
      const controller = new AbortController();
      const cancelled = runSnippet(
        { language: 'python', code: held.code },
        withCgroup({ sandboxScript, timeoutMs: 60_000, signal: controller.signal, cgroup }),
      );
      // Cancelled once the grandchild is there (the default 60 s deadline is far).
      for (let i = 0; i < 200 && noted(held.pids).length === 0; i++) await new Promise((r) => setTimeout(r, 25));
      controller.abort();
      const r = await settleThenCheck('cancel', cancelled, held.pids, { within: SETTLE_MARGIN_MS });
      assert.equal(r.status, 'cancelled');
      const flood = hostile(
        'if daemonize(True):\n    note()\n    while True:\n        sys.stdout.write("x" * 4096)\nwait_noted()\ntime.sleep(30)',
      );
      const capped = await settleThenCheck(
        'output cap',
        runSnippet(
          { language: 'python', code: flood.code },
          withCgroup({ sandboxScript, timeoutMs: 60_000, outputCap: 64 * 1024, cgroup }),
        ),
        flood.pids,
        { within: 60_000 },
      );
      assert.equal(capped.status, 'output-capped');
      assert.ok(capped.ms < 10_000, `capped after ${capped.ms} ms`);
    },
  );
}

test(
  'Python in a cgroup: even a daemon that kills the supervisor and sheds the marker is found',
  { skip: !python || !linux ? 'Linux and python3 only' : !cgroupWritable && 'no writable cgroup v2 here', timeout: 60_000 },
  async () => {
    // What only the cgroup holds: the supervisor is gone (no subreaper), the daemon has no marker.
    const { code, pids } = hostile(
      'if daemonize(True):\n    note()\n    os.execve("/bin/sleep", ["sleep", "30"], {})\nwait_noted()\nif b"python" in open("/proc/%d/cmdline" % os.getppid(), "rb").read():\n    os.kill(os.getppid(), signal.SIGKILL)\ntime.sleep(30)',
    );
    await settleThenCheck('supervisor killed', runSnippet({ language: 'python', code }, { sandboxScript, timeoutMs: TIMEOUT_MS }), pids, {
      within: TIMEOUT_MS + SETTLE_MARGIN_MS,
    });
  },
);

/** Processes of this test's JavaScript runs, from the wrapper to the sandbox (their command line names this test's sandbox copy). */
function jsSurvivors(): string[] {
  return readdirSync('/proc')
    .filter((p) => /^\d+$/.test(p))
    .filter((p) => {
      try {
        return (
          readFileSync(`/proc/${p}/cmdline`, 'utf8').includes(sandboxScript) && !/\) [ZX] /.test(readFileSync(`/proc/${p}/stat`, 'utf8'))
        );
      } catch {
        return false;
      }
    });
}

test(
  'JavaScript: a run settles at its deadline and on cancel, and its process is gone',
  { skip: !linux && 'Linux only', timeout: 60_000 },
  async () => {
    const t0 = Date.now();
    const loop = await runSnippet({ language: 'javascript', code: 'for (;;) {}' }, { sandboxScript, timeoutMs: 1000 });
    assert.equal(loop.status, 'timeout');
    assert.ok(Date.now() - t0 < 1000 + 500 + SETTLE_MARGIN_MS, `${Date.now() - t0} ms`);
    const controller = new AbortController();
    const waiting = runSnippet(
      { language: 'javascript', code: 'Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0)' },
      { sandboxScript, timeoutMs: 60_000, signal: controller.signal },
    );
    await new Promise((r) => setTimeout(r, 1000));
    const t1 = Date.now();
    controller.abort();
    const cancelled = await waiting;
    assert.equal(cancelled.status, 'cancelled');
    assert.ok(Date.now() - t1 < SETTLE_MARGIN_MS, `cancel took ${Date.now() - t1} ms`);
    await new Promise((r) => setTimeout(r, 100));
    assert.deepEqual(jsSurvivors(), []);
  },
);

test(
  'mathnotes run: a note whose snippet leaves a daemon holding the pipes exits promptly, the next snippet still runs',
  { skip: !python ? 'python3 is not installed' : !linux && 'Linux only', timeout: 60_000 },
  () => {
    const { code, pids } = hostile('if daemonize(True):\n    note()\n    time.sleep(30)\n    os._exit(0)\nwait_noted()\ntime.sleep(30)');
    const note = join(work, 'daemon.md');
    writeFileSync(note, `# 守护进程\n\n\`\`\`python {timeout=2}\n${code}\`\`\`\n\n\`\`\`python\nprint("next")\n\`\`\`\n`);
    const t0 = Date.now();
    const r = spawnSync(process.execPath, [cli, 'run', note, '--json'], { encoding: 'utf8', timeout: 40_000 });
    const took = Date.now() - t0;
    console.log(`mathnotes run: exit ${r.status} in ${took} ms`);
    assert.equal(r.error, undefined, 'it exited by itself');
    const json = JSON.parse(r.stdout) as { snippets: Array<{ result: { status: string; stdout: string } }> };
    assert.deepEqual(
      json.snippets.map((s) => s.result.status),
      ['timeout', 'ok'],
    );
    assert.equal(json.snippets[1].result.stdout, 'next\n');
    // Two Python starts and the 2 s deadline, on a loaded machine.
    assert.ok(took < 2000 + 6000, `${took} ms`);
    assert.ok(noted(pids).length > 0);
    assert.deepEqual(alive(noted(pids)), []);
  },
);

test(
  'JavaScript: when the process that started a run dies at any moment of its start, the sandbox dies too',
  { skip: !linux && 'Linux only', timeout: 120_000 },
  async () => {
    // setpriv --pdeathsig has a race: a parent that dies before the death signal is set never sends it.
    // The starter is killed at a random moment of the run's start (within 20 ms of its first process
    // showing: sh, setpriv, timeout, its fork, node), many times over.
    const runner = join(root, 'out/src/node/snippets/snippetRunner.js');
    const started: string[] = [];
    for (let i = 0; i < 20; i++) {
      const script = join(work, `start-${i}.js`);
      writeFileSync(
        script,
        `require(${JSON.stringify(runner)}).runSnippet({ language: 'javascript', code: 'Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0)' }, { sandboxScript: ${JSON.stringify(sandboxScript)}, timeoutMs: 60000 }); setInterval(() => {}, 1000);`,
      );
      const starter = spawn(process.execPath, [script], { stdio: 'ignore' });
      for (let t = 0; t < 5000 && jsSurvivors().length === 0; t++) await new Promise((r) => setImmediate(r));
      await new Promise((r) => setTimeout(r, Math.random() * 20));
      started.push(...jsSurvivors());
      starter.kill('SIGKILL');
      await new Promise((r) => starter.once('exit', r));
    }
    assert.ok(started.length > 0, 'the runs started');
    let left = jsSurvivors();
    for (let i = 0; i < 30 && left.length; i++) {
      await new Promise((r) => setTimeout(r, 100));
      left = jsSurvivors();
    }
    assert.deepEqual(left, [], 'no sandbox outlives the process that started it');
  },
);
