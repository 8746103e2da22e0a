// `node --import tsx bench/mcp-latency.ts` (after `npm run build`): how long each `inworld mcp`
// tool call takes end to end, the SDK's client over stdio to the built CLI with its in-process
// emulator (synthetic engine), against the same work done by the library in process. Prints a
// Markdown table of medians; the difference is what the MCP layer adds (JSON-RPC over a pipe,
// schema checks, the result's JSON).
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { startEmulator } from '../src/emulator/index.js';
import { Inworld } from '../src/inworld.js';
import { median, ms } from './lib/stats.js';

const RUNS = Number(process.env.RUNS ?? 15);
const TEXT = 'The quick brown fox jumps over the lazy dog.';
const out = mkdtempSync(join(tmpdir(), 'inworld-mcp-bench-'));
const bin = new URL('../bin/inworld.js', import.meta.url).pathname;

const started = performance.now();
const transport = new StdioClientTransport({
  command: process.execPath,
  args: [bin, 'mcp', '--emulator', '--out-dir', out, '-q'],
  env: { ...process.env, INWORLD_EMULATOR_ENGINE: 'synthetic', XDG_CONFIG_HOME: '/nonexistent' } as Record<string, string>,
});
const client = new Client({ name: 'bench', version: '1' });
await client.connect(transport);
const connectMs = performance.now() - started;

async function time(name: string, args: Record<string, unknown>): Promise<number[]> {
  const times: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const t0 = performance.now();
    const result = (await client.callTool({ name, arguments: args })) as { isError?: boolean; content: Array<{ text?: string }> };
    times.push(performance.now() - t0);
    if (result.isError) throw new Error(`${name}: ${result.content[0]?.text}`);
  }
  return times;
}

const rows: Array<[string, number[], number[] | undefined]> = [];
// The library side: the same calls in process against an emulator of its own.
const emulator = await startEmulator({ port: 0, engine: 'synthetic', quiet: true });
const inworld = new Inworld({ apiKey: 'bench', baseUrl: emulator.url, wsUrl: emulator.wsUrl, configPath: null, env: {} });
async function timeLibrary(task: () => Promise<unknown>): Promise<number[]> {
  const times: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const t0 = performance.now();
    await task();
    times.push(performance.now() - t0);
  }
  return times;
}
const synthesizeAll = async () => {
  for await (const chunk of inworld.tts.synthesize({ text: TEXT, audioConfig: { audioEncoding: 'PCM', sampleRateHertz: 24000 } })) void chunk;
};
rows.push(['speak (wav, 44 characters)', await time('speak', { text: TEXT }), await timeLibrary(synthesizeAll)]);
rows.push(['speak (mp3)', await time('speak', { text: TEXT, format: 'mp3' }), undefined]);
await client.callTool({ name: 'speak', arguments: { text: TEXT, file_name: 'input.wav' } });
rows.push(['transcribe (the 2.7 s WAV)', await time('transcribe', { path: 'input.wav' }), undefined]);
rows.push(['list_voices', await time('list_voices', {}), await timeLibrary(() => inworld.voices.list())]);
rows.push(['get_usage', await time('get_usage', {}), undefined]);
rows.push(['speak, bad argument (tool error)', await time('list_voices', { limit: 5 }).then(() => timeInvalid()), undefined]);

async function timeInvalid(): Promise<number[]> {
  const times: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const t0 = performance.now();
    await client.callTool({ name: 'speak', arguments: { text: 'x', speaking_rate: 9 } });
    times.push(performance.now() - t0);
  }
  return times;
}

await client.close();
await inworld.close();
await emulator.close();
rmSync(out, { recursive: true, force: true });
writeFileSync(1, [
  `MCP tool calls, ${RUNS} runs each, medians; load average ${loadavg()[0]!.toFixed(2)}; server start + initialize ${ms(connectMs, 0)}`,
  '',
  '| call | through `inworld mcp` (stdio) | the library in process |',
  '|---|---|---|',
  ...rows.map(([name, mcp, lib]) => `| ${name} | ${ms(median(mcp))} | ${lib ? ms(median(lib)) : '–'} |`),
  '',
].join('\n'));
