// Figures each suite reports (faults tried/passed, inputs fuzzed, streams held). Each suite prints
// its own when it records them, so no test depends on running after another.

export function recordFigures(suite: string, figures: Record<string, number | string>): void {
  const lines = Object.entries(figures).map(([name, value]) => `  ${name}: ${value}`);
  console.log(`\nReliability figures of ${suite}:\n${lines.join('\n') || '  (none)'}\n`);
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
