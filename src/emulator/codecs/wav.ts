// The canonical 44-byte RIFF/WAVE header for 16-bit mono PCM (protocol §2.5 decodes the docs'
// example chunk to exactly this layout).

export const WAV_HEADER_BYTES = 44;
const BYTES_PER_SAMPLE = 2;
const PCM_FORMAT_TAG = 1;
/** Size field value used when the length is unknown (streaming), as most streaming writers do. */
export const WAV_UNKNOWN_SIZE = 0xffffffff;

/** A header describing `dataBytes` bytes of 16-bit mono samples at `sampleRateHz`. */
export function wavHeader(dataBytes: number, sampleRateHz: number): Buffer {
  const header = Buffer.alloc(WAV_HEADER_BYTES);
  const unknown = dataBytes >= WAV_UNKNOWN_SIZE - 36;
  header.write('RIFF', 0, 'ascii');
  header.writeUInt32LE(unknown ? WAV_UNKNOWN_SIZE : dataBytes + 36, 4);
  header.write('WAVE', 8, 'ascii');
  header.write('fmt ', 12, 'ascii');
  header.writeUInt32LE(16, 16);
  header.writeUInt16LE(PCM_FORMAT_TAG, 20);
  header.writeUInt16LE(1, 22);
  header.writeUInt32LE(sampleRateHz, 24);
  header.writeUInt32LE(sampleRateHz * BYTES_PER_SAMPLE, 28);
  header.writeUInt16LE(BYTES_PER_SAMPLE, 32);
  header.writeUInt16LE(16, 34);
  header.write('data', 36, 'ascii');
  header.writeUInt32LE(unknown ? WAV_UNKNOWN_SIZE : dataBytes, 40);
  return header;
}

/** Samples as s16le bytes (a copy, so later writes to the array do not change it). */
export function samplesToBytes(samples: Int16Array): Buffer {
  const out = Buffer.alloc(samples.length * BYTES_PER_SAMPLE);
  for (let i = 0; i < samples.length; i++) out.writeInt16LE(samples[i]!, i * BYTES_PER_SAMPLE);
  return out;
}

/** Reads the `fmt ` and `data` chunks of a 16-bit PCM WAV file (any chunk order, any extra chunks). */
export function parseWav(bytes: Buffer): { sampleRateHz: number; channels: number; samples: Int16Array } {
  if (bytes.length < 12 || bytes.toString('ascii', 0, 4) !== 'RIFF' || bytes.toString('ascii', 8, 12) !== 'WAVE') {
    throw new Error('not a RIFF/WAVE file');
  }
  let offset = 12;
  let sampleRateHz = 0;
  let channels = 1;
  while (offset + 8 <= bytes.length) {
    const id = bytes.toString('ascii', offset, offset + 4);
    let size = bytes.readUInt32LE(offset + 4);
    const body = offset + 8;
    if (id === 'fmt ') {
      channels = bytes.readUInt16LE(body + 2);
      sampleRateHz = bytes.readUInt32LE(body + 4);
    } else if (id === 'data') {
      // Streaming writers (espeak-ng --stdout among them) leave the size at 0 or 0xFFFFFFFF.
      if (size === 0 || size === WAV_UNKNOWN_SIZE || body + size > bytes.length) size = bytes.length - body;
      const count = Math.floor(size / BYTES_PER_SAMPLE / channels);
      const samples = new Int16Array(count);
      for (let i = 0; i < count; i++) samples[i] = bytes.readInt16LE(body + i * BYTES_PER_SAMPLE * channels);
      return { sampleRateHz, channels, samples };
    }
    offset = body + size + (size % 2);
  }
  throw new Error('WAV file has no data chunk');
}
