// The floor for N simultaneous one-sentence streams: ceil(N/5) raw `ws` connections opened at
// once, five contexts each, every frame sent without waiting, audio decoded and counted. Prints
// JSON {elapsedMs, ok, errors}.   node raw/ws-concurrent.mjs WS_URL N TEXT
import { performance } from 'node:perf_hooks';
import WebSocket from 'ws';

const [wsUrl, nArg, text] = process.argv.slice(2);
const n = Number(nArg);
const url = new URL('tts/v1/voice:streamBidirectional', wsUrl);
const create = { voiceId: 'Ashley', modelId: 'inworld-tts-1.5-max', audioConfig: { audioEncoding: 'PCM', sampleRateHertz: 24000 } };
let ok = 0;
let errors = 0;
const t0 = performance.now();
const connections = [];
for (let c = 0; c * 5 < n; c++) {
  connections.push(
    new Promise((resolve) => {
      const ws = new WebSocket(url, { headers: { authorization: 'Basic bench-key' } });
      const open = new Map();
      ws.on('open', () => {
        for (let k = 0; k < 5 && c * 5 + k < n; k++) {
          const contextId = `c${c}k${k}`;
          open.set(contextId, 0);
          ws.send(JSON.stringify({ contextId, create }));
          ws.send(JSON.stringify({ contextId, send_text: { text, flush_context: {} } }));
          ws.send(JSON.stringify({ contextId, close_context: {} }));
        }
      });
      ws.on('message', (data) => {
        const result = JSON.parse(data.toString()).result;
        if (!result) return;
        const id = result.contextId;
        if (result.audioChunk?.audioContent) open.set(id, open.get(id) + Buffer.from(result.audioChunk.audioContent, 'base64').length);
        if (result.status && result.status.code !== 0) errors++;
        if (result.contextClosed) {
          if (open.get(id) > 0) ok++;
          else errors++;
          open.delete(id);
          if (open.size === 0) {
            ws.close();
            resolve();
          }
        }
      });
      ws.on('error', () => {
        errors += open.size;
        resolve();
      });
    }),
  );
}
await Promise.all(connections);
process.stdout.write(`${JSON.stringify({ elapsedMs: performance.now() - t0, ok, errors })}\n`);
