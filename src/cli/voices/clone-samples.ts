// The recordings `voices clone` sends, checked here before anything is sent: each must be a file
// that reads, be WAV or MP3, last 3 to 15 seconds, and weigh at most 4 MB; or one recorded from
// the microphone for a given number of seconds (16 kHz mono WAV).
import { readFile, stat } from 'node:fs/promises';
import { measureDuration } from '../../audio/duration-meter.js';
import { looksLikeWav, parseWavHeader } from '../../audio/wav-reader.js';
import { ValidationError } from '../../core/errors.js';
import { fileError } from '../../core/file-errors.js';

export const MIN_SAMPLE_SECONDS = 3;
export const MAX_SAMPLE_SECONDS = 15;
export const MAX_SAMPLE_BYTES = 4 * 1024 * 1024;
const MIC_SAMPLE_RATE_HZ = 16_000;

export interface LoadedSample {
  /** The file name, or `microphone`. */
  name: string;
  audio: Buffer;
  format: 'wav' | 'mp3';
  seconds: number;
}

function looksLikeMp3(bytes: Buffer): boolean {
  return bytes.toString('latin1', 0, 3) === 'ID3' || (bytes[0] === 0xff && (bytes[1]! & 0xe0) === 0xe0);
}

/** Seconds of audio, or undefined when the bytes are neither a readable WAV nor MP3 frames. */
function durationOf(bytes: Buffer): { format: 'wav' | 'mp3'; seconds: number } | undefined {
  if (looksLikeWav(bytes)) {
    const info = parseWavHeader(bytes);
    if (!info || info.blockAlign <= 0 || info.sampleRateHertz <= 0) return undefined;
    const dataBytes = Math.min(info.dataBytes ?? Number.POSITIVE_INFINITY, bytes.length - info.dataOffset);
    return { format: 'wav', seconds: dataBytes / info.blockAlign / info.sampleRateHertz };
  }
  if (!looksLikeMp3(bytes)) return undefined;
  const seconds = measureDuration('mp3', 0, bytes);
  return seconds > 0 ? { format: 'mp3', seconds } : undefined;
}

/** Checks one recording's bytes: audio, 3 to 15 s, at most 4 MB. */
export function checkSample(name: string, audio: Buffer): LoadedSample {
  if (audio.length > MAX_SAMPLE_BYTES) {
    throw new ValidationError(`${name} is ${(audio.length / 1048576).toFixed(1)} MB; a sample may be at most 4 MB: trim it, or convert it to MP3`);
  }
  const found = durationOf(audio);
  if (!found) throw new ValidationError(`${name} is not WAV or MP3 audio; convert it (for example \`ffmpeg -i ${name} sample.wav\`)`);
  const seconds = found.seconds;
  if (seconds < MIN_SAMPLE_SECONDS || seconds > MAX_SAMPLE_SECONDS) {
    const fix = seconds < MIN_SAMPLE_SECONDS ? 'record a longer one' : `cut it to ${MAX_SAMPLE_SECONDS} s or less`;
    throw new ValidationError(`${name} lasts ${seconds.toFixed(1)} s; a sample must last ${MIN_SAMPLE_SECONDS} to ${MAX_SAMPLE_SECONDS} s: ${fix}`);
  }
  return { name, audio, format: found.format, seconds };
}

/** Reads and checks a sample file. */
export async function loadSample(path: string): Promise<LoadedSample> {
  let audio: Buffer;
  try {
    const info = await stat(path);
    if (info.isDirectory()) throw Object.assign(new Error('is a directory'), { code: 'EISDIR' });
    if (info.size > MAX_SAMPLE_BYTES) return checkSample(path, Buffer.alloc(info.size));
    audio = await readFile(path);
  } catch (error) {
    if (error instanceof ValidationError) throw error;
    throw fileError('read', path, error, { what: 'sample', beforeRequest: true });
  }
  return checkSample(path, audio);
}

/** Records `seconds` of speech from the microphone into a WAV sample. */
export async function recordSample(seconds: number, onStart: (text: string) => void, signal: AbortSignal): Promise<LoadedSample> {
  if (!Number.isFinite(seconds) || seconds < MIN_SAMPLE_SECONDS || seconds > MAX_SAMPLE_SECONDS) {
    throw new ValidationError(`--mic takes ${MIN_SAMPLE_SECONDS} to ${MAX_SAMPLE_SECONDS} seconds, not "${seconds}"`);
  }
  const { openMicrophone } = await import('../../audio/microphone.js');
  const { wavHeader } = await import('../../audio/wav-writer.js');
  const wanted = Math.round(seconds * MIC_SAMPLE_RATE_HZ) * 2;
  const mic = await openMicrophone({ sampleRateHertz: MIC_SAMPLE_RATE_HZ });
  onStart(`Recording ${seconds} s from the microphone (${mic.recorder}); speak now.`);
  const chunks: Buffer[] = [];
  let bytes = 0;
  const stop = () => mic.close();
  signal.addEventListener('abort', stop, { once: true });
  try {
    for await (const chunk of mic) {
      chunks.push(chunk);
      bytes += chunk.length;
      if (bytes >= wanted) break;
    }
  } finally {
    signal.removeEventListener('abort', stop);
    mic.close();
  }
  if (signal.aborted) throw signal.reason;
  const pcm = Buffer.concat(chunks).subarray(0, wanted);
  const audio = Buffer.concat([wavHeader({ sampleRateHertz: MIC_SAMPLE_RATE_HZ, channels: 1, bitsPerSample: 16, dataBytes: pcm.length }), pcm]);
  return checkSample('the microphone recording', audio);
}
