// The floor for `inworld say TEXT -o -`: the same POST /tts/v1/voice:stream with node:http, the
// NDJSON lines decoded as they arrive, a streaming WAV header, then each chunk's PCM written to
// stdout. No retries, no validation, no options: what any client must do at minimum.
import { request } from 'node:http';

const text = process.argv[2] ?? 'Hello.';
const url = new URL('tts/v1/voice:stream', process.env.INWORLD_BASE_URL);
const body = JSON.stringify({ text, voiceId: 'Ashley', modelId: 'inworld-tts-1.5-max', audioConfig: { audioEncoding: 'PCM', sampleRateHertz: 24000 } });

const header = Buffer.alloc(44);
header.write('RIFF', 0); header.writeUInt32LE(0xffffffff, 4); header.write('WAVEfmt ', 8);
header.writeUInt32LE(16, 16); header.writeUInt16LE(1, 20); header.writeUInt16LE(1, 22);
header.writeUInt32LE(24000, 24); header.writeUInt32LE(48000, 28); header.writeUInt16LE(2, 32);
header.writeUInt16LE(16, 34); header.write('data', 36); header.writeUInt32LE(0xffffffff, 40);
let wroteHeader = false;

function pcmOf(audio) {
  if (audio.length < 12 || audio.toString('latin1', 0, 4) !== 'RIFF') return audio;
  let offset = 12;
  while (offset + 8 <= audio.length) {
    const size = audio.readUInt32LE(offset + 4);
    if (audio.toString('latin1', offset, offset + 4) === 'data') return audio.subarray(offset + 8);
    offset += 8 + size;
  }
  return audio.subarray(44);
}

const req = request(url, {
  method: 'POST',
  headers: { authorization: `Basic ${process.env.INWORLD_API_KEY}`, 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) },
}, (res) => {
  let pending = '';
  res.setEncoding('utf8');
  res.on('data', (chunk) => {
    pending += chunk;
    let newline;
    while ((newline = pending.indexOf('\n')) >= 0) {
      const line = pending.slice(0, newline);
      pending = pending.slice(newline + 1);
      if (!line.trim()) continue;
      const result = JSON.parse(line).result;
      if (!result?.audioContent) continue;
      const pcm = pcmOf(Buffer.from(result.audioContent, 'base64'));
      if (!wroteHeader) { wroteHeader = true; process.stdout.write(Buffer.concat([header, pcm])); } else process.stdout.write(pcm);
    }
  });
});
req.end(body);
