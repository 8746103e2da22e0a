// How long `import('inworld-cli')` (dist/index.js) takes in a fresh Node process: the library's
// promise is that importing it stays cheap (ws, undici and the pool load on first use).
// Usage: node bench/library-import.mjs [runs=15] [entry=dist/index.js]. Build first.
// Reports the median wall time and the median CPU time (user + system) of the import alone,
// measured inside the child so Node's own start-up is left out; CPU time is the steadier figure
// on a shared machine.
import { execFileSync } from 'node:child_process';
import { pathToFileURL } from 'node:url';
import { resolve } from 'node:path';

const runs = Number(process.argv[2] ?? 15);
const entryPath = resolve(process.argv[3] ?? new URL('../dist/index.js', import.meta.url).pathname);
const entry = pathToFileURL(entryPath).href;
const child =
  `const t = performance.now(); const c = process.cpuUsage(); await import(${JSON.stringify(entry)}); ` +
  `const u = process.cpuUsage(c); ` +
  `process.stdout.write(JSON.stringify({ wallMs: performance.now() - t, cpuMs: (u.user + u.system) / 1000 }));`;

const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

const wall = [];
const cpu = [];
for (let i = 0; i < runs; i++) {
  const sample = JSON.parse(execFileSync(process.execPath, ['--input-type=module', '-e', child], { encoding: 'utf8' }));
  wall.push(sample.wallMs);
  cpu.push(sample.cpuMs);
}
console.log(`import ${entryPath}: median wall ${median(wall).toFixed(1)} ms, median CPU ${median(cpu).toFixed(1)} ms over ${runs} runs`);
