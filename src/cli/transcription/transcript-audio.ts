// The bridge between `inworld transcribe` and the audio layer (src/audio): WAV through the
// streaming RIFF reader, other formats through ffmpeg, raw s16le from a pipe, the microphone.
// Every source yields s16le mono; WAV and raw audio keep their own rate when it is within the
// API's 8–48 kHz (no resampling needed) and are resampled to 16 kHz by the audio layer's
// anti-aliasing resampler otherwise; ffmpeg decodes straight to 16 kHz.
//
// Each source is "primed" here: its first chunk is read before the command connects, so a file
// ffmpeg cannot decode, or a WAV cut short in its header, is a usage error (exit 2) with no request.

import type { RecorderName } from '../../audio/microphone.js';
import { open } from 'node:fs/promises';
import { Readable } from 'node:stream';
import { primeSource, type PcmSource } from '../../audio/source.js';
import { looksLikeWav } from '../../audio/wav-reader.js';
import { ValidationError } from '../../core/errors.js';
import { fileError } from '../../core/file-errors.js';
import type { SourceKind, TranscribeSource } from './transcript-source.js';

const MIN_RATE_HZ = 8_000;
const MAX_RATE_HZ = 48_000;
/** What ffmpeg decodes to, and what out-of-range rates are resampled to: the rate the API recommends. */
const DECODE_RATE_HZ = 16_000;
const RESAMPLE_RATE_HZ = 16_000;
const SNIFF_BYTES = 12;

/** Pulls the first chunk now (surfacing decode errors before any connection) and re-yields it. */
async function prime(kind: SourceKind, description: string, source: PcmSource): Promise<TranscribeSource> {
  const { audio } = await primeSource(source);
  return { kind, sampleRateHertz: source.sampleRateHertz, channels: 1, description, audio, stop: () => source.close() };
}

/** The source as the API can take it: its own rate within 8–48 kHz, else resampled to 16 kHz. */
async function withinApiRates(source: PcmSource): Promise<{ source: PcmSource; note: string }> {
  if (source.sampleRateHertz >= MIN_RATE_HZ && source.sampleRateHertz <= MAX_RATE_HZ) return { source, note: `at ${source.sampleRateHertz} Hz` };
  const { resampleSource } = await import('../../audio/resampler.js');
  return { source: resampleSource(source, RESAMPLE_RATE_HZ), note: `resampled from ${source.sampleRateHertz} to ${RESAMPLE_RATE_HZ} Hz` };
}

export async function openAudioFile(path: string): Promise<TranscribeSource> {
  let head: Buffer;
  try {
    const handle = await open(path, 'r');
    try {
      head = Buffer.alloc(SNIFF_BYTES);
      const { bytesRead } = await handle.read(head, 0, SNIFF_BYTES, 0);
      head = head.subarray(0, bytesRead);
    } finally {
      await handle.close();
    }
  } catch (error) {
    throw fileError('read', path, error, { beforeRequest: true });
  }
  if (looksLikeWav(head)) {
    const { openWavSource } = await import('../../audio/wav-source.js');
    const wav = await openWavSource(path);
    const { sampleRateHertz, channels } = wav.info;
    const { encoding } = wav;
    const { source, note } = await withinApiRates(wav);
    return prime('file', `${path}: WAV ${sampleRateHertz} Hz, ${channels} channel(s), ${encoding}; sent as 16-bit mono ${note}`, source);
  }
  if (head.length === 0) throw new ValidationError(`${path} is empty`);
  const { openFfmpegSource } = await import('../../audio/ffmpeg-source.js');
  return prime('file', `${path}: decoded by ffmpeg to 16-bit mono at ${DECODE_RATE_HZ} Hz`, openFfmpegSource(path, { sampleRateHertz: DECODE_RATE_HZ }));
}

/** Standard input whose first bytes were already read (to tell WAV from raw). */
export async function openStdinAudio(head: Buffer, rest: AsyncIterable<Buffer>, raw: { sampleRateHertz?: number; channels?: number }, release: () => void): Promise<TranscribeSource> {
  const stream = Readable.from(
    (async function* () {
      if (head.length > 0) yield head;
      yield* rest;
    })(),
    { objectMode: false },
  );
  const name = 'standard input';
  const withRelease = (source: PcmSource): PcmSource => ({
    sampleRateHertz: source.sampleRateHertz,
    channels: 1,
    close: () => {
      source.close();
      release();
    },
    [Symbol.asyncIterator]: () => source[Symbol.asyncIterator](),
  });
  try {
    if (looksLikeWav(head)) {
      const { openWavSource } = await import('../../audio/wav-source.js');
      const wav = await openWavSource(stream, { name });
      const { source, note } = await withinApiRates(withRelease(wav));
      return prime('stdin', `WAV on standard input, ${wav.info.sampleRateHertz} Hz, ${wav.info.channels} channel(s); sent ${note}`, source);
    }
    if (raw.sampleRateHertz === undefined) {
      if (head.length === 0) throw new ValidationError('standard input is empty', { hint: 'Pipe WAV or raw s16le audio into it' });
      throw new ValidationError('standard input is not WAV, so it is read as raw s16le, which needs --sample-rate', {
        hint: 'Add --sample-rate <hz> (and --channels <n> if not mono)',
      });
    }
    const { openRawPcmSource } = await import('../../audio/raw-source.js');
    const raw16 = withRelease(openRawPcmSource(stream, { sampleRateHertz: raw.sampleRateHertz, channels: raw.channels ?? 1, name }));
    const { source, note } = await withinApiRates(raw16);
    const audio: AsyncIterable<Buffer> = source;
    return {
      kind: 'stdin',
      sampleRateHertz: source.sampleRateHertz,
      channels: 1,
      description: `raw s16le on standard input, ${raw.sampleRateHertz} Hz, ${raw.channels ?? 1} channel(s); sent ${note}`,
      audio,
      stop: () => source.close(),
    };
  } catch (error) {
    stream.destroy();
    release();
    throw error;
  }
}

/** The default microphone at 16 kHz mono (arecord on Linux, sox's rec elsewhere). */
export async function openMicrophone(recorder?: RecorderName): Promise<TranscribeSource> {
  const microphone = await import('../../audio/microphone.js');
  const mic = await microphone.openMicrophone({ sampleRateHertz: microphone.DEFAULT_MIC_RATE_HZ, recorder });
  return {
    kind: 'mic',
    sampleRateHertz: mic.sampleRateHertz,
    channels: 1,
    description: `microphone through ${mic.recorder}, ${mic.sampleRateHertz} Hz mono`,
    audio: mic,
    stop: () => mic.stop(),
  };
}
