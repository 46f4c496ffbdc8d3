// `npm run package`: builds the bundles and packs the extension into a .vsix with @vscode/vsce,
// offline. The .vsix holds the bundles, media, grammar, manifest and its translations only (see
// .vscodeignore); test/unit/package.test.ts checks what is in it and its size budget.
//
//   node scripts/package.mjs [--out FILE] [--no-build]
import { spawnSync } from 'node:child_process';
import { readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.join(path.dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
const manifest = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8'));
const outIndex = args.indexOf('--out');
const out = path.resolve(outIndex >= 0 ? args[outIndex + 1] : path.join(root, `${manifest.name}-${manifest.version}.vsix`));

const run = (cmd, argv) => {
  const r = spawnSync(cmd, argv, { cwd: root, stdio: 'inherit' });
  if (r.status !== 0) process.exit(r.status ?? 1);
};
if (!args.includes('--no-build')) run(process.execPath, ['scripts/build.mjs']);
// --no-dependencies: everything the extension runs is bundled into dist/. No repository or
// licence file is published yet: vsce is told so rather than asked.
run(process.execPath, [
  path.join(root, 'node_modules/@vscode/vsce/vsce'),
  'package',
  '--no-dependencies',
  '--skip-license',
  '--allow-missing-repository',
  '--no-rewrite-relative-links',
  '--out',
  out,
]);
console.log(`${path.relative(process.cwd(), out)}: ${(statSync(out).size / 1024 / 1024).toFixed(2)} MB`);
