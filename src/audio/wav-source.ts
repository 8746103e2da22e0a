// A WAV file, standard input or stream as PCM: the header is read by wav-reader.ts (any chunk
// layout), and integer PCM (8/16/24/32-bit), IEEE float (32/64-bit), G.711 A-law/µ-law and
// WAVE_FORMAT_EXTENSIBLE with any channel count and sample rate become s16le mono, chunk by
// chunk. Only the header is ever buffered.
import { stat } from 'node:fs/promises';
import type { Readable } from 'node:stream';
import { type InworldError, ValidationError } from '../core/errors.js';
import { fileError } from '../core/file-errors.js';
import { type SampleEncoding, bytesPerSampleOf, createMonoConverter } from './pcm-convert.js';
import { type PcmSource, openByteInput } from './source.js';
import { type WavFormatChunk, WavHeaderParser, type WavHeaderProblem, type WavInfo } from './wav-reader.js';

const WAVE_FORMAT_PCM = 0x0001;
const WAVE_FORMAT_IEEE_FLOAT = 0x0003;
const WAVE_FORMAT_ALAW = 0x0006;
const WAVE_FORMAT_MULAW = 0x0007;

/** How the samples are stored: their encoding and container size. */
interface SampleLayout {
  encoding: SampleEncoding;
  bytesPerSample: number;
}

export interface WavSource extends PcmSource {
  readonly info: WavInfo;
  /** How the file stores its samples (before conversion to s16le). */
  readonly encoding: SampleEncoding;
}

/**
 * Opens a WAV file (path), standard input (`-`) or a stream, reading just the header. Iterating
 * the result yields s16le mono at the file's own sample rate. Problems with the header are
 * ValidationErrors here; data that ends early is a ValidationError at the end of iteration.
 */
export async function openWavSource(input: string | Readable, options: { name?: string } = {}): Promise<WavSource> {
  const bytes = openByteInput(input, options.name);
  const { name } = bytes;
  const iterator = bytes.stream[Symbol.asyncIterator]() as AsyncIterator<Buffer>;
  let header: { info: WavInfo; layout: SampleLayout; rest: Buffer };
  try {
    header = await readWavHeader(iterator, name);
    const { info } = header;
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
  const { info, layout } = header;
  let closed = false;
  const close = () => {
    if (closed) return;
    closed = true;
    bytes.close();
  };

  async function* samples(): AsyncGenerator<Buffer> {
    const converter = createMonoConverter({ ...layout, channels: info.channels });
    let left = info.dataBytes ?? Number.POSITIVE_INFINITY;
    try {
      for await (const chunk of restOf(header.rest, iterator)) {
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
    encoding: layout.encoding,
    sampleRateHertz: info.sampleRateHertz,
    channels: 1,
    close,
    [Symbol.asyncIterator]: () => samples(),
  };
}

/** Reads from "RIFF" up to the start of the sample data, checking the format can be converted. */
async function readWavHeader(iterator: AsyncIterator<Buffer>, name: string): Promise<{ info: WavInfo; layout: SampleLayout; rest: Buffer }> {
  let layout: SampleLayout | undefined;
  const parser = new WavHeaderParser({ onFormat: (format) => (layout = sampleLayout(format, name)) });
  for (;;) {
    const next = await iterator.next();
    if (next.done) throw headerError(parser.endProblem(), name);
    const step = parser.push(next.value);
    if (step.state === 'bad') throw headerError(step.problem, name);
    if (step.state === 'header') return { info: step.info, layout: layout!, rest: step.rest };
  }
}

/** The bytes that came with the end of the header, then the rest of the stream. */
async function* restOf(first: Buffer, iterator: AsyncIterator<Buffer>): AsyncGenerator<Buffer> {
  if (first.length > 0) yield first;
  for (;;) {
    const next = await iterator.next();
    if (next.done) return;
    yield next.value;
  }
}

function headerError(problem: WavHeaderProblem, name: string): ValidationError {
  switch (problem.kind) {
    case 'not-wav':
      return new ValidationError(`${name} is not a WAV file (${problem.why})`);
    case 'invalid':
      return new ValidationError(`${name} is not a valid WAV file (${problem.why})`);
    case 'truncated':
      return new ValidationError(`${name} is a truncated WAV file (it ends inside its header)`);
    case 'no-data':
      return new ValidationError(`${name} has no audio data (no data chunk)`);
  }
}

/** The encoding and container size of the fmt chunk's samples; a ValidationError when they cannot be converted. */
function sampleLayout(format: WavFormatChunk, name: string): SampleLayout {
  const { formatTag, channels, sampleRateHertz, blockAlign, bitsPerSample } = format;
  if (channels === 0) throw new ValidationError(`${name} is not a valid WAV file (0 channels)`);
  if (sampleRateHertz === 0) throw new ValidationError(`${name} is not a valid WAV file (sample rate 0)`);
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
  return { encoding, bytesPerSample: blockAlign / channels };
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

function truncatedData(name: string, declared: number, present: number): ValidationError {
  return new ValidationError(
    `${name} is a truncated WAV file (its data chunk declares ${declared} bytes but only ${Math.max(0, present)} are present)`,
  );
}

function readError(name: string, error: unknown): InworldError {
  return fileError('read', name, error, { beforeRequest: true });
}
