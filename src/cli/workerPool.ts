// `-j N` for `mathnotes render` and `lint`: the notes of a run handled by N worker threads (the
// CLI's own bundle, started again as a worker). Each worker takes the next note when it is done
// with one, so one long note does not hold the others; results are handed on in the notes' order,
// so what the command prints and writes is what one thread gives.
import { availableParallelism } from 'node:os';
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';
import { cliLocale, takeLangOption } from './locale';
import { lintFileJob, type LintFileSettings } from './lintFile';
import { pageRenderer, type PageSettings } from './renderPage';

/** The jobs a worker can do: each makes, from the run's settings, the function applied to each note. */
const JOBS = {
  render: (settings: PageSettings) => pageRenderer(settings),
  lint: (settings: LintFileSettings) => lintFileJob(settings),
} satisfies Record<string, (settings: never) => (input: never) => unknown>;
type JobKind = keyof typeof JOBS;
type InputOf<K extends JobKind> = Parameters<ReturnType<(typeof JOBS)[K]>>[0];
type ResultOf<K extends JobKind> = ReturnType<ReturnType<(typeof JOBS)[K]>>;
type SettingsOf<K extends JobKind> = Parameters<(typeof JOBS)[K]>[0];

const ROLE = 'mathnotes-cli-worker';
interface WorkerData {
  role: typeof ROLE;
  kind: JobKind;
  settings: unknown;
  lang: string;
}

/** Below this many notes per worker, one thread is faster than starting another (~0.2 s each). */
const NOTES_PER_WORKER_AT_LEAST = 4;

/** How many threads a run of `notes` notes uses: `-j N` if given, else one per core, within the rule above. */
export function threadsFor(notes: number, jobs: number | undefined): number {
  return Math.max(1, Math.min(jobs ?? availableParallelism(), Math.ceil(notes / NOTES_PER_WORKER_AT_LEAST)));
}

/** Whether this thread is a CLI worker (the bundle's entry then serves instead of running a command). */
export function isCliWorker(): boolean {
  return !isMainThread && (workerData as Partial<WorkerData> | undefined)?.role === ROLE;
}

export function serveCliWorker(): void {
  const data = workerData as WorkerData;
  takeLangOption(['--lang', data.lang]);
  const job = (JOBS[data.kind] as (s: unknown) => (input: unknown) => unknown)(data.settings);
  parentPort!.on('message', (m: { index: number; input: unknown }) => {
    parentPort!.postMessage({ index: m.index, result: job(m.input) });
  });
}

/**
 * Applies job `kind` to every input, in `threads` workers (1: here, no worker); `take` gets the
 * results in the inputs' order. A worker that dies (out of memory on a huge note) rejects, naming
 * the note it had.
 */
export async function runJobs<K extends JobKind>(
  kind: K,
  settings: SettingsOf<K>,
  inputs: ReadonlyArray<InputOf<K>>,
  threads: number,
  take: (index: number, result: ResultOf<K>) => void,
): Promise<void> {
  if (threads <= 1) {
    const job = (JOBS[kind] as (s: unknown) => (input: unknown) => ResultOf<K>)(settings);
    inputs.forEach((input, k) => take(k, job(input)));
    return;
  }
  const waiting = new Map<number, ResultOf<K>>();
  let handed = 0;
  const arrived = (index: number, result: ResultOf<K>) => {
    waiting.set(index, result);
    while (waiting.has(handed)) {
      const r = waiting.get(handed)!;
      waiting.delete(handed);
      take(handed++, r);
    }
  };
  let next = 0;
  const lane = () =>
    new Promise<void>((resolve, reject) => {
      const worker = new Worker(__filename, { workerData: { role: ROLE, kind, settings, lang: cliLocale() } satisfies WorkerData });
      let current = -1;
      let done = false;
      const feed = () => {
        if (next >= inputs.length) {
          done = true;
          void worker.terminate();
          resolve();
          return;
        }
        current = next++;
        worker.postMessage({ index: current, input: inputs[current] });
      };
      worker.on('message', (m: { index: number; result: ResultOf<K> }) => {
        arrived(m.index, m.result);
        feed();
      });
      worker.on('error', (err) => reject(Object.assign(err, { index: current })));
      worker.on('exit', (code) => {
        if (!done) reject(Object.assign(new Error(`worker exited with code ${code}`), { index: current }));
      });
      feed();
    });
  await Promise.all(Array.from({ length: Math.min(threads, inputs.length) }, lane));
}

/** `-j N`, `-jN`, `--jobs N`, `--jobs=N`: the number, or undefined when it is not 1 or more. */
export function jobsOption(arg: string, next: string | undefined): number | undefined {
  const n = Number(/\d+$/.exec(arg)?.[0] ?? next);
  return Number.isInteger(n) && n >= 1 ? n : undefined;
}
