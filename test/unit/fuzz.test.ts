// A fixed-seed sample of the property-based tests (test/fuzz/properties.ts); `npm run fuzz` runs
// 100 000 cases with a fresh seed.
import fc from 'fast-check';
import { test } from 'node:test';
import { PROPERTIES } from '../fuzz/properties';

const SEED = 20261123;
const RUNS = 120;

for (const { name, property } of PROPERTIES) {
  test(`fuzz (seed ${SEED}, ${RUNS} cases): ${name}`, () => {
    fc.assert(property, { seed: SEED, numRuns: RUNS });
  });
}
