// The floor for `inworld stream -o -`: one raw `ws` connection; every line read from stdin is
// sent at once as one `send_text` with `flush_context`; audio is decoded and written to stdout
// after a streaming WAV header. End of stdin closes the context; `contextClosed` ends the process.
// With --chunks, every chunk read from stdin is sent the moment it arrives instead of every line
// (the floor for a sentence that ends without a newline).
import { createInterface } from 'node:readline';
import WebSocket from 'ws';

const url = new URL('tts/v1/voice:streamBidirectional', process.env.INWORLD_WS_URL ?? process.env.INWORLD_BASE_URL.replace(/^http/, 'ws'));
const contextId = 'raw';
const ws = new WebSocket(url, { headers: { authorization: `Basic ${process.env.INWORLD_API_KEY}` } });
const outbox = [JSON.stringify({ contextId, create: { voiceId: 'Ashley', modelId: 'inworld-tts-1.5-max', audioConfig: { audioEncoding: 'PCM', sampleRateHertz: 24000 } } })];
const send = (message) => (ws.readyState === WebSocket.OPEN ? ws.send(message) : outbox.push(message));
ws.on('open', () => outbox.splice(0).forEach((m) => ws.send(m)));

const header = Buffer.alloc(44);
header.write('RIFF', 0); header.writeUInt32LE(0xffffffff, 4); header.write('WAVEfmt ', 8);
header.writeUInt32LE(16, 16); header.writeUInt16LE(1, 20); header.writeUInt16LE(1, 22);
header.writeUInt32LE(24000, 24); header.writeUInt32LE(48000, 28); header.writeUInt16LE(2, 32);
header.writeUInt16LE(16, 34); header.write('data', 36); header.writeUInt32LE(0xffffffff, 40);
process.stdout.write(header);

ws.on('message', (data) => {
  const result = JSON.parse(data.toString()).result;
  if (!result) return;
  const audio = result.audioChunk?.audioContent;
  if (audio) {
    const bytes = Buffer.from(audio, 'base64');
    process.stdout.write(bytes.length > 44 && bytes.toString('latin1', 0, 4) === 'RIFF' ? bytes.subarray(44) : bytes);
  }
  if (result.contextClosed) ws.close();
});
ws.on('close', () => process.stdout.end());

const sendSentence = (text) => {
  if (text.trim()) send(JSON.stringify({ contextId, send_text: { text: text.trim(), flush_context: {} } }));
};
const closeContext = () => send(JSON.stringify({ contextId, close_context: {} }));
if (process.argv.includes('--chunks')) {
  process.stdin.setEncoding('utf8');
  process.stdin.on('data', sendSentence);
  process.stdin.on('end', closeContext);
} else {
  const lines = createInterface({ input: process.stdin });
  lines.on('line', sendSentence);
  lines.on('close', closeContext);
}
