// A record of every request and WebSocket handshake the emulator received, so tests can assert
// on headers (Authorization, X-Request-Id, X-User-Agent), bodies and casing without a proxy.

import type { IncomingHttpHeaders } from 'node:http';

export interface RecordedRequest {
  /** 1, 2, 3… in arrival order. */
  readonly id: number;
  /** Arrival time, ms since the epoch. */
  readonly receivedAtMs: number;
  readonly protocol: 'http' | 'ws';
  readonly method: string;
  /** Path without the query string, e.g. `/tts/v1/voice:stream`. */
  readonly path: string;
  readonly query: Record<string, string>;
  /** The query string as sent (`?a=1&a=2`), for parameters that repeat; '' when there is none. */
  readonly rawQuery?: string;
  readonly headers: IncomingHttpHeaders;
  /** Parsed JSON body when it parsed, else undefined (see rawBody). */
  body?: unknown;
  /** The body as text (HTTP only). */
  rawBody?: string;
  /** WebSocket subprotocols the client offered. */
  subprotocols?: string[];
  /** HTTP status answered (HTTP) or 101 / refusal status (WS), once known. */
  status?: number;
  /** WebSocket messages received from the client, parsed when JSON (handlers append them). */
  messages?: unknown[];
  /** Size of the request body in bytes (HTTP). */
  bodyBytes?: number;
  /** True when body/rawBody were dropped from this old record to bound memory. */
  bodyDropped?: boolean;
}

export type NewRecord = Omit<RecordedRequest, 'id' | 'receivedAtMs'>;

/** Bodies kept across all records; older bodies are dropped first (STT uploads can be ~20 MB each). */
const MAX_KEPT_BODY_BYTES = 64 * 1024 * 1024;

/** Keeps at most this many records so a long-running `inworld emulator` does not grow forever. */
const MAX_RECORDS = 1000;

export class RequestRecorder {
  private records: RecordedRequest[] = [];
  private nextId = 1;

  record(entry: NewRecord): RecordedRequest {
    const stored: RecordedRequest = { ...entry, id: this.nextId++, receivedAtMs: Date.now() };
    this.records.push(stored);
    if (this.records.length > MAX_RECORDS) this.records.shift();
    this.boundBodies();
    return stored;
  }

  private boundBodies(): void {
    let total = 0;
    for (const record of this.records) total += record.bodyDropped ? 0 : (record.bodyBytes ?? 0);
    for (const record of this.records) {
      if (total <= MAX_KEPT_BODY_BYTES) break;
      if (record.bodyDropped || !record.bodyBytes) continue;
      total -= record.bodyBytes;
      delete record.body;
      delete record.rawBody;
      record.bodyDropped = true;
    }
  }

  /** Appends a client WebSocket message to a handshake's record. */
  appendMessage(record: RecordedRequest, message: unknown): void {
    (record.messages ??= []).push(message);
  }

  /** All records, oldest first (copies of the array, not of the records). */
  list(): RecordedRequest[] {
    return [...this.records];
  }

  /** Records whose path equals `path` (or all when absent). */
  find(path?: string): RecordedRequest[] {
    return this.records.filter((record) => path === undefined || record.path === path);
  }

  clear(): void {
    this.records = [];
  }
}
