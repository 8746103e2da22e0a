// Runs only the stream benchmarks and prints their report section(s):
//   npm run build && node --import tsx bench/stream-run.ts [--quick] [--only=stream-latency,stream-pool,stream-memory]
import { BenchContext } from './lib/context.js';
import { EmulatorProcess } from './lib/emulator.js';
import { verdict } from './lib/stats.js';
import { streamLatency, streamMemory, streamPool } from './stream-suites.js';

const args = process.argv.slice(2);
const only = args.find((a) => a.startsWith('--only='))?.slice('--only='.length).split(',');
const ctx = new BenchContext(args.includes('--quick'));
const emulator = await EmulatorProcess.start({});
try {
  for (const [id, suite] of [['stream-latency', streamLatency], ['stream-pool', streamPool], ['stream-memory', streamMemory]] as const) {
    if (only && !only.includes(id)) continue;
    process.stderr.write(`bench: ${id}…\n`);
    await suite(ctx, emulator);
  }
} finally {
  await emulator.close();
  ctx.cleanup();
}
for (const section of ctx.sections) {
  process.stdout.write(`## ${section.title}\n\n${section.what}\n\n| measure | figure | target | verdict |\n|---|---|---|---|\n`);
  for (const row of section.rows) process.stdout.write(`| ${row.measure} | ${row.figure} | ${row.target ?? ''} | ${verdict(row.ok)} |\n`);
  for (const note of section.notes) process.stdout.write(`\n${note}\n`);
  process.stdout.write('\n');
}
