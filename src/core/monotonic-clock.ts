// Milliseconds from a monotonic clock, for durations. Not `performance.now()`: the first touch of
// the global `performance` loads Node's perf_hooks modules (~5 M instructions, about 1% of a
// `say` run), while process.hrtime is already there.

/** A monotonic time in milliseconds (fractional); only differences between two readings mean anything. */
export function monotonicMs(): number {
  return Number(process.hrtime.bigint()) / 1e6;
}
