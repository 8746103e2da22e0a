// Wire types of the STT WebSocket and REST APIs (docs/protocol.md#stt), and the one parser for
// what the server sends. The parser is deliberately tolerant where the sources disagree: word
// timestamps in ms numbers (`startTimeMs`), ms strings (int64 style) or seconds (`startTime`);
// the voice profile on the transcription or beside it; `vocalStyle` or `vocal_style`; each
// profile category as an array of {label, confidence} or a single object (older docs).

/** The streaming endpoint (a WebSocket); the REST one is in rest.ts. */
export const STT_STREAM_PATH = '/stt/v1/transcribe:streamBidirectional';

// ---- client → server ----

export interface TranscribeConfigWire {
  modelId: string;
  audioEncoding: 'LINEAR16';
  sampleRateHertz: number;
  numberOfChannels: number;
  language?: string;
  voiceProfileConfig: { enableVoiceProfile: boolean; topN?: number };
  endOfTurnConfidenceThreshold?: number;
  includeWordTimestamps?: boolean;
  inworldSttV1Config?: { minEndOfTurnSilenceWhenConfident?: number; vadThreshold?: number };
}

export type SttClientMessage =
  | { transcribeConfig: TranscribeConfigWire }
  | { audioChunk: { content: string } }
  | { endTurn: Record<string, never> }
  | { closeStream: Record<string, never> };

export function encodeClientMessage(message: SttClientMessage): string {
  return JSON.stringify(message);
}

/**
 * The audio message, built directly: base64 needs no JSON escaping, and skipping
 * JSON.stringify's scan of a ~10 KB string per chunk matters over an hour of audio.
 */
export function encodeAudioChunk(pcm: Buffer): string {
  return `{"audioChunk":{"content":"${pcm.toString('base64')}"}}`;
}

// ---- server → client (normalized) ----

/** A recognized word with its times in ms from the start of the audio. */
export interface WordTimestamp {
  word: string;
  /** Milliseconds from the start of the stream. */
  startMs: number;
  endMs: number;
  confidence?: number;
  speaker?: number;
}

/** One label of a voice-profile category, with its confidence. */
export interface VoiceProfileEntry {
  label: string;
  confidence: number;
}

/** Categories the docs name; others the server adds (e.g. `gender`) are kept too. */
export interface VoiceProfile {
  age?: VoiceProfileEntry[];
  emotion?: VoiceProfileEntry[];
  pitch?: VoiceProfileEntry[];
  vocalStyle?: VoiceProfileEntry[];
  accent?: VoiceProfileEntry[];
  [category: string]: VoiceProfileEntry[] | undefined;
}

export type SttServerMessage =
  | { kind: 'transcription'; transcript: string; isFinal: boolean; words: WordTimestamp[]; voiceProfile?: VoiceProfile }
  | { kind: 'speechStarted'; startTimeMs?: number; confidence?: number }
  | { kind: 'speechStopped'; silenceDurationMs?: number }
  | { kind: 'usage'; transcribedAudioMs?: number; modelId?: string }
  | { kind: 'error'; grpcCode?: number; message: string; body: unknown }
  /** Not JSON at all: a damaged stream rather than anything the server meant to say. */
  | { kind: 'invalid'; text: string }
  /** Valid JSON we do not understand (a newer field); ignored by the session. */
  | { kind: 'unknown'; raw: unknown };

type Json = Record<string, unknown>;

/** Parses one WebSocket text message; never throws. */
export function parseServerMessage(text: string): SttServerMessage {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return { kind: 'invalid', text: text.slice(0, 200) };
  }
  if (!isObject(json)) return { kind: 'unknown', raw: json };
  if (isObject(json.error)) {
    const error = json.error;
    return {
      kind: 'error',
      grpcCode: toNumber(error.code),
      message: typeof error.message === 'string' ? error.message : 'unknown error',
      body: json,
    };
  }
  const result = isObject(json.result) ? json.result : json;
  return parseResult(result);
}

