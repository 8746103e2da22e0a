// Streaming WAV reader: walks the RIFF chunks (never assumes a 44-byte header), skips LIST, fact,
// bext and anything else, honours odd-size padding, and turns integer PCM (8/16/24/32-bit), IEEE
// float (32/64-bit), G.711 A-law/µ-law and WAVE_FORMAT_EXTENSIBLE with any channel count and
// sample rate into s16le mono, chunk by chunk. Only the header is ever buffered.
import { stat } from 'node:fs/promises';
import type { Readable } from 'node:stream';
import { type InworldError, ValidationError } from '../core/errors.js';
import { fileError } from '../core/file-errors.js';
import { ByteReader } from './byte-reader.js';
import { type SampleEncoding, bytesPerSampleOf, createMonoConverter } from './pcm-convert.js';
import { type PcmSource, openByteInput } from './source.js';

const WAVE_FORMAT_PCM = 0x0001;
const WAVE_FORMAT_IEEE_FLOAT = 0x0003;
const WAVE_FORMAT_ALAW = 0x0006;
const WAVE_FORMAT_MULAW = 0x0007;
const WAVE_FORMAT_EXTENSIBLE = 0xfffe;
const FMT_MIN_BYTES = 16;
const FMT_EXTENSIBLE_BYTES = 40;
const CHUNK_HEADER_BYTES = 8;
/** A size field meaning "unknown / to end of stream" (streaming writers, RF64). */
const UNKNOWN_SIZE = 0xffffffff;
/** Chunks we read into memory (fmt) are small; anything claiming more is not a real fmt chunk. */
const MAX_FMT_BYTES = 1024;

export interface WavInfo {
  formatTag: number;
  encoding: SampleEncoding;
  sampleRate: number;
  channels: number;
  /** Container bits per sample as stored. */
  bitsPerSample: number;
  /** Declared length of the sample data; undefined when the header says "unknown" (a pipe). */
  dataBytes?: number;
  /** Byte offset of the first sample in the file. */
  dataOffset: number;
}

export interface WavSource extends PcmSource {
  readonly info: WavInfo;
}

/**
 * Opens a WAV file (path), standard input (`-`) or a stream, reading just the header. Iterating
 * the result yields s16le mono at the file's own sample rate. Problems with the header are
 * ValidationErrors here; data that ends early is a ValidationError at the end of iteration.
 */
export async function openWavSource(input: string | Readable, options: { name?: string } = {}): Promise<WavSource> {
  const bytes = openByteInput(input, options.name);
  const { name } = bytes;
  const reader = new ByteReader(bytes.stream[Symbol.asyncIterator]() as AsyncIterator<Buffer>);
  let info: WavInfo;
  try {
    info = await readWavHeader(reader, name);
    if (typeof input === 'string' && input !== '-' && info.dataBytes !== undefined) {
      // A file's size is known up front: report truncation before any audio is sent.
      const { size } = await stat(input);
      if (info.dataOffset + info.dataBytes > size) {
        throw truncatedData(name, info.dataBytes, size - info.dataOffset);
      }
    }
  } catch (error) {
    bytes.close();
    throw error instanceof ValidationError ? error : readError(name, error);
  }
  let closed = false;
  const close = () => {
    if (closed) return;
    closed = true;
    bytes.close();
  };

  async function* samples(): AsyncGenerator<Buffer> {
    const converter = createMonoConverter({
      encoding: info.encoding,
      channels: info.channels,
      bytesPerSample: info.bitsPerSample / 8,
    });
    let left = info.dataBytes ?? Number.POSITIVE_INFINITY;
    try {
      for await (const chunk of reader.rest()) {
        if (closed) return;
        const part = chunk.length > left ? chunk.subarray(0, left) : chunk;
        left -= part.length;
        const out = converter.convert(part);
        if (out.length > 0) yield out;
        // Bytes after the data chunk (LIST, id3) are not audio.
        if (left === 0) return;
      }
      if (!closed && info.dataBytes !== undefined && left > 0) {
        throw truncatedData(name, info.dataBytes, info.dataBytes - left);
      }
    } catch (error) {
      if (closed) return;
      throw error instanceof ValidationError ? error : readError(name, error);
    } finally {
      close();
    }
  }

  return {
    info,
    sampleRate: info.sampleRate,
    channels: 1,
    close,
    [Symbol.asyncIterator]: () => samples(),
  };
}

