// The bridge between `inworld transcribe` and the audio layer (src/audio): opening WAV streams,
// other formats through ffmpeg, the microphone, and converting PCM to what the STT API takes.
//
// PROVISIONAL in part: the audio layer's WAV reader, resampler, ffmpeg decoder and microphone
// source were not in the tree yet when this was written. Until they are, this file walks the
// RIFF chunks of a WAV itself; the down-mix to mono (any integer/float layout) is the audio
// layer's converter. Rates outside 8–48 kHz, non-WAV files and --mic are reported as not yet
// supported, with the workaround.

import { open } from 'node:fs/promises';
import { createMonoConverter, bytesPerSampleOf, type SampleEncoding } from '../audio/pcm-convert.js';
import { ValidationError } from '../core/errors.js';
import type { SourceKind, TranscribeSource } from './transcript-source.js';

const MIN_RATE_HZ = 8_000;
const MAX_RATE_HZ = 48_000;
const READ_CHUNK_BYTES = 64 * 1024;
const WAVE_FORMAT_PCM = 1;
const WAVE_FORMAT_EXTENSIBLE = 0xfffe;
const RIFF_HEADER_BYTES = 12;
const CHUNK_HEADER_BYTES = 8;
/** Largest header area searched for the data chunk (a WAV with huge metadata is still valid). */
const MAX_HEADER_SEARCH_BYTES = 4 * 1024 * 1024;

export interface PcmInput {
  kind: SourceKind;
  description: string;
  sampleRateHertz: number;
  channels: number;
  /** Sample layout of `input`; default 16-bit integer. */
  encoding?: SampleEncoding;
  bytesPerSample?: number;
  input: AsyncIterable<Buffer>;
  stop: () => void;
}

/** Down-mixes to 16-bit mono at the input's own rate (the API takes 8–48 kHz as is). */
export function convertPcm(pcm: PcmInput): TranscribeSource {
  if (pcm.sampleRateHertz < MIN_RATE_HZ || pcm.sampleRateHertz > MAX_RATE_HZ) {
    pcm.stop();
    throw new ValidationError(`${pcm.sampleRateHertz} Hz audio is outside the 8–48 kHz the STT API accepts`, {
      hint: 'Resample it first, e.g. ffmpeg -i in.wav -ar 16000 out.wav',
    });
  }
  const encoding = pcm.encoding ?? 'int16';
  const converter = createMonoConverter({ encoding, channels: pcm.channels, bytesPerSample: pcm.bytesPerSample ?? bytesPerSampleOf(encoding) });
  const mixed = pcm.channels > 1 || encoding !== 'int16' ? ', down-mixed to 16-bit mono' : '';
  return {
    kind: pcm.kind,
    sampleRateHertz: pcm.sampleRateHertz,
    channels: 1,
    description: `${pcm.description}${mixed}`,
    audio: mono(pcm.input, converter),
    stop: pcm.stop,
  };
}

async function* mono(input: AsyncIterable<Buffer>, converter: ReturnType<typeof createMonoConverter>): AsyncGenerator<Buffer> {
  for await (const chunk of input) {
    const out = converter.convert(chunk);
    if (out.length > 0) yield out;
  }
}

interface WavLayout {
  sampleRate: number;
  channels: number;
  bitsPerSample: number;
  formatTag: number;
  /** Byte offset of the sample data and its declared length (undefined: to end of stream). */
  dataOffset: number;
  dataBytes?: number;
}

