// The figures of the reliability suites (issue 5), printed once at the end of a run that
// includes them: faults tried and passed, inputs fuzzed, concurrent streams held, runs searched
// for the key. Each suite records its own figures (test/faults/figures.ts); this file is named to
// sort last, and waits (bounded) for the suites of the same run that are still going.
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { readFigures } from '../faults/figures.js';

const SUITES: Record<string, string> = {
  'faults/matrix.test.ts': 'matrix',
  'faults/security.test.ts': 'security',
  'faults/interrupt.test.ts': 'interrupt',
  'faults/load.test.ts': 'load',
  'unit/property-wav-reader.test.ts': 'property-wav-reader',
  'unit/property-resampler.test.ts': 'property-resampler',
  'unit/property-decoders.test.ts': 'property-decoders',
};
const WAIT_MS = 150_000;

/** The suites of this run: the test runner's own command line lists the files. */
function suitesInRun(): string[] {
  let args: string[] = [];
  try {
    args = readFileSync(`/proc/${process.ppid}/cmdline`, 'utf8').split('\0');
  } catch {
    return [];
  }
  return Object.entries(SUITES)
    .filter(([file]) => args.some((arg) => arg.endsWith(file)))
    .map(([, suite]) => suite);
}

test('reliability figures (issue 5)', { timeout: WAIT_MS + 10_000 }, async () => {
  const expected = suitesInRun();
  const deadline = Date.now() + WAIT_MS;
  while (expected.some((suite) => !(suite in readFigures())) && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  const figures = readFigures();
  const lines: string[] = [];
  let fuzzed = 0;
  for (const [suite, values] of Object.entries(figures)) {
    for (const [name, value] of Object.entries(values)) {
      lines.push(`  ${name}: ${value}  [${suite}]`);
      if (name.startsWith('inputs fuzzed') && typeof value === 'number') fuzzed += value;
    }
  }
  if (fuzzed > 0) lines.push(`  inputs fuzzed (all properties of this run): ${fuzzed}`);
  const missing = expected.filter((suite) => !(suite in figures));
  if (missing.length > 0) lines.push(`  (no figures from: ${missing.join(', ')})`);
  console.log(`\nReliability figures of this run:\n${lines.join('\n') || '  (none: run the test/faults and property suites)'}\n`);
});