function parseResult(result: Json): SttServerMessage {
  const transcription = pick(result, 'transcription');
  if (isObject(transcription)) {
    const profile = pick(transcription, 'voiceProfile') ?? pick(result, 'voiceProfile');
    const voiceProfile = parseVoiceProfile(profile);
    return {
      kind: 'transcription',
      transcript: typeof transcription.transcript === 'string' ? transcription.transcript : '',
      isFinal: pick(transcription, 'isFinal') === true,
      words: parseWords(pick(transcription, 'wordTimestamps')),
      ...(voiceProfile ? { voiceProfile } : {}),
    };
  }
  const started = pick(result, 'speechStarted');
  if (isObject(started)) {
    return { kind: 'speechStarted', startTimeMs: toNumber(pick(started, 'startTimeMs')), confidence: toNumber(started.confidence) };
  }
  const stopped = pick(result, 'speechStopped');
  if (isObject(stopped)) return { kind: 'speechStopped', silenceDurationMs: toNumber(pick(stopped, 'silenceDurationMs')) };
  const usage = pick(result, 'usage');
  if (isObject(usage)) {
    const modelId = pick(usage, 'modelId');
    return { kind: 'usage', transcribedAudioMs: toNumber(pick(usage, 'transcribedAudioMs')), modelId: typeof modelId === 'string' ? modelId : undefined };
  }
  return { kind: 'unknown', raw: result };
}

/** Word timestamps in any of the observed unit conventions, normalized to ms numbers. */
export function parseWords(value: unknown): WordTimestamp[] {
  if (!Array.isArray(value)) return [];
  const words: WordTimestamp[] = [];
  for (const item of value) {
    if (!isObject(item) || typeof item.word !== 'string') continue;
    const startMs = msField(item, 'start');
    const endMs = msField(item, 'end');
    const word: WordTimestamp = { word: item.word, startMs: startMs ?? 0, endMs: endMs ?? startMs ?? 0 };
    const confidence = toNumber(item.confidence);
    if (confidence !== undefined) word.confidence = confidence;
    const speaker = toNumber(item.speaker);
    if (speaker !== undefined) word.speaker = speaker;
    words.push(word);
  }
  return words;
}

/** `startTimeMs` (number or int64 string) wins; else `startTime` is seconds (number, "1.5" or "1.5s"). */
function msField(item: Json, prefix: 'start' | 'end'): number | undefined {
  const ms = toNumber(pick(item, `${prefix}TimeMs`));
  if (ms !== undefined) return ms;
  const raw = pick(item, `${prefix}Time`);
  const seconds = typeof raw === 'string' ? toNumber(raw.replace(/s$/, '')) : toNumber(raw);
  return seconds === undefined ? undefined : Math.round(seconds * 1000);
}

export function parseVoiceProfile(value: unknown): VoiceProfile | undefined {
  if (!isObject(value)) return undefined;
  const profile: VoiceProfile = {};
  for (const [key, raw] of Object.entries(value)) {
    const category = key.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase());
    const entries = (Array.isArray(raw) ? raw : [raw]).flatMap((entry): VoiceProfileEntry[] => {
      if (typeof entry === 'string') return [{ label: entry, confidence: 1 }];
      if (!isObject(entry) || typeof entry.label !== 'string') return [];
      return [{ label: entry.label, confidence: toNumber(entry.confidence) ?? 0 }];
    });
    if (entries.length > 0) profile[category] = entries.sort((a, b) => b.confidence - a.confidence);
  }
  return Object.keys(profile).length > 0 ? profile : undefined;
}

/** Looks a key up as camelCase, then as snake_case. */
function pick(object: Json, camel: string): unknown {
  if (camel in object) return object[camel];
  return object[camel.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`)];
}

function toNumber(value: unknown): number | undefined {
  if (typeof value === 'number') return Number.isFinite(value) ? value : undefined;
  if (typeof value === 'string' && value.trim() !== '') {
    const n = Number(value);
    return Number.isFinite(n) ? n : undefined;
  }
  return undefined;
}

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
