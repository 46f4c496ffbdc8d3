// A long note crosses to the render worker once, then as edits: both ends must hold the same text
// through any run of edits, forget together, and recover when the worker lacks what an edit needs.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { createRenderHandler, type RenderResponse, type WorkerMessage } from '../../src/core/preview/renderRequests';
import { RenderService, type RenderWorker } from '../../src/core/preview/renderService';
import { MAX_MIRRORS, MIRROR_MIN_CHARS, MirrorMismatch, MirrorReceiver, MirrorSender } from '../../src/core/text/textMirror';

const root = join(__dirname, '../../..');
const example = readFileSync(join(root, 'examples/光滑近似漫谈（一）：从最大值到Softmax.md'), 'utf8');
/** A note long enough to be mirrored, made of our example. */
const long = Array.from({ length: Math.ceil((2 * MIRROR_MIN_CHARS) / example.length) }, () => example).join('\n\n');

/** A small random generator with a seed (the run is the same every time). */
function random(seed: number): () => number {
  return () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
}

test('sender and receiver hold the same text through edits; an edit travels as the change only', () => {
  const sender = new MirrorSender();
  const receiver = new MirrorReceiver();
  const next = random(7);
  let text = long;
  let traffic = 0;
  for (let k = 0; k < 200; k++) {
    const at = Math.floor(next() * text.length);
    const cut = Math.floor(next() * 3);
    text = k % 17 === 0 ? text : text.slice(0, at) + ['x', '\n', '$$a$$', ''][k % 4] + text.slice(at + cut);
    const sent = sender.encode('a.md', text);
    traffic += sent.text.length + (sent.mirror?.edit?.insert.length ?? 0);
    assert.equal(receiver.decode(sent.text, sent.mirror), text, `edit ${k}`);
  }
  assert.ok(traffic < 2 * long.length, `${traffic} characters sent for 200 edits of a ${long.length}-character note`);
});

test('short texts go whole; a note that becomes short is forgotten at both ends', () => {
  const sender = new MirrorSender();
  const receiver = new MirrorReceiver();
  const short = sender.encode('s.md', example.slice(0, 1000));
  assert.equal(short.mirror, undefined);
  const first = sender.encode('a.md', long);
  receiver.decode(first.text, first.mirror);
  assert.equal(receiver.size, 1);
  const shrunk = sender.encode('a.md', 'short now');
  assert.equal(receiver.decode(shrunk.text, shrunk.mirror), 'short now');
  assert.equal(receiver.size, 0);
});

test('at most MAX_MIRRORS texts are kept, at both ends', () => {
  const sender = new MirrorSender();
  const receiver = new MirrorReceiver();
  for (let k = 0; k < MAX_MIRRORS + 3; k++) {
    const sent = sender.encode(`n${k}.md`, `${k}${long}`);
    receiver.decode(sent.text, sent.mirror);
    assert.ok(receiver.size <= MAX_MIRRORS);
  }
  assert.equal(receiver.size, MAX_MIRRORS);
  // The first one was forgotten: it goes whole again.
  const again = sender.encode('n0.md', `0${long}x`);
  assert.equal(again.mirror?.edit, undefined);
  assert.equal(receiver.decode(again.text, again.mirror), `0${long}x`);
});

test('an edit of a text the receiver lacks is refused, not applied to something else', () => {
  const sender = new MirrorSender();
  sender.encode('a.md', long);
  const edit = sender.encode('a.md', `${long}!`);
  assert.ok(edit.mirror?.edit);
  assert.throws(() => new MirrorReceiver().decode(edit.text, edit.mirror), MirrorMismatch);
});

/**
 * A worker on this thread that copies each message, as a thread would; `forgetful` starts a fresh
 * handler before each request (a worker that lost its texts).
 */
class CopyingWorker implements RenderWorker {
  private listeners: Array<(r: RenderResponse) => void> = [];
  private exits: Array<(code: number) => void> = [];
  private handle = this.fresh();
  sent: WorkerMessage[] = [];
  constructor(private readonly forgetful: boolean) {}
  private fresh() {
    return createRenderHandler((r) => setTimeout(() => this.listeners.forEach((l) => l(structuredClone(r))), 0));
  }
  postMessage(message: WorkerMessage): void {
    const copy = structuredClone(message);
    this.sent.push(structuredClone(message));
    if (this.forgetful) this.handle = this.fresh();
    setTimeout(() => this.handle(copy), 0);
  }
  on(event: 'message' | 'error' | 'exit', listener: ((r: RenderResponse) => void) | ((e: Error) => void) | ((code: number) => void)): this {
    if (event === 'message') this.listeners.push(listener as (r: RenderResponse) => void);
    if (event === 'exit') this.exits.push(listener as (code: number) => void);
    return this;
  }
  exit(code: number): void {
    for (const l of this.exits) l(code);
  }
  terminate(): void {}
}

test('render service: a long note is sent once, then as edits, and renders as when sent whole', async () => {
  const worker = new CopyingWorker(false);
  const service = new RenderService(() => worker, undefined, 'en', true);
  const plain = new RenderService(() => new CopyingWorker(false));
  try {
    const req = { channel: 'c', text: long, fileName: 'a.md', macros: {}, reset: true, mode: 'html' as const };
    await service.render(req);
    const edited = long.replace('Softmax', 'SoftMax');
    const a = await service.render({ ...req, text: edited });
    const b = await plain.render({ ...req, text: edited });
    assert.ok('html' in a && 'html' in b);
    assert.equal(a.html, b.html);
    const last = worker.sent[worker.sent.length - 1] as { text: string; mirror?: { edit?: unknown } };
    assert.equal(last.text, '');
    assert.ok(last.mirror?.edit);
  } finally {
    service.dispose();
    plain.dispose();
  }
});

test('render service: a worker that lacks the text gets it whole, and the request succeeds', async () => {
  const worker = new CopyingWorker(true);
  const service = new RenderService(() => worker, undefined, 'en', true);
  try {
    const req = { channel: 'c', text: long, fileName: 'a.md', macros: {}, reset: true, mode: 'html' as const };
    await service.render(req);
    const r = await service.render({ ...req, text: `${long}\n\nThe end.` });
    assert.ok('html' in r && r.html.includes('The end.'));
    // The edit, refused; then the text whole.
    const texts = worker.sent.map((m) => ('text' in m ? m.text.length : -1));
    assert.deepEqual(texts.slice(-2), [0, long.length + 10]);
  } finally {
    service.dispose();
  }
});

test('render service: a replaced worker is sent the text whole', async () => {
  const workers: CopyingWorker[] = [];
  const service = new RenderService(
    () => {
      workers.push(new CopyingWorker(false));
      return workers[workers.length - 1];
    },
    undefined,
    'en',
    true,
  );
  try {
    const req = { channel: 'c', text: long, fileName: 'a.md', macros: {}, reset: true, mode: 'html' as const };
    await service.render(req);
    workers[0].exit(1); // the thread died
    const r = await service.render({ ...req, text: `${long}!` });
    assert.ok('html' in r);
    assert.equal(workers.length, 2);
    assert.deepEqual(
      workers[1].sent.map((m) => ('text' in m ? m.text.length : -1)),
      [long.length + 1],
    );
  } finally {
    service.dispose();
  }
});
