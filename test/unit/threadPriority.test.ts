// Worker threads run below the extension host's priority (src/node/threadPriority.ts): the kernel
// keeps a nice value per thread on Linux, and lowering a worker's leaves the host's as it was.
import assert from 'node:assert/strict';
import { getPriority } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { Worker } from 'node:worker_threads';
import { lowerThisThread, WORKER_NICENESS } from '../../src/node/threadPriority';

const linux = process.platform === 'linux';

test(
  'a worker lowers its own thread only: the host thread keeps its priority',
  { skip: !linux && 'per-thread priorities are Linux only' },
  async () => {
    const host = getPriority(0);
    const helper = join(__dirname, '../../src/node/threadPriority.js');
    const code = `
    const { parentPort } = require('node:worker_threads');
    const { readlinkSync } = require('node:fs');
    const { getPriority } = require('node:os');
    const { lowerThisThread } = require(${JSON.stringify(helper)});
    const tid = Number(readlinkSync('/proc/thread-self').split('/').pop());
    const lowered = lowerThisThread(${WORKER_NICENESS.background});
    parentPort.postMessage({ tid, lowered, nice: getPriority(tid) });`;
    const answer = await new Promise<{ tid: number; lowered: boolean; nice: number }>((resolve, reject) => {
      const worker = new Worker(code, { eval: true });
      worker.once('message', (m) => {
        resolve(m);
        void worker.terminate();
      });
      worker.once('error', reject);
    });
    assert.equal(answer.lowered, true);
    assert.notEqual(answer.tid, process.pid, 'the worker is its own thread');
    assert.equal(answer.nice, Math.min(19, host + WORKER_NICENESS.background), 'the worker runs niced');
    assert.equal(getPriority(0), host, 'the host thread is as it was');
  },
);

test('the main thread is never lowered (a worker module loaded by a test or the CLI)', () => {
  const before = getPriority(0);
  assert.equal(lowerThisThread(10), false);
  assert.equal(getPriority(0), before);
});
