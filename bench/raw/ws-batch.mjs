// The floor for `say --batch`: the same work with `ws` and nothing else, in a fresh process timed
// from spawn to exit like the CLI. Opens ceil(CONCURRENCY/5) connections at once, keeps
// CONCURRENCY lines in flight (five contexts per connection, the next line on a connection as soon
// as one of its contexts closes), and writes each line's audio as a WAV file the way the CLI must
// (temporary name, one write, rename). Prints JSON {elapsedMs, ok, errors} (elapsedMs from this
// script's first line; the caller times the process).
//   node raw/ws-batch.mjs WS_URL LINES_FILE OUT_DIR CONCURRENCY SAMPLE_RATE
import { readFileSync } from 'node:fs';
import { rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import WebSocket from 'ws';

const t0 = performance.now();
const [wsUrl, file, outDir, concurrencyArg, rateArg] = process.argv.slice(2);
const concurrency = Number(concurrencyArg);
const rate = Number(rateArg);
const url = new URL('tts/v1/voice:streamBidirectional', wsUrl);
const create = { voiceId: 'Ashley', modelId: 'inworld-tts-1.5-max', audioConfig: { audioEncoding: 'PCM', sampleRateHertz: rate } };
const lines = readFileSync(file, 'utf8').split('\n').filter((line) => line.trim() !== '');
let nextLine = 0;
let ok = 0;
let errors = 0;

function wavHeader(dataBytes) {
  const header = Buffer.alloc(44);
  header.write('RIFF', 0, 'ascii');
  header.writeUInt32LE(36 + dataBytes, 4);
  header.write('WAVEfmt ', 8, 'ascii');
  header.writeUInt32LE(16, 16);
  header.writeUInt16LE(1, 20);
  header.writeUInt16LE(1, 22);
  header.writeUInt32LE(rate, 24);
  header.writeUInt32LE(rate * 2, 28);
  header.writeUInt16LE(2, 32);
  header.writeUInt16LE(16, 34);
  header.write('data', 36, 'ascii');
  header.writeUInt32LE(dataBytes, 40);
  return header;
}

async function save(index, chunks) {
  const name = `${String(index + 1).padStart(4, '0')}.wav`;
  const data = Buffer.concat(chunks);
  const temp = join(outDir, `.${name}.part`);
  await writeFile(temp, Buffer.concat([wavHeader(data.length), data]));
  await rename(temp, join(outDir, name));
}

const writes = [];
const connections = [];
for (let c = 0; c * 5 < concurrency; c++) {
  const slots = Math.min(5, concurrency - c * 5);
  connections.push(
    new Promise((resolve) => {
      const ws = new WebSocket(url, { headers: { authorization: 'Basic bench-key' } });
      const open = new Map(); // contextId -> {index, chunks}
      const start = () => {
        if (nextLine >= lines.length) return false;
        const index = nextLine++;
        const contextId = `l${index}`;
        open.set(contextId, { index, chunks: [] });
        ws.send(JSON.stringify({ contextId, create }));
        ws.send(JSON.stringify({ contextId, send_text: { text: lines[index], flush_context: {} } }));
        ws.send(JSON.stringify({ contextId, close_context: {} }));
        return true;
      };
      ws.on('open', () => {
        for (let k = 0; k < slots; k++) if (!start()) break;
        if (open.size === 0) ws.close();
      });
      ws.on('message', (data) => {
        const result = JSON.parse(data.toString()).result;
        if (!result) return;
        const context = open.get(result.contextId);
        if (!context) return;
        if (result.audioChunk?.audioContent) context.chunks.push(Buffer.from(result.audioChunk.audioContent, 'base64'));
        if (result.status && result.status.code !== 0) errors++;
        if (result.contextClosed) {
          open.delete(result.contextId);
          if (context.chunks.length > 0) writes.push(save(context.index, context.chunks).then(() => ok++, () => errors++));
          else errors++;
          start();
          if (open.size === 0) ws.close();
        }
      });
      ws.on('close', resolve);
      ws.on('error', () => {
        errors += open.size;
        resolve();
      });
    }),
  );
}
await Promise.all(connections);
await Promise.all(writes);
process.stdout.write(`${JSON.stringify({ elapsedMs: performance.now() - t0, ok, errors })}\n`);
