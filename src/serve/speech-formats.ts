// OpenAI's `response_format` values and how each is made from Inworld's audio: mp3, opus and flac
// are Inworld encodings sent as they come; wav and pcm are Inworld's LINEAR16 (headers already
// stripped by the library) with a streaming WAV header or nothing; aac is LINEAR16 encoded by
// ffmpeg on the gateway's machine. Every format is 24 kHz mono, as OpenAI's are.
import type { AudioEncoding } from '../tts/options.js';

export const SPEECH_FORMATS = ['mp3', 'opus', 'aac', 'flac', 'wav', 'pcm'] as const;
export type SpeechFormat = (typeof SPEECH_FORMATS)[number];
export const DEFAULT_SPEECH_FORMAT: SpeechFormat = 'mp3';
/** OpenAI's rate for every format (and the only rate of its `pcm`). */
export const SPEECH_SAMPLE_RATE_HZ = 24_000;

export interface SpeechFormatPlan {
  /** What Inworld is asked for. */
  encoding: AudioEncoding;
  contentType: string;
  /** Bytes sent before the audio (the WAV header). */
  header?: 'wav';
  /** Encoded on the gateway from LINEAR16. */
  transcode?: 'aac';
}

export const SPEECH_FORMAT_PLANS: Readonly<Record<SpeechFormat, SpeechFormatPlan>> = {
  mp3: { encoding: 'MP3', contentType: 'audio/mpeg' },
  opus: { encoding: 'OGG_OPUS', contentType: 'audio/ogg' },
  aac: { encoding: 'LINEAR16', contentType: 'audio/aac', transcode: 'aac' },
  flac: { encoding: 'FLAC', contentType: 'audio/flac' },
  wav: { encoding: 'LINEAR16', contentType: 'audio/wav', header: 'wav' },
  pcm: { encoding: 'LINEAR16', contentType: 'audio/pcm' },
};

export function isSpeechFormat(value: unknown): value is SpeechFormat {
  return typeof value === 'string' && (SPEECH_FORMATS as readonly string[]).includes(value);
}
