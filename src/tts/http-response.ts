// Reading HTTP synthesis responses: one `:stream` NDJSON line, or the whole `/tts/v1/voice` body,
// into audio bytes (strict base64), timestamps and usage; an error line becomes an APIError.
import { APIError, ProtocolError, makeApiError, parseRpcStatus } from '../core/errors.js';
import type { Usage } from './http-types.js';
import { parseTimestampInfo, type Timestamps } from './timestamps.js';

/** One parsed `:stream` line (or the whole `/tts/v1/voice` body). */
export interface ParsedResult {
  audio?: Buffer;
  timestamps?: Timestamps;
  usage?: Usage;
}

const BASE64 = /^[A-Za-z0-9+/\-_]*={0,2}$/;
const EQUALS_SIGN = 0x3d;

/** Decodes base64 strictly: invalid characters or a bad length are a ProtocolError, not silent garbage. */
export function decodeBase64Audio(value: unknown, requestId?: string): Buffer {
  if (typeof value !== 'string') {
    throw new ProtocolError({ serverMessage: `audioContent is ${typeof value}, expected a base64 string`, requestId }, { retryable: true });
  }
  // Fast path (every chunk of every response): Node skips characters it cannot decode, so a clean
  // string is exactly one whose decoded length matches its unpadded length.
  const decoded = Buffer.from(value, 'base64');
  let unpaddedLength = value.length;
  while (unpaddedLength > 0 && value.charCodeAt(unpaddedLength - 1) === EQUALS_SIGN) unpaddedLength -= 1;
  if (unpaddedLength % 4 !== 1 && decoded.length === Math.floor((unpaddedLength * 3) / 4)) return decoded;
  // Slow path: tolerate whitespace, reject anything else.
  const compact = value.replace(/\s+/g, '');
  const unpadded = compact.replace(/=+$/, '');
  if (!BASE64.test(compact) || unpadded.length % 4 === 1) {
    // Retryable: a garbled response is worth one more try while nothing has been delivered.
    throw new ProtocolError({ serverMessage: `audioContent is not valid base64 (${compact.length} characters)`, requestId }, { retryable: true });
  }
  return Buffer.from(unpadded.replace(/-/g, '+').replace(/_/g, '/'), 'base64');
}

function parseUsage(value: unknown): Usage | undefined {
  if (value === null || typeof value !== 'object') return undefined;
  const record = value as Record<string, unknown>;
  const usage: Usage = {};
  const count = Number(record.processedCharactersCount);
  if (record.processedCharactersCount !== undefined && Number.isFinite(count)) usage.processedCharactersCount = count;
  if (typeof record.modelId === 'string') usage.modelId = record.modelId;
  return usage;
}

function errorFromLine(errorValue: unknown, requestId: string, status?: number): APIError {
  const rpc = parseRpcStatus({ error: errorValue });
  const grpcCode = rpc.grpcCode ?? 2; // UNKNOWN when the server gave no code
  return makeApiError({
    grpcCode,
    status,
    serverMessage: rpc.message ?? 'error in the response stream',
    requestId,
    body: { error: errorValue },
  });
}

/**
 * Reads one `:stream` line: `{result:{…}}`, `{error:{…}}` (thrown as APIError), or, tolerantly, a
 * bare result object. Unknown shapes return undefined.
 */
export function parseStreamLine(value: unknown, requestId: string): ParsedResult | undefined {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new ProtocolError(
      { serverMessage: `unexpected line in the response stream: ${JSON.stringify(value).slice(0, 80)}`, requestId },
      { retryable: true },
    );
  }
  const record = value as Record<string, unknown>;
  if (record.error !== undefined && record.error !== null) throw errorFromLine(record.error, requestId);
  const result = (record.result && typeof record.result === 'object' ? record.result : record) as Record<string, unknown>;
  const status = result.status as { code?: unknown } | undefined;
  if (status && typeof status === 'object' && typeof status.code === 'number' && status.code !== 0) {
    throw errorFromLine(status, requestId);
  }
  const parsed: ParsedResult = {};
  if (result.audioContent !== undefined && result.audioContent !== null && result.audioContent !== '') {
    parsed.audio = decodeBase64Audio(result.audioContent, requestId);
  }
  const timestamps = parseTimestampInfo(result.timestampInfo);
  if (timestamps) parsed.timestamps = timestamps;
  const usage = parseUsage(result.usage);
  if (usage) parsed.usage = usage;
  if (parsed.audio === undefined && parsed.timestamps === undefined && parsed.usage === undefined) return undefined;
  return parsed;
}
