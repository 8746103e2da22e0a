// Headerless PCM input (`transcribe - --sample-rate 16000 --channels 2`): s16le by default, any
// channel count, down-mixed to mono as it streams.
import type { Readable } from 'node:stream';
import { ValidationError } from '../core/errors.js';
import { fileError } from '../core/file-errors.js';
import { type SampleEncoding, bytesPerSampleOf, createMonoConverter } from './pcm-convert.js';
import { type PcmSource, openByteInput } from './source.js';

export interface RawSourceOptions {
  sampleRateHertz: number;
  channels?: number;
  /** Defaults to int16 (s16le). */
  encoding?: SampleEncoding;
  name?: string;
}

/** Opens raw PCM from a path, `-` (standard input) or a stream. */
export function openRawPcmSource(input: string | Readable, options: RawSourceOptions): PcmSource {
  const { sampleRateHertz } = options;
  const channels = options.channels ?? 1;
  const encoding = options.encoding ?? 'int16';
  if (!Number.isInteger(sampleRateHertz) || sampleRateHertz <= 0) throw new ValidationError(`invalid sample rate ${sampleRateHertz}`);
  if (!Number.isInteger(channels) || channels <= 0) throw new ValidationError(`invalid channel count ${channels}`);
  const bytes = openByteInput(input, options.name);
  let closed = false;
  const close = () => {
    if (closed) return;
    closed = true;
    bytes.close();
  };
  async function* samples(): AsyncGenerator<Buffer> {
    const converter = createMonoConverter({ encoding, channels, bytesPerSample: bytesPerSampleOf(encoding) });
    try {
      for await (const chunk of bytes.stream) {
        if (closed) return;
        const out = converter.convert(chunk as Buffer);
        if (out.length > 0) yield out;
      }
    } catch (error) {
      if (closed) return;
      throw fileError('read', bytes.name, error, { beforeRequest: true });
    } finally {
      close();
    }
  }
  return { sampleRateHertz, channels: 1, close, [Symbol.asyncIterator]: () => samples() };
}
