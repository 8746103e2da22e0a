// Wire types of the bidirectional TTS WebSocket (`/tts/v1/voice:streamBidirectional`, docs/protocol.md#tts-websocket):
// the four client messages as builders, and one tolerant parser for what the server sends.
// Kept private to src/tts: callers see ws-stream.ts's chunks, never raw frames.

export const TTS_WS_PATH = '/tts/v1/voice:streamBidirectional';

/** The documented per-message limit for `send_text` (the newer guide says 2000; 1000 is safe for both). */
export const SEND_TEXT_MAX_CHARS = 1000;

export interface WsAudioConfig {
  audioEncoding?: string;
  sampleRateHertz?: number;
  bitRate?: number;
  speakingRate?: number;
}

/** The body of a `create` message; optional keys are omitted (never sent as null). */
export interface WsCreateConfig {
  /** Absent when `voiceDesign` stands in for it. */
  voiceId?: string;
  voiceDesign?: { designPrompt: string };
  modelId: string;
  audioConfig?: WsAudioConfig;
  temperature?: number;
  timestampType?: string;
  applyTextNormalization?: string;
  language?: string;
  deliveryMode?: string;
  timestampTransportStrategy?: string;
  seed?: number;
  autoMode?: boolean;
  bufferCharThreshold?: number;
  maxBufferDelayMs?: number;
  pronunciationDictionarySettings?: { dictionaries: { dictionary: string }[] };
}

export function createMessage(contextId: string, config: WsCreateConfig): string {
  return JSON.stringify({ contextId, create: dropUndefined(config) });
}

export function sendTextMessage(contextId: string, text: string, flush: boolean): string {
  return JSON.stringify({ contextId, send_text: flush ? { text, flush_context: {} } : { text } });
}

export function flushMessage(contextId: string): string {
  return JSON.stringify({ contextId, flush_context: {} });
}

export function closeMessage(contextId: string): string {
  return JSON.stringify({ contextId, close_context: {} });
}

function dropUndefined<T extends object>(value: T): T {
  const out: Record<string, unknown> = {};
  for (const [key, v] of Object.entries(value)) {
    if (v === undefined) continue;
    out[key] = v !== null && typeof v === 'object' && !Array.isArray(v) ? dropUndefined(v as object) : v;
  }
  return out as T;
}

export interface WireWordAlignment {
  words?: string[];
  wordStartTimeSeconds?: number[];
  wordEndTimeSeconds?: number[];
}
export interface WireCharacterAlignment {
  characters?: string[];
  characterStartTimeSeconds?: number[];
  characterEndTimeSeconds?: number[];
}
export interface WireTimestampInfo {
  wordAlignment?: WireWordAlignment;
  characterAlignment?: WireCharacterAlignment;
}

export interface WireStatus {
  code: number;
  message: string;
}

/** One server frame, reduced to what the client acts on. */
export type ServerMessage =
  | { kind: 'contextCreated'; contextId: string; config: Record<string, unknown> }
  | { kind: 'audioChunk'; contextId: string; audioBase64?: string; timestampInfo?: WireTimestampInfo }
  | { kind: 'flushCompleted'; contextId: string }
  | { kind: 'contextClosed'; contextId: string }
  | { kind: 'status'; contextId: string; status: WireStatus }
  | { kind: 'error'; status: WireStatus; body: unknown }
  | { kind: 'ignored'; contextId?: string; reason: string };

/**
 * Parses one text frame. The status is checked before the event keys (a non-zero code is an error
 * for that context whatever else the frame holds); unknown keys are ignored, as the protocol asks (docs/protocol.md#tts-websocket).
 */
export function parseServerMessage(text: string): ServerMessage {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return { kind: 'ignored', reason: 'not JSON' };
  }
  if (!isRecord(json)) return { kind: 'ignored', reason: 'not an object' };
  if (isRecord(json.error) && !isRecord(json.result)) {
    return { kind: 'error', status: readStatus(json.error) ?? { code: 2, message: 'unknown error' }, body: json };
  }
  const result = isRecord(json.result) ? json.result : undefined;
  if (!result) return { kind: 'ignored', reason: 'no result' };
  const contextId = stringOr(result.contextId) ?? stringOr(result.context_id) ?? stringOr(json.contextId) ?? '';
  const status = isRecord(result.status) ? readStatus(result.status) : undefined;
  if (status && status.code !== 0) return { kind: 'status', contextId, status };
  if (isRecord(result.audioChunk) || typeof result.audioContent === 'string') {
    const chunk = isRecord(result.audioChunk) ? result.audioChunk : result;
    const info = isRecord(chunk.timestampInfo) ? chunk.timestampInfo : isRecord(result.timestampInfo) ? result.timestampInfo : undefined;
    return {
      kind: 'audioChunk',
      contextId,
      audioBase64: stringOr(chunk.audioContent),
      timestampInfo: info as WireTimestampInfo | undefined,
    };
  }
  if ('contextCreated' in result) {
    return { kind: 'contextCreated', contextId, config: isRecord(result.contextCreated) ? result.contextCreated : {} };
  }
  if ('flushCompleted' in result) return { kind: 'flushCompleted', contextId };
  if ('contextClosed' in result) return { kind: 'contextClosed', contextId };
  return { kind: 'ignored', contextId, reason: 'no known event' };
}

const AUDIO_CONTENT_KEY = Buffer.from('"audioContent":"');
const QUOTE = 0x22;
const BACKSLASH = 0x5c;

/**
 * Parses one frame as received. The base64 audio, nearly all of an audio frame, is cut out of the
 * bytes as one string and the rest parsed as JSON, so the audio is not copied a second time by
 * JSON.parse (at 2,500x real time against the emulator that copy was a quarter of the client's
 * allocations). A frame the shortcut does not fit (whitespace after the colon, an escape in the
 * value, no audio) goes through parseServerMessage whole.
 */
export function parseServerFrame(frame: Buffer): ServerMessage {
  const whole = () => parseServerMessage(frame.toString());
  const key = frame.indexOf(AUDIO_CONTENT_KEY);
  if (key < 0) return whole();
  const start = key + AUDIO_CONTENT_KEY.length;
  const end = frame.indexOf(QUOTE, start);
  if (end <= start || frame.subarray(start, end).includes(BACKSLASH)) return whole();
  const message = parseServerMessage(frame.toString('utf8', 0, start) + frame.toString('utf8', end));
  // The key sat somewhere else (inside another string, say) and the cut left no valid frame.
  if (message.kind === 'ignored') return whole();
  if (message.kind !== 'audioChunk' || message.audioBase64 !== undefined) return message;
  return { ...message, audioBase64: frame.toString('latin1', start, end) };
}

function readStatus(value: Record<string, unknown>): WireStatus | undefined {
  const code = typeof value.code === 'number' ? value.code : undefined;
  if (code === undefined) return undefined;
  return { code, message: typeof value.message === 'string' ? value.message : '' };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

function stringOr(value: unknown): string | undefined {
  return typeof value === 'string' && value.length > 0 ? value : undefined;
}