/** Reads the RIFF chunks up to `data` from the head of a stream; returns the layout and the rest. */
async function readWavHead(name: string, input: AsyncIterator<Buffer>): Promise<{ layout: WavLayout; rest: Buffer; ended: boolean }> {
  let buffer = Buffer.alloc(0);
  let ended = false;
  const need = async (bytes: number) => {
    while (buffer.length < bytes && !ended) {
      const next = await input.next();
      if (next.done) ended = true;
      else buffer = Buffer.concat([buffer, next.value]);
    }
    if (buffer.length < bytes) throw new ValidationError(`${name} is a truncated WAV file (it ends inside its header)`);
  };
  await need(RIFF_HEADER_BYTES);
  let offset = RIFF_HEADER_BYTES;
  let format: Omit<WavLayout, 'dataOffset' | 'dataBytes'> | undefined;
  for (;;) {
    if (offset > MAX_HEADER_SEARCH_BYTES) throw new ValidationError(`${name}: no audio data found in the first ${MAX_HEADER_SEARCH_BYTES} bytes`);
    await need(offset + CHUNK_HEADER_BYTES);
    const id = buffer.toString('latin1', offset, offset + 4);
    const size = buffer.readUInt32LE(offset + 4);
    const body = offset + CHUNK_HEADER_BYTES;
    if (id === 'data') {
      if (!format) throw new ValidationError(`${name} is not a valid WAV file (audio data before its format chunk)`);
      const streaming = size === 0 || size === 0xffffffff;
      return { layout: { ...format, dataOffset: body, ...(streaming ? {} : { dataBytes: size }) }, rest: buffer.subarray(body), ended };
    }
    if (id === 'fmt ') {
      await need(body + Math.min(size, 40));
      if (size < 16) throw new ValidationError(`${name} is not a valid WAV file (short format chunk)`);
      let formatTag = buffer.readUInt16LE(body);
      if (formatTag === WAVE_FORMAT_EXTENSIBLE && size >= 26) formatTag = buffer.readUInt16LE(body + 24);
      format = { formatTag, channels: buffer.readUInt16LE(body + 2), sampleRate: buffer.readUInt32LE(body + 4), bitsPerSample: buffer.readUInt16LE(body + 14) };
    }
    offset = body + size + (size % 2);
  }
}

const WAVE_FORMAT_IEEE_FLOAT = 3;
const WAVE_FORMAT_ALAW = 6;
const WAVE_FORMAT_MULAW = 7;

/** The sample encoding of a WAV layout, or a ValidationError naming what is not supported. */
function encodingOf(name: string, layout: WavLayout): { encoding: SampleEncoding; bytesPerSample: number } {
  if (layout.channels < 1 || layout.sampleRate < 1) throw new ValidationError(`${name} is not a valid WAV file (0 channels or 0 Hz)`);
  const bytesPerSample = Math.ceil(layout.bitsPerSample / 8);
  const tag = layout.formatTag;
  const bits = layout.bitsPerSample;
  if (tag === WAVE_FORMAT_PCM) {
    if (bits <= 8) return { encoding: 'uint8', bytesPerSample: 1 };
    if (bits <= 16) return { encoding: 'int16', bytesPerSample: 2 };
    if (bits <= 24) return { encoding: 'int24', bytesPerSample: 3 };
    if (bits <= 32) return { encoding: 'int32', bytesPerSample: 4 };
  }
  if (tag === WAVE_FORMAT_IEEE_FLOAT && bits === 32) return { encoding: 'float32', bytesPerSample };
  if (tag === WAVE_FORMAT_IEEE_FLOAT && bits === 64) return { encoding: 'float64', bytesPerSample };
  if (tag === WAVE_FORMAT_ALAW && bits === 8) return { encoding: 'alaw', bytesPerSample: 1 };
  if (tag === WAVE_FORMAT_MULAW && bits === 8) return { encoding: 'mulaw', bytesPerSample: 1 };
  throw new ValidationError(`${name} is an unsupported WAV format (format tag ${tag}, ${bits} bits per sample)`, {
    hint: 'Convert it to PCM first, e.g. ffmpeg -i in.wav -c:a pcm_s16le out.wav',
  });
}

