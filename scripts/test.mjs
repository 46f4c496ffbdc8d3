// The one test command: type-check and compile with tsc, bundle with esbuild, then run every
// plain-Node test with node's test runner. `npm test -- <file-substring>` runs a subset.
import { execFileSync } from 'node:child_process';
import { readdirSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';

const run = (cmd, args) => execFileSync(cmd, args, { stdio: 'inherit' });
rmSync('out', { recursive: true, force: true });
run(process.execPath, ['node_modules/typescript/bin/tsc', '-p', '.']);
run(process.execPath, ['node_modules/typescript/bin/tsc', '-p', 'src/webview']);
run(process.execPath, ['scripts/build.mjs']);

const files = [];
const walk = (dir) => {
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) walk(p);
    else if (p.endsWith('.test.js')) files.push(p);
  }
};
walk('out/test/unit');
const filter = process.argv[2];
const selected = filter ? files.filter((f) => f.includes(filter)) : files;
run(process.execPath, ['--test', ...selected.sort()]);
