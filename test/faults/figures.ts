// Figures each suite reports (faults tried/passed, inputs fuzzed, streams held), kept in a
// per-run directory so the last suite (test/unit/property-zz-summary.test.ts) can print them all.
// A run is identified by the test runner's pid: every file of one `node --test` shares it.
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export function figuresDir(): string {
  return join(tmpdir(), `inworld-fault-figures-${process.ppid}`);
}

export function recordFigures(suite: string, figures: Record<string, number | string>): void {
  mkdirSync(figuresDir(), { recursive: true });
  writeFileSync(join(figuresDir(), `${suite}.json`), JSON.stringify(figures));
}

export function readFigures(): Record<string, Record<string, number | string>> {
  const out: Record<string, Record<string, number | string>> = {};
  let names: string[] = [];
  try {
    names = readdirSync(figuresDir()).filter((name) => name.endsWith('.json'));
  } catch {
    return out;
  }
  for (const name of names) out[name.replace(/\.json$/, '')] = JSON.parse(readFileSync(join(figuresDir(), name), 'utf8'));
  return out;
}

/** Counts the inputs each property checks, for the figures. */
export class FuzzCounter {
  readonly counts: Record<string, number> = {};
  add(property: string, runs: number): void {
    this.counts[property] = (this.counts[property] ?? 0) + runs;
  }
  get total(): number {
    return Object.values(this.counts).reduce((a, b) => a + b, 0);
  }
  /** Wraps a predicate so every call is counted (a property's actual input count, shrinking included). */
  counted<A extends unknown[], R>(property: string, predicate: (...args: A) => R): (...args: A) => R {
    return (...args: A) => {
      this.add(property, 1);
      return predicate(...args);
    };
  }
}
