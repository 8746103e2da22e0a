// Long text through the library's synthesizeStream with a given maxPartsInFlight, audio counted
// and dropped. Prints JSON {elapsedMs, parts, bytes}.
//   node clients/say-lib.mjs BASE_URL TEXT_FILE MAX_PARTS_IN_FLIGHT [SAMPLE_RATE]
import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { InworldClient } from '../../dist/core/client.js';
import { synthesizeStream } from '../../dist/tts/http.js';

const [baseUrl, file, inFlight, rate = '24000'] = process.argv.slice(2);
const text = readFileSync(file, 'utf8');
const client = new InworldClient({ apiKey: 'bench-key', baseUrl, configPath: null, env: {} });
const t0 = performance.now();
let bytes = 0;
let parts = 0;
for await (const chunk of synthesizeStream(client, { text, audioConfig: { audioEncoding: 'PCM', sampleRateHertz: Number(rate) } }, {
  maxPartsInFlight: Number(inFlight),
  onPart: () => parts++,
})) {
  if (chunk.audio) bytes += chunk.audio.length;
}
process.stdout.write(`${JSON.stringify({ elapsedMs: performance.now() - t0, parts, bytes })}\n`);
process.exit(0);
