// Peak memory of `say --batch`'s checking pass against the size of the batch file: files of JSON
// lines whose last line is bad, so the command reads and checks every line, then exits 2 before
// any request. Flat memory means the peak RSS does not grow with the file. Two kinds of file:
// unnamed lines (nothing is kept per line but one bit), and JSON lines that each carry a "name"
// (each name is kept, to find two lines writing the same file).
// Run: npm run build && node --import tsx bench/batch-check-memory.ts
import { spawnSync } from 'node:child_process';
import { createWriteStream, mkdtempSync, rmSync, statSync } from 'node:fs';
import { once } from 'node:events';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const BIN = join(import.meta.dirname, '..', 'bin', 'inworld.js');
const SIZES = [1_000, 100_000, 1_000_000];
const RUNS = 3;

async function writeBatch(path: string, lines: number, named: boolean): Promise<void> {
  const out = createWriteStream(path);
  for (let i = 0; i < lines - 1; i += 1) {
    const name = named ? `,"name":"n${i}"` : '';
    const line = i % 2 === 0 ? `Plain line number ${i}, with a few words to speak.\n` : `{"text":"JSON line ${i}.","voice":"Dennis","speakingRate":1.1${name}}\n`;
    if (!out.write(line)) await once(out, 'drain');
  }
  out.end('{"text":"the last line is bad","speakingRate":9}\n');
  await once(out, 'finish');
}

/** V8 grows its heap when allocation is fast; a capped old space shows what is really retained. */
const CAPPED_HEAP_MB = 20;

function measure(file: string, outDir: string, nodeOptions = ''): { rssKiB: number; seconds: number; code: number | null; stderr: string } {
  const env = { ...process.env, NODE_OPTIONS: nodeOptions, INWORLD_API_KEY: 'bench', INWORLD_BASE_URL: 'http://127.0.0.1:9/', XDG_CONFIG_HOME: '/nonexistent' };
  const result = spawnSync('/usr/bin/time', ['-f', '%M %e', process.execPath, BIN, 'say', '--batch', file, '--out-dir', outDir], { env, encoding: 'utf8' });
  const lines = result.stderr.trim().split('\n');
  const [rss, seconds] = lines.at(-1)!.split(' ').map(Number);
  return { rssKiB: rss!, seconds: seconds!, code: result.status, stderr: lines.slice(0, -1).join('\n') };
}

const dir = mkdtempSync(join(tmpdir(), 'inworld-bench-batch-check-'));
try {
  console.log('| lines | names | file size | peak RSS (median of 3) | wall | exit |');
  console.log('|---|---|---|---|---|---|');
  for (const [lines, named] of SIZES.flatMap((size) => [[size, false], [size, true]] as const)) {
    const file = join(dir, `batch-${lines}-${named}.jsonl`);
    await writeBatch(file, lines, named);
    rmSync(join(dir, 'out'), { recursive: true, force: true });
    const runs = Array.from({ length: RUNS }, () => measure(file, join(dir, 'out')));
    const median = <T>(values: T[], key: (v: T) => number) => values.map(key).sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
    const first = runs[0]!;
    if (first.code !== 2 || !/line \d+, column \d+: "speakingRate"/.test(first.stderr)) throw new Error(`unexpected result: ${first.code} ${first.stderr}`);
    const mb = (statSync(file).size / 1024 / 1024).toFixed(1);
    console.log(`| ${lines} | ${named ? 'every JSON line' : 'none'} | ${mb} MB | ${(median(runs, (r) => r.rssKiB) / 1024).toFixed(1)} MB | ${median(runs, (r) => r.seconds).toFixed(2)} s | ${first.code} |`);
    if (lines === SIZES.at(-1) && !named) {
      const capped = measure(file, join(dir, 'out'), `--max-old-space-size=${CAPPED_HEAP_MB}`);
      const ok = capped.code === 2 && /"speakingRate"/.test(capped.stderr);
      console.log(`| ${lines}, old space capped at ${CAPPED_HEAP_MB} MB | none | ${mb} MB | ${(capped.rssKiB / 1024).toFixed(1)} MB | ${capped.seconds.toFixed(2)} s | ${capped.code}${ok ? '' : ' (failed)'} |`);
    }
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
