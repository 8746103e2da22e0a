// An uploaded audio file as the s16le mono PCM the STT session takes: WAV through the streaming
// RIFF reader, anything else through ffmpeg (as `inworld transcribe` reads files), all in memory;
// no name from the request ever reaches the file system. The first chunk is read before any
// upstream connection, so a file that is not audio is a 400 with nothing sent.
import { Readable } from 'node:stream';
import { primeSource, type PcmSource, type PrimedSource } from '../audio/source.js';
import { looksLikeWav } from '../audio/wav-reader.js';
import { badRequest } from './errors.js';

const MIN_RATE_HZ = 8_000;
const MAX_RATE_HZ = 48_000;
/** What ffmpeg decodes to, and what out-of-range WAV rates are resampled to. */
const DECODE_RATE_HZ = 16_000;

export interface UploadAudio {
  sampleRateHertz: number;
  audio: AsyncIterable<Buffer>;
  close(): void;
}

export async function openUploadAudio(bytes: Buffer, name: string): Promise<UploadAudio> {
  if (bytes.length === 0) throw badRequest(`the file "${name}" is empty`, 'file');
  let source: PcmSource;
  try {
    source = await decoder(bytes, name);
  } catch (error) {
    throw notAudio(name, error);
  }
  let primed: PrimedSource;
  try {
    primed = await primeSource(source);
  } catch (error) {
    throw notAudio(name, error);
  }
  if (primed.empty) {
    source.close();
    throw badRequest(`the file "${name}" holds no audio`, 'file');
  }
  return { sampleRateHertz: source.sampleRateHertz, audio: primed.audio, close: () => source.close() };
}

async function decoder(bytes: Buffer, name: string): Promise<PcmSource> {
  const input = Readable.from([bytes]);
  if (looksLikeWav(bytes)) {
    const { openWavSource } = await import('../audio/wav-source.js');
    const wav = await openWavSource(input, { name });
    if (wav.sampleRateHertz >= MIN_RATE_HZ && wav.sampleRateHertz <= MAX_RATE_HZ) return wav;
    const { resampleSource } = await import('../audio/resampler.js');
    return resampleSource(wav, DECODE_RATE_HZ);
  }
  const { openFfmpegSource } = await import('../audio/ffmpeg-source.js');
  return openFfmpegSource(input, { sampleRateHertz: DECODE_RATE_HZ, name });
}

function notAudio(name: string, error: unknown) {
  const why = (error as Error).message ?? String(error);
  return badRequest(`the file "${name}" is not audio the gateway can read (${why}); send WAV, MP3, FLAC, OGG, M4A or WebM`, 'file', 'invalid_file');
}
