// The audio of one HTTP synthesis response, normalised as it arrives: WAV headers removed, samples
// kept whole across chunks, its duration measured from the bytes.
import { AudioDurationMeter, meteredContainerFor } from '../audio/duration-meter.js';
import { stripWavHeader, type WavInfo } from '../audio/wav-reader.js';
import type { AudioFormat } from './http-types.js';
import { bytesPerSecond, isPcm16Encoding, type AudioEncoding } from './options.js';

/** The container of an encoding's bytes as the server sends them, once WAV headers are removed. */
export function containerFor(encoding: AudioEncoding): AudioFormat['container'] {
  return meteredContainerFor(encoding) ?? 'pcm_s16le';
}

/**
 * Per-response audio normaliser: strips WAV headers for headerful-PCM encodings, keeps 16-bit
 * samples whole across chunks (an odd byte waits for the next chunk), counts raw bytes.
 */
export class AudioAssembler {
  readonly encoding: AudioEncoding;
  sampleRateHertz: number;
  channels = 1;
  /** Audio bytes handed out (after header removal). */
  bytes = 0;
  private carry: Buffer | undefined;
  private readonly frameBytes: number;
  private readonly raw: boolean;
  /** Created with the first audio, once a WAV header may have given the true rate and channels. */
  private meter: AudioDurationMeter | undefined;
  wav?: WavInfo;

  constructor(encoding: AudioEncoding, sampleRateHertz: number) {
    this.encoding = encoding;
    this.sampleRateHertz = sampleRateHertz;
    this.raw = bytesPerSecond(encoding, sampleRateHertz) !== undefined;
    this.frameBytes = isPcm16Encoding(encoding) ? 2 : 1;
  }

  /** Returns the audio to hand out for one decoded chunk (possibly empty). */
  push(chunk: Buffer): Buffer {
    if (!this.raw) {
      this.bytes += chunk.length;
      this.measure(chunk);
      return chunk;
    }
    const stripped = stripWavHeader(chunk);
    if (stripped.wav && !this.wav) {
      this.wav = stripped.wav;
      if (stripped.wav.sampleRateHertz > 0) this.sampleRateHertz = stripped.wav.sampleRateHertz;
      if (stripped.wav.channels > 0) this.channels = stripped.wav.channels;
    }
    let audio = stripped.audio;
    if (this.carry) {
      audio = Buffer.concat([this.carry, audio]);
      this.carry = undefined;
    }
    const frame = this.frameBytes * this.channels;
    const extra = audio.length % frame;
    if (extra !== 0) {
      this.carry = Buffer.from(audio.subarray(audio.length - extra));
      audio = audio.subarray(0, audio.length - extra);
    }
    this.bytes += audio.length;
    this.measure(audio);
    return audio;
  }

  private measure(audio: Buffer): void {
    if (audio.length === 0) return;
    this.meter ??= new AudioDurationMeter(containerFor(this.encoding), this.sampleRateHertz, this.channels);
    this.meter.push(audio);
  }

  /** Bytes left over at the end of a response that do not make a whole sample (dropped). */
  get danglingBytes(): number {
    return this.carry?.length ?? 0;
  }

  /** Seconds of audio handed out so far, measured from the bytes (every encoding). */
  durationSeconds(): number {
    return this.meter?.seconds ?? 0;
  }

  format(): AudioFormat {
    return { encoding: this.encoding, container: containerFor(this.encoding), sampleRateHertz: this.sampleRateHertz, channels: this.channels };
  }
}