/** Reads from "RIFF" up to the start of the sample data. */
export async function readWavHeader(reader: ByteReader, name: string): Promise<WavInfo> {
  const notWav = (why: string) => new ValidationError(`${name} is not a WAV file (${why})`);
  const head = await reader.fill(12);
  if (head === 0) throw notWav('it is empty');
  const riff = await reader.read(12, () => notWav('too short for a RIFF header'));
  const magic = riff.toString('latin1', 0, 4);
  if ((magic !== 'RIFF' && magic !== 'RF64') || riff.toString('latin1', 8, 12) !== 'WAVE') {
    throw notWav('no RIFF/WAVE header');
  }
  const riffSize = riff.readUInt32LE(4);
  let format: Omit<WavInfo, 'dataBytes' | 'dataOffset'> | undefined;
  for (;;) {
    const chunkHeader = await reader.read(CHUNK_HEADER_BYTES, () =>
      format ? new ValidationError(`${name} has no audio data (no data chunk)`) : notWav('no fmt chunk'),
    );
    const id = chunkHeader.toString('latin1', 0, 4);
    const size = chunkHeader.readUInt32LE(4);
    if (id === 'fmt ') {
      if (size < FMT_MIN_BYTES || size > MAX_FMT_BYTES) throw notWav(`fmt chunk of ${size} bytes`);
      const body = await reader.read(size + (size % 2), () => truncatedHeader(name));
      format = parseFormat(body, size, name);
      continue;
    }
    if (id === 'data') {
      if (!format) throw notWav('data chunk before the fmt chunk');
      // A streaming header (0xFFFFFFFF, or a 0 placeholder never patched) means "to end of stream".
      const unknown = size === UNKNOWN_SIZE || (size === 0 && (riffSize === 0 || riffSize === UNKNOWN_SIZE)) || magic === 'RF64';
      return { ...format, dataBytes: unknown ? undefined : size, dataOffset: reader.offset };
    }
    const padded = size + (size % 2);
    if ((await reader.skip(padded)) < padded) {
      throw format ? new ValidationError(`${name} has no audio data (no data chunk)`) : truncatedHeader(name);
    }
  }
}

function parseFormat(body: Buffer, size: number, name: string): Omit<WavInfo, 'dataBytes' | 'dataOffset'> {
  let formatTag = body.readUInt16LE(0);
  const channels = body.readUInt16LE(2);
  const sampleRate = body.readUInt32LE(4);
  const blockAlign = body.readUInt16LE(12);
  const bitsPerSample = body.readUInt16LE(14);
  if (formatTag === WAVE_FORMAT_EXTENSIBLE) {
    if (size < FMT_EXTENSIBLE_BYTES) throw new ValidationError(`${name} is not a valid WAV file (short extensible fmt chunk)`);
    // The sub-format GUID starts with the plain format tag.
    formatTag = body.readUInt16LE(24);
  }
  if (channels === 0) throw new ValidationError(`${name} is not a valid WAV file (0 channels)`);
  if (sampleRate === 0) throw new ValidationError(`${name} is not a valid WAV file (sample rate 0)`);
  const encoding = encodingFor(formatTag, bitsPerSample);
  if (!encoding) {
    const what =
      formatTag === WAVE_FORMAT_PCM || formatTag === WAVE_FORMAT_IEEE_FLOAT
        ? `${bitsPerSample}-bit ${formatTag === WAVE_FORMAT_PCM ? 'integer' : 'float'} samples`
        : `WAV format 0x${formatTag.toString(16).padStart(4, '0')}`;
    throw new ValidationError(`${name} uses ${what}, which cannot be read`, {
      hint: 'Convert it to 16-bit PCM WAV, e.g. ffmpeg -i in.wav -c:a pcm_s16le out.wav',
    });
  }
  if (blockAlign !== channels * bytesPerSampleOf(encoding) && !(encoding === 'int24' && blockAlign === channels * 4)) {
    throw new ValidationError(`${name} is not a valid WAV file (block align ${blockAlign} for ${channels} × ${bitsPerSample}-bit)`);
  }
  // 24 valid bits stored in 32-bit containers: read as 32-bit.
  const containerBits = (blockAlign / channels) * 8;
  return { formatTag, encoding, sampleRate, channels, bitsPerSample: containerBits };
}

function encodingFor(formatTag: number, bits: number): SampleEncoding | undefined {
  if (formatTag === WAVE_FORMAT_PCM) {
    return ({ 8: 'uint8', 16: 'int16', 24: 'int24', 32: 'int32' } as const)[bits as 8 | 16 | 24 | 32];
  }
  if (formatTag === WAVE_FORMAT_IEEE_FLOAT) return ({ 32: 'float32', 64: 'float64' } as const)[bits as 32 | 64];
  if (formatTag === WAVE_FORMAT_ALAW && bits === 8) return 'alaw';
  if (formatTag === WAVE_FORMAT_MULAW && bits === 8) return 'mulaw';
  return undefined;
}

function truncatedHeader(name: string): ValidationError {
  return new ValidationError(`${name} is a truncated WAV file (it ends inside its header)`);
}

function truncatedData(name: string, declared: number, present: number): ValidationError {
  return new ValidationError(
    `${name} is a truncated WAV file (its data chunk declares ${declared} bytes but only ${Math.max(0, present)} are present)`,
  );
}

function readError(name: string, error: unknown): InworldError {
  return fileError('read', name, error, { beforeRequest: true });
}
