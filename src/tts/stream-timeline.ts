// The audio side of one TTS context: server audio frames turned into chunks (RIFF headers
// stripped for LINEAR16/WAV), and a timeline across generations. Timestamps restart at 0 with
// every generation on the wire; here they carry a running offset so they stay monotonic for the
// whole stream.
import { AudioDurationMeter, meteredContainerFor } from '../audio/duration-meter.js';
import { lastEndSeconds, offsetTimestamps, parseTimestampInfo } from './timestamps.js';
import type { TtsStreamChunk } from './stream-types.js';
import { stripWavHeader } from '../audio/wav-reader.js';
import type { WireTimestampInfo, WsCreateConfig } from './ws-protocol.js';

export class AudioTimeline {
  private generation = 0;
  private elapsedSeconds = 0;
  private generationEndSeconds = 0;
  private readonly strip: boolean;
  /** Measures the audio received, which places each generation where its audio really starts. */
  private readonly meter: AudioDurationMeter | undefined;

  constructor(audioConfig: WsCreateConfig['audioConfig'], stripHeaders: boolean) {
    const encoding = audioConfig?.audioEncoding;
    this.strip = stripHeaders && (encoding === 'LINEAR16' || encoding === 'WAV');
    // LINEAR16 keeps a WAV header on every chunk unless stripped: then there is nothing to measure.
    const container = encoding === 'LINEAR16' && !this.strip ? undefined : meteredContainerFor(encoding);
    const rate = audioConfig?.sampleRateHertz ?? 0;
    this.meter = container && (rate > 0 || container === 'mp3' || container === 'ogg_opus') ? new AudioDurationMeter(container, rate) : undefined;
  }

  /** Seconds of audio timeline completed so far (the running timestamp offset). */
  get offsetSeconds(): number {
    return this.elapsedSeconds;
  }

  /** The chunk for one audio frame, or undefined when it carries neither audio nor timestamps. */
  audioChunk(audioBase64: string | undefined, info: WireTimestampInfo | undefined): TtsStreamChunk | undefined {
    let audio: Buffer = audioBase64 ? Buffer.from(audioBase64, 'base64') : Buffer.alloc(0);
    if (this.strip) audio = stripWavHeader(audio).audio;
    const parsed = info ? parseTimestampInfo(info) : undefined;
    const timestamps = parsed ? offsetTimestamps(parsed, this.elapsedSeconds) : undefined;
    const hasTimes = (timestamps?.words?.length ?? 0) + (timestamps?.characters?.length ?? 0) > 0;
    if (hasTimes) this.generationEndSeconds = Math.max(this.generationEndSeconds, lastEndSeconds(timestamps));
    if (audio.length === 0 && !hasTimes) return undefined;
    this.meter?.push(audio);
    const chunk: TtsStreamChunk = { type: 'audio', audio, generation: this.generation };
    if (hasTimes) chunk.timestamps = timestamps;
    return chunk;
  }

  /** `flushCompleted`: the chunk that ends the current generation; the next one starts after it. */
  endGeneration(): TtsStreamChunk {
    const generation = this.generation;
    this.advance();
    this.generation += 1;
    return { type: 'generationEnd', generation, endSeconds: this.elapsedSeconds };
  }

  /**
   * The next generation's timestamps start where this one ended: at the end of the audio received
   * so far (measured from the bytes: trailing silence and encoder padding included), or at its last
   * timestamp when the audio cannot be measured.
   */
  advance(): void {
    const end = this.meter ? this.meter.seconds : this.generationEndSeconds;
    this.elapsedSeconds = Math.max(this.elapsedSeconds, end);
  }
}
