// The canonical 44-byte RIFF/WAVE header for integer PCM we write ourselves. Reading WAV (any
// layout, any chunk order) is wav-reader.ts; this file only writes, plus a helper that cuts the
// header off a WAV-wrapped chunk.
import { ValidationError } from '../core/errors.js';

export const WAV_HEADER_BYTES = 44;
/** Offset of the RIFF chunk size (file size - 8) in our header. */
export const WAV_RIFF_SIZE_OFFSET = 4;
/** Offset of the data chunk size in our header. */
export const WAV_DATA_SIZE_OFFSET = 40;
/** Largest size a 32-bit RIFF field can hold; also the "unknown length" marker for pipes. */
export const WAV_MAX_CHUNK_BYTES = 0xffffffff;

const WAVE_FORMAT_PCM = 1;
const FMT_CHUNK_BYTES = 16;

export interface WavFormat {
  sampleRate: number;
  channels: number;
  bitsPerSample: number;
}

export interface WavHeaderOptions extends WavFormat {
  /** Bytes of sample data that follow the header (excluding any pad byte). */
  dataBytes: number;
}

/**
 * A 44-byte header for `dataBytes` of integer PCM. Sizes beyond what 32 bits can hold are clamped
 * to 0xFFFFFFFF, which readers (ffmpeg, sox) treat as "read to end of file".
 */
export function wavHeader(options: WavHeaderOptions): Buffer {
  const { sampleRate, channels, bitsPerSample, dataBytes } = options;
  checkFormat(options);
  if (!Number.isInteger(dataBytes) || dataBytes < 0) throw new RangeError(`invalid data size ${dataBytes}`);
  const blockAlign = channels * (bitsPerSample / 8);
  const header = Buffer.alloc(WAV_HEADER_BYTES);
  // An odd-sized data chunk is followed by a pad byte, which the RIFF size counts.
  const padBytes = dataBytes % 2;
  header.write('RIFF', 0, 'ascii');
  header.writeUInt32LE(clamp32(WAV_HEADER_BYTES - 8 + dataBytes + padBytes), WAV_RIFF_SIZE_OFFSET);
  header.write('WAVE', 8, 'ascii');
  header.write('fmt ', 12, 'ascii');
  header.writeUInt32LE(FMT_CHUNK_BYTES, 16);
  header.writeUInt16LE(WAVE_FORMAT_PCM, 20);
  header.writeUInt16LE(channels, 22);
  header.writeUInt32LE(sampleRate, 24);
  header.writeUInt32LE(sampleRate * blockAlign, 28);
  header.writeUInt16LE(blockAlign, 32);
  header.writeUInt16LE(bitsPerSample, 34);
  header.write('data', 36, 'ascii');
  header.writeUInt32LE(clamp32(dataBytes), WAV_DATA_SIZE_OFFSET);
  return header;
}

/**
 * A header for a stream whose length is unknown (a pipe): both sizes are 0xFFFFFFFF, which ffmpeg,
 * sox and most players read as "until end of stream".
 */
export function streamingWavHeader(format: WavFormat): Buffer {
  const header = wavHeader({ ...format, dataBytes: 0 });
  header.writeUInt32LE(WAV_MAX_CHUNK_BYTES, WAV_RIFF_SIZE_OFFSET);
  header.writeUInt32LE(WAV_MAX_CHUNK_BYTES, WAV_DATA_SIZE_OFFSET);
  return header;
}

/** The two size fields to patch into a header once `dataBytes` is known. */
export function wavSizeFields(dataBytes: number): { riffSize: number; dataSize: number } {
  return {
    riffSize: clamp32(WAV_HEADER_BYTES - 8 + dataBytes + (dataBytes % 2)),
    dataSize: clamp32(dataBytes),
  };
}

/**
 * If `chunk` starts with a RIFF/WAVE header (as each chunk of a LINEAR16 response may), returns
 * the bytes after the `data` chunk header; otherwise returns `chunk` unchanged. Walks the chunks,
 * so headers with LIST or fact chunks are handled too.
 */
export function stripWavHeader(chunk: Buffer): Buffer {
  if (chunk.length < 12 || chunk.toString('ascii', 0, 4) !== 'RIFF' || chunk.toString('ascii', 8, 12) !== 'WAVE') {
    return chunk;
  }
  let offset = 12;
  while (offset + 8 <= chunk.length) {
    const id = chunk.toString('ascii', offset, offset + 4);
    const size = chunk.readUInt32LE(offset + 4);
    if (id === 'data') return chunk.subarray(offset + 8);
    offset += 8 + size + (size % 2);
  }
  // A header cut off before its data chunk: nothing in this chunk is audio.
  return chunk.subarray(chunk.length);
}

function checkFormat(format: WavFormat): void {
  const { sampleRate, channels, bitsPerSample } = format;
  if (!Number.isInteger(sampleRate) || sampleRate <= 0) throw new ValidationError(`invalid sample rate ${sampleRate}`);
  if (!Number.isInteger(channels) || channels <= 0 || channels > 0xffff) {
    throw new ValidationError(`invalid channel count ${channels}`);
  }
  if (![8, 16, 24, 32].includes(bitsPerSample)) throw new ValidationError(`invalid bits per sample ${bitsPerSample}`);
}

function clamp32(value: number): number {
  return Math.min(value, WAV_MAX_CHUNK_BYTES);
}
