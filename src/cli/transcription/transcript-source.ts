// Where `inworld transcribe` gets its audio: the microphone, a file, or standard input (WAV, or
// raw s16le with --sample-rate). Everything that can be wrong with the input (not audio, a
// truncated or unsupported WAV, raw stdin without a rate, no recorder) is found here, before any
// connection, and reported as a ValidationError (exit 2) or AudioDeviceError.
//
// What is sent: 16-bit mono PCM at the input's own rate when it is within the API's 8–48 kHz (no
// resampling needed); other formats and rates are decoded by ffmpeg to 16 kHz (transcript-audio.ts).

import type { RecorderName } from '../../audio/microphone.js';
import { ValidationError } from '../../core/errors.js';

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
  /** The recorder program for --mic (default: the platform's first one installed). */
  recorder?: RecorderName;
  file?: string;
  sampleRateHertz?: number;
  channels?: number;
  stdin: NodeJS.ReadableStream;
}

/** Bytes needed to tell a WAV (RIFF....WAVE) from raw PCM. */
const SNIFF_BYTES = 12;

export async function openTranscribeSource(request: SourceRequest): Promise<TranscribeSource> {
  const audio = await import('./transcript-audio.js');
  if (request.mic) return audio.openMicrophone(request.recorder);
  if (request.file === '-' || request.file === undefined) return openStdin(request);
  if (request.sampleRateHertz !== undefined || request.channels !== undefined) {
    throw new ValidationError('--sample-rate and --channels describe raw audio on standard input, not files', { hint: 'Drop them, or pipe the raw audio with -' });
  }
  return audio.openAudioFile(request.file);
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
  let released = false;
  async function* rest(): AsyncGenerator<Buffer> {
    if (ended) return;
    for (;;) {
      if (released) return;
      const next = await reader.next();
      if (next.done) return;
      yield typeof next.value === 'string' ? Buffer.from(next.value) : next.value;
    }
  }
  const release = () => {
    if (released) return;
    released = true;
    // A read pending on an open pipe only ends when the stream is destroyed; the command is
    // finishing, so nothing else needs standard input any more.
    (request.stdin as NodeJS.ReadableStream & { destroy?: () => void }).destroy?.();
  };
  const { openStdinAudio } = await import('./transcript-audio.js');
  return openStdinAudio(Buffer.concat(head), rest(), { sampleRateHertz: request.sampleRateHertz, channels: request.channels }, release);
}
