// `mathnotes render -j N`: the notes of a run rendered by N worker threads (the CLI's own bundle,
// started again as a worker), each taking the next note when it is done with one, so one long
// note does not hold the others. Results come back by index: the output is the one thread's.
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';
import { cliLocale, takeLangOption } from './locale';
import { pageRenderer, type PageInput, type PageResult, type PageSettings } from './renderPage';

const ROLE = 'mathnotes-render';

interface WorkerData {
  role: typeof ROLE;
  settings: PageSettings;
  lang: string;
}

/** Whether this thread is a render worker (the bundle's entry then serves instead of running a command). */
export function isRenderWorker(): boolean {
  return !isMainThread && (workerData as Partial<WorkerData> | undefined)?.role === ROLE;
}

export function serveRenderWorker(): void {
  const data = workerData as WorkerData;
  takeLangOption(['--lang', data.lang]);
  const render = pageRenderer(data.settings);
  parentPort!.on('message', (m: { index: number; input: PageInput }) => {
    parentPort!.postMessage({ index: m.index, result: render(m.input) });
  });
}

/** Renders `inputs` in `threads` workers; `onResult` gets each page as it is done. */
export async function renderInWorkers(inputs: readonly PageInput[], settings: PageSettings, threads: number, onResult: (index: number, result: PageResult) => void): Promise<void> {
  let next = 0;
  const lane = () =>
    new Promise<void>((resolve, reject) => {
      const worker = new Worker(__filename, { workerData: { role: ROLE, settings, lang: cliLocale() } satisfies WorkerData });
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
      worker.on('message', (m: { index: number; result: PageResult }) => {
        onResult(m.index, m.result);
        feed();
      });
      // A worker that dies (out of memory on a huge note) fails the run with what it was rendering.
      worker.on('error', (err) => reject(Object.assign(err, { note: inputs[current]?.path })));
      worker.on('exit', (code) => {
        if (!done) reject(Object.assign(new Error(`render worker exited with code ${code}`), { note: inputs[current]?.path }));
      });
      feed();
    });
  await Promise.all(Array.from({ length: Math.max(1, Math.min(threads, inputs.length)) }, lane));
}
