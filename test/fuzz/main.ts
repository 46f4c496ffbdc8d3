// `npm run fuzz [cases] [seed]`: the property-based tests at scale (default 100 000 cases in all,
// spread over the properties, with a fresh seed that a failure prints so it can be replayed).
import fc from 'fast-check';
import { PROPERTIES } from './properties';

const total = Number(process.argv[2] ?? 100_000);
const seed = Number(process.argv[3] ?? Date.now() % 2 ** 31);
const perProperty = Math.ceil(total / PROPERTIES.length);
console.log(`fuzz: ${perProperty * PROPERTIES.length} cases over ${PROPERTIES.length} properties, seed ${seed}`);
let failed = 0;
const started = Date.now();
for (const { name, property } of PROPERTIES) {
  const t0 = Date.now();
  const details = fc.check(property, { seed, numRuns: perProperty });
  const ms = Date.now() - t0;
  if (details.failed) {
    failed++;
    console.log(`✗ ${name} (${ms} ms)\n${fc.defaultReportMessage(details)}`);
  } else {
    console.log(
      `✓ ${name}: ${details.numRuns} cases in ${(ms / 1000).toFixed(1)} s (${((ms * 1000) / details.numRuns).toFixed(0)} µs a case)`,
    );
  }
}
console.log(
  `fuzz: ${failed ? `${failed} propert${failed === 1 ? 'y' : 'ies'} failed` : 'all properties held'} in ${((Date.now() - started) / 1000).toFixed(0)} s (seed ${seed})`,
);
process.exitCode = failed ? 1 : 0;
