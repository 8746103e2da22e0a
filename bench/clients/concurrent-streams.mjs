// N simultaneous WebSocket streams of one sentence each, through our pool or the LiveKit plugin,
// in a fresh process (connections opened as part of the load). Prints JSON:
// {elapsedMs, ok, errors, errorSamples, connections?}.
//   node clients/concurrent-streams.mjs ours|livekit BASE_URL WS_URL N [TEXT]
// TEXT must be the raw floor's (bench/raw/ws-concurrent.mjs) for the two to be comparable: the
// emulator's synthesis and the audio each side decodes grow with it.
import { performance } from 'node:perf_hooks';

const [which, baseUrl, wsUrl, nArg, textArg] = process.argv.slice(2);
const n = Number(nArg ?? 100);
const TEXT = textArg ?? 'Hello there.';
const MODEL = 'inworld-tts-1.5-max';
const audioConfig = { audioEncoding: 'PCM', sampleRateHertz: 24000 };
const errors = [];
let ok = 0;
let runOne;
let close;
let extra = () => ({});

if (which === 'ours') {
  const { InworldClient } = await import('../../dist/core/client.js');
  const { TtsPool } = await import('../../dist/tts/pool.js');
  const client = new InworldClient({ apiKey: 'bench-key', baseUrl, wsUrl, configPath: null, env: {} });
  const pool = new TtsPool(client);
  // Like the raw floor, which imports `ws` before its clock starts: load the modules (the pool's
  // `ws`), but open no connection; all 20 handshakes stay inside the timed load.
  await pool.warm(0);
  let maxConnections = 0;
  pool.on('connectionOpened', () => (maxConnections = Math.max(maxConnections, pool.stats().connections)));
  runOne = async () => {
    const stream = pool.stream({ voiceId: 'Ashley', modelId: MODEL, audioConfig });
    stream.sendText(TEXT, { flush: true });
    stream.end();
    let bytes = 0;
    for await (const chunk of stream) if (chunk.type === 'audio') bytes += chunk.audio.length;
    if (bytes === 0) throw new Error('no audio');
  };
  close = () => pool.close();
  extra = () => ({ connections: maxConnections });
} else {
  const agents = await import('@livekit/agents');
  agents.initializeLogger({ pretty: false, level: 'fatal' });
  const { TTS } = await import('@livekit/agents-plugin-inworld');
  const tts = new TTS({ apiKey: 'bench-key', baseURL: baseUrl, wsURL: wsUrl, model: MODEL });
  runOne = async () => {
    const stream = tts.stream();
    stream.pushText(TEXT);
    stream.endInput();
    let frames = 0;
    const deadline = setTimeout(() => stream.close(), 30_000);
    try {
      for await (const event of stream) if (typeof event === 'object' && event.frame) frames++;
    } finally {
      clearTimeout(deadline);
    }
    if (frames === 0) throw new Error('no audio (the stream ended without frames)');
  };
  close = () => tts.close();
}

const t0 = performance.now();
await Promise.all(
  Array.from({ length: n }, () =>
    runOne().then(
      () => ok++,
      (error) => errors.push(String(error?.message ?? error)),
    ),
  ),
);
const elapsedMs = performance.now() - t0;
process.stdout.write(`${JSON.stringify({ elapsedMs, ok, errors: errors.length, errorSamples: [...new Set(errors)].slice(0, 3), ...extra() })}\n`);
await close();
process.exit(0);