export async function openWavStream(kind: SourceKind, name: string, bytes: AsyncIterable<Buffer>, stop: () => void): Promise<TranscribeSource> {
  const iterator = bytes[Symbol.asyncIterator]();
  try {
    const { layout, rest, ended } = await readWavHead(name, iterator);
    const { encoding, bytesPerSample } = encodingOf(name, layout);
    async function* data(): AsyncGenerator<Buffer> {
      let remaining = layout.dataBytes ?? Number.POSITIVE_INFINITY;
      let chunk: Buffer | undefined = rest;
      while (chunk !== undefined) {
        const take = chunk.subarray(0, Math.min(chunk.length, remaining));
        remaining -= take.length;
        if (take.length > 0) yield take;
        if (remaining <= 0 || ended) return;
        const next = await iterator.next();
        chunk = next.done ? undefined : next.value;
      }
    }
    return convertPcm({
      kind,
      description: `${name}: WAV ${layout.sampleRate} Hz, ${layout.channels} channel(s), ${encoding}`,
      sampleRateHertz: layout.sampleRate,
      channels: layout.channels,
      encoding,
      bytesPerSample,
      input: data(),
      stop,
    });
  } catch (error) {
    stop();
    throw error;
  }
}

export async function openAudioFile(path: string): Promise<TranscribeSource> {
  let handle;
  try {
    handle = await open(path, 'r');
  } catch (error) {
    const code = (error as { code?: string }).code;
    throw new ValidationError(`cannot read ${path}: ${code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'it is a directory' : ((error as Error).message)}`);
  }
  const file = handle;
  const size = (await file.stat()).size;
  const head = Buffer.alloc(RIFF_HEADER_BYTES);
  const { bytesRead } = await file.read(head, 0, RIFF_HEADER_BYTES, 0);
  const isWav = bytesRead === RIFF_HEADER_BYTES && head.toString('latin1', 0, 4) === 'RIFF' && head.toString('latin1', 8, 12) === 'WAVE';
  if (!isWav) {
    await file.close();
    throw new ValidationError(`${path} is not a WAV file, and this build cannot decode other formats yet`, {
      hint: 'Convert it first, e.g. ffmpeg -i input -ar 16000 -ac 1 out.wav',
    });
  }
  let stopped = false;
  const stop = () => {
    if (stopped) return;
    stopped = true;
    void file.close().catch(() => {});
  };
  async function* bytes(): AsyncGenerator<Buffer> {
    let position = 0;
    while (!stopped) {
      const buffer = Buffer.alloc(READ_CHUNK_BYTES);
      const { bytesRead: read } = await file.read(buffer, 0, READ_CHUNK_BYTES, position);
      if (read === 0) break;
      position += read;
      yield buffer.subarray(0, read);
    }
    stop();
  }
  const source = await openWavStream('file', path, bytes(), stop);
  // A declared data size beyond the end of the file means the file was cut short.
  const declared = await declaredDataEnd(path);
  if (declared !== undefined && declared > size) {
    stop();
    throw new ValidationError(`${path} is a truncated WAV file (its header promises ${declared} bytes, the file has ${size})`);
  }
  return source;
}

async function declaredDataEnd(path: string): Promise<number | undefined> {
  const handle = await open(path, 'r');
  try {
    const name = path;
    const reader = (async function* () {
      const buffer = Buffer.alloc(READ_CHUNK_BYTES);
      const { bytesRead } = await handle.read(buffer, 0, READ_CHUNK_BYTES, 0);
      yield buffer.subarray(0, bytesRead);
    })();
    const { layout } = await readWavHead(name, reader[Symbol.asyncIterator]());
    return layout.dataBytes === undefined ? undefined : layout.dataOffset + layout.dataBytes;
  } catch {
    return undefined;
  } finally {
    await handle.close();
  }
}

export async function openMicrophone(): Promise<TranscribeSource> {
  throw new ValidationError('--mic is not available in this build yet', { hint: 'Pipe a recorder instead: arecord -f S16_LE -r 16000 -c 1 -t raw | inworld transcribe - --sample-rate 16000' });
}
