// Preload (`node --import ./bench/lib/trace-first-audio.mjs …`) that measures, inside the client
// process, the delay from the first complete NDJSON line arriving on an HTTP socket (the moment
// the socket's stream receives the bytes that end it) to the first write of audio (past a 44-byte
// WAV header) to stdout. Nothing in the client changes: socket `push` and `process.stdout.write`
// are wrapped to take timestamps only. Prints `trace-first-audio: <ms>` on stderr at exit.
import diagnostics from 'node:diagnostics_channel';
import { performance } from 'node:perf_hooks';

let firstLineAt;
let firstAudioAt;

diagnostics.subscribe('net.client.socket', ({ socket }) => {
  const push = socket.push;
  let inBody = false;
  let previous = 0; // the last byte of the previous chunk
  socket.push = function (chunk, encoding) {
    if (firstLineAt === undefined && chunk) {
      const at = performance.now();
      // Native searches only: a JavaScript loop over the chunk here would sit inside the window
      // being measured, and cost more than what it measures.
      const bytes = typeof chunk === 'string' ? Buffer.from(chunk, 'latin1') : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
      let from = 0;
      if (!inBody) {
        const end = bytes.indexOf('\r\n\r\n');
        if (end >= 0) {
          inBody = true;
          from = end + 4;
        }
      }
      if (inBody) {
        // A line's "\n" is the one not preceded by "\r" (those end the chunked encoding's size lines).
        for (let i = bytes.indexOf(10, from); i >= 0; i = bytes.indexOf(10, i + 1)) {
          if ((i > 0 ? bytes[i - 1] : previous) !== 13) {
            firstLineAt = at;
            break;
          }
        }
      }
      if (bytes.length > 0) previous = bytes[bytes.length - 1];
    }
    return push.call(this, chunk, encoding);
  };
});

let written = 0;
const write = process.stdout.write;
process.stdout.write = function (chunk, ...rest) {
  const length = typeof chunk === 'string' ? Buffer.byteLength(chunk) : chunk.length;
  if (firstAudioAt === undefined && written + length > 44) firstAudioAt = performance.now();
  written += length;
  return write.call(this, chunk, ...rest);
};

process.on('exit', () => {
  process.stderr.write(`trace-first-audio: ${firstAudioAt !== undefined && firstLineAt !== undefined ? (firstAudioAt - firstLineAt).toFixed(3) : 'n/a'}\n`);
});
