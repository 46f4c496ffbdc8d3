// The standard @vscode/test-electron harness, for contributors with a desktop VS Code: runs the same
// mocha suite (index.ts) in the Electron app. Not used in CI here: test-electron downloads VS Code
// unless VSCODE_EXECUTABLE_PATH names an installed one (CI uses runInBrowser.mjs instead).
//
//   npm run build && npx tsc -p . && node out/test/integration/runDesktop.js
//   VSCODE_EXECUTABLE_PATH=/usr/share/code/code node out/test/integration/runDesktop.js
import { runTests } from '@vscode/test-electron';
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

async function main(): Promise<void> {
  const extensionDevelopmentPath = resolve(__dirname, '../../..'); // out/test/integration → repo root
  const extensionTestsPath = resolve(__dirname, 'index.js');
  // Tests may edit their notes: give each run a fresh copy of examples/.
  const tmp = mkdtempSync(join(tmpdir(), 'mathnotes-ws-'));
  const workspace = join(tmp, 'examples');
  cpSync(join(extensionDevelopmentPath, 'examples'), workspace, { recursive: true });
  try {
    await runTests({
      extensionDevelopmentPath,
      extensionTestsPath,
      vscodeExecutablePath: process.env.VSCODE_EXECUTABLE_PATH || undefined,
      version: process.env.VSCODE_VERSION || undefined,
      launchArgs: [workspace, '--disable-extensions', '--disable-workspace-trust'],
    });
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}

main().catch((err) => {
  console.error('Integration tests failed:', err);
  process.exit(1);
});
