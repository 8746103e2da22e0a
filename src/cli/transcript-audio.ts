// The bridge between `inworld transcribe` and the audio layer (src/audio): opening WAV streams,
// other formats through ffmpeg, the microphone, and converting PCM to what the STT API takes.
//
// PROVISIONAL: the audio layer's WAV reader, down-mixer, resampler, ffmpeg decoder and
// microphone source were not in the tree yet when this was written. Until they are, this file
// reads 16-bit PCM WAV itself (walking the RIFF chunks) and sends interleaved channels as they
// are (the API takes numberOfChannels), which keeps the command usable for 16-bit WAV and raw
// PCM at 8–48 kHz. Everything else is reported as not yet supported.

import { open } from 'node:fs/promises';
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
  input: AsyncIterable<Buffer>;
  stop: () => void;
}

export function convertPcm(pcm: PcmInput): TranscribeSource {
  if (pcm.sampleRateHertz < MIN_RATE_HZ || pcm.sampleRateHertz > MAX_RATE_HZ) {
    pcm.stop();
    throw new ValidationError(`${pcm.sampleRateHertz} Hz audio is outside the 8–48 kHz the STT API accepts`, {
      hint: 'Resample it first, e.g. ffmpeg -i in.wav -ar 16000 out.wav',
    });
  }
  return {
    kind: pcm.kind,
    sampleRateHertz: pcm.sampleRateHertz,
    channels: pcm.channels,
    description: pcm.description,
    audio: frameAligned(pcm.input, pcm.channels * 2),
    stop: pcm.stop,
  };
}

/** Passes whole sample frames only, carrying a split frame over to the next chunk. */
async function* frameAligned(input: AsyncIterable<Buffer>, frameBytes: number): AsyncGenerator<Buffer> {
  let carry = Buffer.alloc(0);
  for await (const chunk of input) {
    const data = carry.length > 0 ? Buffer.concat([carry, chunk]) : chunk;
    const whole = data.length - (data.length % frameBytes);
    carry = Buffer.from(data.subarray(whole));
    if (whole > 0) yield data.subarray(0, whole);
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

function checkLayout(name: string, layout: WavLayout): void {
  if (layout.channels < 1 || layout.sampleRate < 1) throw new ValidationError(`${name} is not a valid WAV file (0 channels or 0 Hz)`);
  if (layout.formatTag !== WAVE_FORMAT_PCM || layout.bitsPerSample !== 16) {
    const kind = layout.formatTag === 3 ? `${layout.bitsPerSample}-bit float` : layout.formatTag === WAVE_FORMAT_PCM ? `${layout.bitsPerSample}-bit integer` : `format ${layout.formatTag}`;
    throw new ValidationError(`${name} is ${kind} WAV, which this build cannot read yet (16-bit PCM only)`, {
      hint: 'Convert it first, e.g. ffmpeg -i in.wav -c:a pcm_s16le out.wav',
    });
  }
}

export async function openWavStream(kind: SourceKind, name: string, bytes: AsyncIterable<Buffer>, stop: () => void): Promise<TranscribeSource> {
  const iterator = bytes[Symbol.asyncIterator]();
  try {
    const { layout, rest, ended } = await readWavHead(name, iterator);
    checkLayout(name, layout);
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
    return convertPcm({ kind, description: `${name}: WAV ${layout.sampleRate} Hz, ${layout.channels} channel(s)`, sampleRateHertz: layout.sampleRate, channels: layout.channels, input: data(), stop });
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
