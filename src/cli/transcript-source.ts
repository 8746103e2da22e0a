// Where `inworld transcribe` gets its audio: the microphone, a file, or standard input (WAV, or
// raw s16le with --sample-rate). Everything that can be wrong with the input (not audio, a
// truncated or unsupported WAV, raw stdin without a rate, no recorder) is found here, before any
// connection, and reported as a ValidationError (exit 2) or AudioDeviceError.
//
// What is sent: 16-bit PCM at the input's own rate when it is within the API's 8–48 kHz (no
// resampling needed), down-mixed to mono; other rates are resampled to 16 kHz.

import { ValidationError } from '../core/errors.js';

export type SourceKind = 'mic' | 'file' | 'stdin';

export interface TranscribeSource {
  kind: SourceKind;
  /** Rate and channel count of the PCM in `audio` (what the session announces). */
  sampleRateHertz: number;
  channels: number;
  /** For --verbose: what was opened and how it is converted. */
  description: string;
  /** s16le PCM, in order; ends at end of input (or after stop()). */
  audio: AsyncIterable<Buffer>;
  /** Stops reading (and recording); safe to call more than once. */
  stop(): void;
}

export interface SourceRequest {
  mic: boolean;
  file?: string;
  sampleRate?: number;
  channels?: number;
  stdin: NodeJS.ReadableStream;
}

/** Bytes needed to tell a WAV (RIFF....WAVE) from raw PCM. */
const SNIFF_BYTES = 12;

export async function openTranscribeSource(request: SourceRequest): Promise<TranscribeSource> {
  if (request.mic) return openMic();
  if (request.file === '-' || request.file === undefined) return openStdin(request);
  if (request.sampleRate !== undefined || request.channels !== undefined) {
    throw new ValidationError('--sample-rate and --channels describe raw audio on standard input, not files', { hint: 'Drop them, or pipe the raw audio with -' });
  }
  return openFile(request.file);
}

async function openStdin(request: SourceRequest): Promise<TranscribeSource> {
  const reader = request.stdin[Symbol.asyncIterator]() as AsyncIterator<Buffer | string>;
  const head: Buffer[] = [];
  let headBytes = 0;
  let ended = false;
  while (headBytes < SNIFF_BYTES) {
    const next = await reader.next();
    if (next.done) {
      ended = true;
      break;
    }
    const chunk = typeof next.value === 'string' ? Buffer.from(next.value) : next.value;
    head.push(chunk);
    headBytes += chunk.length;
  }
  const first = Buffer.concat(head);
  let stopped = false;
  async function* bytes(): AsyncGenerator<Buffer> {
    if (first.length > 0) yield first;
    if (ended) return;
    for (;;) {
      if (stopped) return;
      const next = await reader.next();
      if (next.done) return;
      yield typeof next.value === 'string' ? Buffer.from(next.value) : next.value;
    }
  }
  const stop = () => {
    if (stopped) return;
    stopped = true;
    // A read pending on an open pipe only ends when the stream is destroyed.
    const stream = request.stdin as NodeJS.ReadableStream & { destroy?: () => void };
    stream.destroy?.();
    void reader.return?.()?.catch(() => {});
  };
  if (isWavHead(first)) {
    const { openWavStream } = await audioModules();
    return openWavStream('stdin', 'standard input', bytes(), stop);
  }
  if (request.sampleRate === undefined) {
    stop();
    if (first.length === 0) throw new ValidationError('standard input is empty', { hint: 'Pipe WAV or raw s16le audio into it' });
    throw new ValidationError('standard input is not WAV, so it is read as raw s16le, which needs --sample-rate', {
      hint: 'Add --sample-rate <hz> (and --channels <n> if not mono)',
    });
  }
  const channels = request.channels ?? 1;
  return rawPcmSource('stdin', `raw s16le on standard input, ${request.sampleRate} Hz, ${channels} channel(s)`, request.sampleRate, channels, bytes(), stop);
}

export function isWavHead(head: Buffer): boolean {
  return head.length >= SNIFF_BYTES && head.toString('latin1', 0, 4) === 'RIFF' && head.toString('latin1', 8, 12) === 'WAVE';
}

async function openFile(path: string): Promise<TranscribeSource> {
  const { openAudioFile } = await audioModules();
  return openAudioFile(path);
}

async function openMic(): Promise<TranscribeSource> {
  const { openMicrophone } = await audioModules();
  return openMicrophone();
}

/** Raw interleaved s16le: frame-aligned as it passes, down-mixed and resampled as needed. */
export async function rawPcmSource(
  kind: SourceKind,
  description: string,
  sampleRateHertz: number,
  channels: number,
  input: AsyncIterable<Buffer>,
  stop: () => void,
): Promise<TranscribeSource> {
  const { convertPcm } = await audioModules();
  return convertPcm({ kind, description, sampleRateHertz, channels, input, stop });
}

async function audioModules(): Promise<typeof import('./transcript-audio.js')> {
  return import('./transcript-audio.js');
}
