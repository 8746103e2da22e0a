// The baseline for the stream latency bench: the smallest client that does what `inworld stream`
// does per sentence. One WebSocket, one context (PCM), each stdin line sent as send_text with
// flush_context, each audioChunk's bytes written to stdout. No segmentation, no pool, no retries.
//   node --import tsx bench/stream-raw-client.ts <wsBase> <sampleRate>
import WebSocket from 'ws';

const [base = 'ws://127.0.0.1:8787/', rate = '24000'] = process.argv.slice(2);
const socket = new WebSocket(`${base.replace(/\/$/, '')}/tts/v1/voice:streamBidirectional`, {
  headers: { Authorization: `Basic ${process.env.INWORLD_API_KEY ?? 'bench-key'}` },
});
const id = 'raw';
let pending = '';
socket.on('open', () => {
  socket.send(JSON.stringify({ contextId: id, create: { voiceId: 'Ashley', modelId: 'inworld-tts-1.5-max', audioConfig: { audioEncoding: 'PCM', sampleRateHertz: Number(rate) } } }));
  process.stdin.on('data', (chunk: Buffer) => {
    pending += chunk.toString('utf8');
    let newline = pending.indexOf('\n');
    while (newline >= 0) {
      const line = pending.slice(0, newline).trim();
      pending = pending.slice(newline + 1);
      if (line) socket.send(JSON.stringify({ contextId: id, send_text: { text: `${line} `, flush_context: {} } }));
      newline = pending.indexOf('\n');
    }
  });
  process.stdin.on('end', () => socket.send(JSON.stringify({ contextId: id, close_context: {} })));
});
socket.on('message', (data) => {
  const result = JSON.parse(data.toString()).result;
  if (result?.audioChunk?.audioContent) process.stdout.write(Buffer.from(result.audioChunk.audioContent, 'base64'));
  if (result?.contextClosed) socket.close();
});
