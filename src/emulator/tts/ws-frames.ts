// What the TTS WebSocket sends for one generation, as serialized result frames: the audio cut into
// chunks of `streamChunkMs`, SYNC timestamps riding with the chunk their words start in, usage on
// the first chunk. Kept apart from the session so the framing reads on its own.
import type { AudioEncoder } from '../codecs/encoders.js';
import { GRPC_OK } from '../server/grpc.js';
import type { RenderedSpeech, TimedText } from './speech.js';
import type { ContextConfig } from './ws-config.js';

export interface AudioFrame {
  json: string;
  /** Audio duration of the frame, for realtime pacing. */
  ms: number;
}

/** A successful result frame for a context, serialized. */
export function resultJson(contextId: string, event: Record<string, unknown>): string {
  return JSON.stringify({ result: { contextId, ...event, status: { code: GRPC_OK, message: '', details: [] } } });
}

/** The WORD or CHARACTER items the config asks for, if any. */
export function timedItems(config: ContextConfig, speech: RenderedSpeech): readonly TimedText[] | undefined {
  return config.timestampType === 'WORD' ? speech.words : config.timestampType === 'CHARACTER' ? speech.characters : undefined;
}

export function audioFrames(
  contextId: string,
  config: ContextConfig,
  encoder: AudioEncoder,
  spoken: string,
  speech: RenderedSpeech,
  streamChunkMs: number,
): AudioFrame[] {
  const timed = timedItems(config, speech);
  const samplesPerChunk = Math.max(1, Math.round((config.sampleRateHertz * streamChunkMs) / 1000));
  const chunkCount = Math.max(1, Math.ceil(speech.samples.length / samplesPerChunk));
  const frames: AudioFrame[] = [];
  let usageSent = false;
  for (let i = 0; i < chunkCount; i++) {
    const last = i === chunkCount - 1;
    const samples = speech.samples.subarray(i * samplesPerChunk, Math.min(speech.samples.length, (i + 1) * samplesPerChunk));
    let bytes = samples.length > 0 ? encoder.write(samples) : Buffer.alloc(0);
    // An Ogg stream spans the whole context, so only the context's close ends it.
    if (last && config.encoding !== 'OGG_OPUS') bytes = Buffer.concat([bytes, encoder.end()]);
    const chunk: Record<string, unknown> = {};
    if (bytes.length > 0) chunk.audioContent = bytes.toString('base64');
    if (timed && config.transport === 'SYNC') {
      const from = (i * samplesPerChunk) / config.sampleRateHertz;
      const to = last ? Number.POSITIVE_INFINITY : ((i + 1) * samplesPerChunk) / config.sampleRateHertz;
      const info = timestampInfo(config.timestampType, timed.filter((t) => t.startSeconds >= from && t.startSeconds < to));
      if (info) chunk.timestampInfo = info;
    }
    if (chunk.audioContent === undefined && chunk.timestampInfo === undefined) continue;
    if (!usageSent) {
      chunk.usage = { processedCharactersCount: [...spoken].length, modelId: config.modelId };
      usageSent = true;
    }
    frames.push({ json: resultJson(contextId, { audioChunk: chunk }), ms: (samples.length / config.sampleRateHertz) * 1000 });
  }
  return frames;
}

export function timestampInfo(type: ContextConfig['timestampType'], items: readonly TimedText[]): Record<string, unknown> | undefined {
  if (items.length === 0) return undefined;
  if (type === 'WORD') {
    return {
      wordAlignment: {
        words: items.map((t) => t.text),
        wordStartTimeSeconds: items.map((t) => round(t.startSeconds)),
        wordEndTimeSeconds: items.map((t) => round(t.endSeconds)),
      },
    };
  }
  return {
    characterAlignment: {
      characters: items.map((t) => t.text),
      characterStartTimeSeconds: items.map((t) => round(t.startSeconds)),
      characterEndTimeSeconds: items.map((t) => round(t.endSeconds)),
    },
  };
}

/** Index just after the last sentence end in the buffer (0 when there is none): autoMode's cut. */
export function lastSentenceEnd(text: string): number {
  let end = 0;
  const pattern = /[.!?…。！？]+["'”’)\]]*(?=\s|$)/gu;
  for (let match = pattern.exec(text); match; match = pattern.exec(text)) end = match.index + match[0].length;
  return end;
}

function round(seconds: number): number {
  return Math.round(seconds * 1e4) / 1e4;
}
