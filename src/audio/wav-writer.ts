// Writing WAV: the canonical 44-byte RIFF/WAVE header for integer PCM, the streaming header for
// a length not yet known, and the two size fields patched in once it is. Reading WAV (any layout,
// any chunk order) is wav-reader.ts.
import { ValidationError } from '../core/errors.js';

export const WAV_HEADER_BYTES = 44;
/** Offset of the RIFF chunk size (file size - 8) in our header. */
const WAV_RIFF_SIZE_OFFSET = 4;
/** Offset of the data chunk size in our header. */
const WAV_DATA_SIZE_OFFSET = 40;
/** Largest size a 32-bit RIFF field can hold; also the "unknown length" marker for pipes. */
export const WAV_MAX_CHUNK_BYTES = 0xffffffff;

const WAVE_FORMAT_PCM = 1;
const FMT_CHUNK_BYTES = 16;

export interface WavFormat {
  sampleRateHertz: number;
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
  const { sampleRateHertz, channels, bitsPerSample, dataBytes } = options;
  checkFormat(options);
  if (!Number.isInteger(dataBytes) || dataBytes < 0) throw new RangeError(`invalid data size ${dataBytes}`);
  const blockAlign = channels * (bitsPerSample / 8);
  const header = Buffer.alloc(WAV_HEADER_BYTES);
  header.write('RIFF', 0, 'ascii');
  header.writeUInt32LE(riffSizeFor(dataBytes), WAV_RIFF_SIZE_OFFSET);
  header.write('WAVE', 8, 'ascii');
  header.write('fmt ', 12, 'ascii');
  header.writeUInt32LE(FMT_CHUNK_BYTES, 16);
  header.writeUInt16LE(WAVE_FORMAT_PCM, 20);
  header.writeUInt16LE(channels, 22);
  header.writeUInt32LE(sampleRateHertz, 24);
  header.writeUInt32LE(sampleRateHertz * blockAlign, 28);
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

/** A few bytes to write at `offset` of a file. */
export interface FilePatch {
  offset: number;
  bytes: Buffer;
}

/**
 * The two size fields to write over a header of ours once `dataBytes` of sample data follow it
 * (a streaming header, or one written with a placeholder size).
 */
export function wavSizePatches(dataBytes: number): FilePatch[] {
  return [
    { offset: WAV_RIFF_SIZE_OFFSET, bytes: uint32(riffSizeFor(dataBytes)) },
    { offset: WAV_DATA_SIZE_OFFSET, bytes: uint32(clamp32(dataBytes)) },
  ];
}

/** The RIFF size: everything after its own 8 bytes. An odd-sized data chunk is followed by a pad byte, which it counts. */
function riffSizeFor(dataBytes: number): number {
  return clamp32(WAV_HEADER_BYTES - 8 + dataBytes + (dataBytes % 2));
}

function uint32(value: number): Buffer {
  const field = Buffer.alloc(4);
  field.writeUInt32LE(value);
  return field;
}

function checkFormat(format: WavFormat): void {
  const { sampleRateHertz, channels, bitsPerSample } = format;
  if (!Number.isInteger(sampleRateHertz) || sampleRateHertz <= 0) throw new ValidationError(`invalid sample rate ${sampleRateHertz}`);
  if (!Number.isInteger(channels) || channels <= 0 || channels > 0xffff) {
    throw new ValidationError(`invalid channel count ${channels}`);
  }
  if (![8, 16, 24, 32].includes(bitsPerSample)) throw new ValidationError(`invalid bits per sample ${bitsPerSample}`);
}

function clamp32(value: number): number {
  return Math.min(value, WAV_MAX_CHUNK_BYTES);
}
