// `inworld serve` against the emulator (both child processes), in one run:
//   1. time to first audio byte through the gateway vs the library calling the emulator directly
//      (target: within 5 ms);
//   2. 50 concurrent speech requests vs one, with 500 ms and 2 s of emulator latency per request
//      (target: within 1.2x);
//   3. the gateway's RSS across 1,000 sequential requests (target: after 1,000 within 1.1x of
//      after the first 100).
// Run: `npm run build && node --import tsx bench/serve-gateway.ts` (prints a Markdown section).
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { request } from 'node:http';
import { createInterface } from 'node:readline';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { Inworld } from '../src/inworld.js';
import { EmulatorProcess } from './lib/emulator.js';
import { median, ms, x } from './lib/stats.js';

const CLI = fileURLToPath(new URL('../bin/inworld.js', import.meta.url));
const TEXT = 'Hello there, this is a benchmark sentence.';
const TTFB_RUNS = 40;
const CONCURRENT = 50;
/** Emulator latency per request: at 500 ms the emulator's own synthesis of 50 requests on two cores still shows; at 2 s the latency dominates, as the target assumes. */
const LATENCIES_MS = [500, 2000];
const SEQUENTIAL = 1000;

async function startGateway(emulatorUrl: string): Promise<{ url: string; pid: number; stop(): void }> {
  const child = spawn(process.execPath, [CLI, 'serve', '--port', '0', '--base-url', emulatorUrl, '--api-key', 'bench-key', '--quiet'], { stdio: ['ignore', 'pipe', 'inherit'], env: { ...process.env, INWORLD_EMULATOR: '' } });
  const url = await new Promise<string>((resolve) => createInterface({ input: child.stdout! }).once('line', resolve));
  return { url, pid: child.pid!, stop: () => child.kill('SIGINT') };
}

/** ms to the first body byte, and ms to the end, of one speech request. */
function speech(url: string, format = 'pcm'): Promise<{ firstMs: number; totalMs: number; bytes: number }> {
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const req = request(`${url}/audio/speech`, { method: 'POST', headers: { 'content-type': 'application/json' } }, (res) => {
      let firstMs = -1;
      let bytes = 0;
      res.on('data', (chunk: Buffer) => {
        if (firstMs < 0) firstMs = performance.now() - started;
        bytes += chunk.length;
      });
      res.on('end', () => (res.statusCode === 200 ? resolve({ firstMs, totalMs: performance.now() - started, bytes }) : reject(new Error(`status ${res.statusCode}`))));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(JSON.stringify({ model: 'tts-1', voice: 'alloy', input: TEXT, response_format: format }));
  });
}

async function libraryFirstAudio(inworld: Inworld): Promise<number> {
  const started = performance.now();
  let first = -1;
  for await (const chunk of inworld.tts.synthesize({ text: TEXT, voiceId: 'Ashley', modelId: 'inworld-tts-2-flash', audioConfig: { audioEncoding: 'LINEAR16', sampleRateHertz: 24000 } })) {
    if (first < 0 && chunk.audio?.length) first = performance.now() - started;
  }
  return first;
}

function rssBytes(pid: number): number {
  const line = readFileSync(`/proc/${pid}/status`, 'utf8').split('\n').find((l) => l.startsWith('VmRSS:'))!;
  return Number(line.replace(/\D+/g, '')) * 1024;
}

const load = loadavg()[0]!;
const emulator = await EmulatorProcess.start({});
const gateway = await startGateway(emulator.url);
const inworld = new Inworld({ apiKey: 'bench-key', baseUrl: emulator.url, configPath: null, env: {}, maxRetries: 0 });
try {
  for (let i = 0; i < 5; i++) {
    await speech(gateway.url);
    await libraryFirstAudio(inworld);
  }
  const viaGateway: number[] = [];
  const direct: number[] = [];
  for (let i = 0; i < TTFB_RUNS; i++) {
    viaGateway.push((await speech(gateway.url)).firstMs);
    direct.push(await libraryFirstAudio(inworld));
  }
  const added = median(viaGateway) - median(direct);

  const bursts: Array<{ latencyMs: number; one: number; fifty: number; fiftyDirect: number }> = [];
  for (const latencyMs of LATENCIES_MS) {
    await emulator.set({ generationLatencyMs: latencyMs });
    const one = median([await speech(gateway.url), await speech(gateway.url), await speech(gateway.url)].map((r) => r.totalMs));
    const started = performance.now();
    await Promise.all(Array.from({ length: CONCURRENT }, () => speech(gateway.url)));
    const fifty = performance.now() - started;
    // The same burst from the library straight to the emulator: the floor this machine allows.
    const directStarted = performance.now();
    await Promise.all(Array.from({ length: CONCURRENT }, () => libraryFirstAudio(inworld)));
    bursts.push({ latencyMs, one, fifty, fiftyDirect: performance.now() - directStarted });
  }
  await emulator.set({ generationLatencyMs: 0 });

  let after100 = 0;
  let after500 = 0;
  for (let i = 1; i <= SEQUENTIAL; i++) {
    await speech(gateway.url, i % 2 ? 'pcm' : 'mp3');
    if (i === 100) after100 = rssBytes(gateway.pid);
    if (i === 500) after500 = rssBytes(gateway.pid);
  }
  const after1000 = rssBytes(gateway.pid);
  const mib = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MiB`;
  const lines = [
    '## inworld serve (OpenAI-compatible gateway)',
    '',
    `Load average at start: ${load.toFixed(2)} (2 cores shared with other sessions). Emulator and gateway are child processes; the client is \`node:http\` (gateway) or the library (direct), in this process.`,
    '',
    '| measure | figure | target | met |',
    '|---|---|---|---|',
    `| first audio byte, median of ${TTFB_RUNS}: gateway / library direct | ${ms(median(viaGateway))} / ${ms(median(direct))} (+${ms(added)}) | within 5 ms | ${added <= 5 ? 'yes' : 'no'} |`,
    ...bursts.flatMap(({ latencyMs, one, fifty, fiftyDirect }) => [
      `| ${CONCURRENT} concurrent requests vs one, ${latencyMs} ms emulator latency each | ${ms(fifty, 0)} vs ${ms(one, 0)} (${x(fifty / one)}) | within 1.2x | ${fifty / one <= 1.2 ? 'yes' : 'no'} |`,
      `| the same ${CONCURRENT} from the library straight to the emulator (the floor here) | ${ms(fiftyDirect, 0)} (${x(fiftyDirect / one)} of one through the gateway) | — | — |`,
    ]),
    `| gateway RSS after 500 / after ${SEQUENTIAL} | ${mib(after500)} / ${mib(after1000)} (${x(after1000 / after500)}) | — | — |`,
    `| gateway RSS after 100 / after ${SEQUENTIAL} sequential requests | ${mib(after100)} / ${mib(after1000)} (${x(after1000 / after100)}) | within 1.1x | ${after1000 / after100 <= 1.1 ? 'yes' : 'no'} |`,
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
} finally {
  gateway.stop();
  await inworld.close();
  await emulator.close();
}
