// `npm run open` (scripts/testbed/server.mjs --open examples) serves a copy of the repository's
// examples: the web workbench autosaves, and a look around must not edit the shipped notes.
// Runs the script as npm does and reads the folder the workbench URL it prints opens.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';

const root = join(__dirname, '../../..');
const TESTBED = process.env.MATHNOTES_TESTBED || join(homedir(), '.cache/mathnotes-testbed');
const missing = !existsSync(join(TESTBED, 'code-server/node_modules/code-server/out/node/entry.js'))
  ? 'the test bed is not installed (scripts/testbed/install.sh)'
  : !existsSync(join(root, 'dist/extension.js')) && 'dist/extension.js is not built';

test(
  'npm run open serves a copy of examples/, removed when it stops; not the repository folder',
  { skip: missing, timeout: 120_000 },
  async () => {
    const child = spawn(process.execPath, ['scripts/testbed/server.mjs', '--open', 'examples'], {
      cwd: root,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    let out = '';
    child.stderr.on('data', (d) => (out += d));
    const url = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no workbench URL within 90 s:\n${out}`)), 90_000);
      child.stdout.on('data', (d) => {
        out += d;
        const m = /^http:\/\/\S+/m.exec(out);
        if (m) {
          clearTimeout(timer);
          resolve(m[0]);
        }
      });
      child.once('exit', () => reject(new Error(`the server exited:\n${out}`)));
    });
    let served: string;
    try {
      served = new URL(url).searchParams.get('folder') ?? '';
      assert.notEqual(served, join(root, 'examples'), 'the repository folder itself is served');
      assert.ok(!served.startsWith(root), `served from inside the repository: ${served}`);
      assert.deepEqual(readdirSync(served).sort(), readdirSync(join(root, 'examples')).sort());
      assert.match(out, /a copy of .*examples/);
    } finally {
      child.kill('SIGINT');
    }
    assert.equal(await exited, 130);
    assert.equal(existsSync(served), false, `the copy is removed on Ctrl-C: ${served}`);
  },
);
