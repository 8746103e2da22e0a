// Warm-process comparison: our library versus the LiveKit Inworld plugin, same emulator, same
// text and audio format, alternating call by call after a warm-up of each. Prints JSON.
//   node clients/peer-warm.mjs BASE_URL WS_URL ITERATIONS
import { performance } from 'node:perf_hooks';
import { InworldClient } from '../../dist/core/client.js';
import { synthesizeStream } from '../../dist/tts/http.js';
import { TtsPool } from '../../dist/tts/pool.js';

const [baseUrl, wsUrl, iterationsArg] = process.argv.slice(2);
const iterations = Number(iterationsArg ?? 10);
const TEXT = 'Hello there, this is a benchmark sentence.';
const MODEL = 'inworld-tts-1.5-max';

const agents = await import('@livekit/agents');
agents.initializeLogger({ pretty: false, level: 'warn' });
const { TTS } = await import('@livekit/agents-plugin-inworld');

const client = new InworldClient({ apiKey: 'bench-key', baseUrl, wsUrl, configPath: null, env: {} });
const pool = new TtsPool(client);
const livekit = new TTS({ apiKey: 'bench-key', baseURL: baseUrl, wsURL: wsUrl, model: MODEL });
const audioConfig = { audioEncoding: 'PCM', sampleRateHertz: 24000 };

/** Each returns [first audio ms, last audio ms] from the call. */
const cases = {
  async oursSynthesize() {
    const t0 = performance.now();
    let first = NaN;
    for await (const chunk of synthesizeStream(client, { text: TEXT, voiceId: 'Ashley', modelId: MODEL, audioConfig })) {
      if (chunk.audio?.length && Number.isNaN(first)) first = performance.now() - t0;
    }
    return [first, performance.now() - t0];
  },
  async livekitSynthesize() {
    const t0 = performance.now();
    let first = NaN;
    for await (const event of livekit.synthesize(TEXT)) {
      if (event.frame && Number.isNaN(first)) first = performance.now() - t0;
    }
    return [first, performance.now() - t0];
  },
  async oursStream() {
    const stream = pool.stream({ voiceId: 'Ashley', modelId: MODEL, audioConfig });
    const t0 = performance.now();
    stream.sendText(TEXT, { flush: true });
    stream.end();
    let first = NaN;
    for await (const chunk of stream) {
      if (chunk.type === 'audio' && chunk.audio.length && Number.isNaN(first)) first = performance.now() - t0;
    }
    return [first, performance.now() - t0];
  },
  async livekitStream() {
    const stream = livekit.stream();
    const t0 = performance.now();
    stream.pushText(TEXT);
    stream.endInput();
    let first = NaN;
    for await (const event of stream) {
      if (typeof event === 'object' && event.frame && Number.isNaN(first)) first = performance.now() - t0;
    }
    return [first, performance.now() - t0];
  },
};

const results = Object.fromEntries(Object.keys(cases).map((name) => [name, { first: [], total: [] }]));
for (const run of Object.values(cases)) await run(); // warm-up: connections, JIT
for (let i = 0; i < iterations; i++) {
  const order = i % 2 === 0 ? Object.keys(cases) : Object.keys(cases).reverse();
  for (const name of order) {
    const [first, total] = await cases[name]();
    results[name].first.push(first);
    results[name].total.push(total);
  }
}
process.stdout.write(`${JSON.stringify(results)}\n`);
await pool.close();
await livekit.close();
process.exit(0);
