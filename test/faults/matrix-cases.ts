// The fault matrix: every fault of issue 5, and what each command must do under it.
//
// A row is one fault; a cell is one command under that fault: the emulator rules (or environment)
// that produce the fault, the flags that keep the run short, and the expected outcome:
//   code      exit status
//   message   what the one error line must say
//   requests  requests (HTTP) or handshakes (WebSocket) the emulator saw: 1 + retries made
//   output    'complete'  the whole output, identical to an undisturbed run
//             'absent'    no output file (and no temp file) left behind
//             'prefix'    a valid file holding a prefix of the undisturbed output (what arrived)
//             'either'    absent, or a valid prefix
//   minMs/maxMs  bounds on the run's duration (Retry-After honoured; every wait has its deadline)
import type { FaultRuleInput } from '../../src/emulator/index.js';
import type { ProxyFaults } from './fault-proxy.js';
import { LEGACY_VOICES_PATH, STT_WS_PATH, TTS_STREAM_PATH, TTS_WS_PATH, VOICES_PATH } from './harness.js';

/** `mcp` is the MCP server's `speak` tool (test/faults/matrix-mcp.ts): its synthesis is `say`'s
 *  (HTTP streaming through the library), so it gets every `say` cell, with `code` 0 for a tool
 *  result and 1 for a tool error (`isError`), whose text must match `message`; the server must
 *  answer the next call, and the output file is out.wav in its --out-dir. */
/** The four commands, plus `pool`: the library's TtsPool in process with five concurrent contexts
 *  on one connection (the CLI's `stream` uses one context at a time, so "one of five concurrent
 *  contexts" is a library case). For `pool`, `output: 'prefix'` means every stream that did not
 *  fail is complete, and `requests` counts WebSocket handshakes. */
export type CommandName = 'say' | 'stream' | 'transcribe' | 'voices' | 'pool' | 'mcp';
export const COMMANDS: readonly CommandName[] = ['say', 'stream', 'transcribe', 'voices', 'pool', 'mcp'];

export type OutputExpectation = 'complete' | 'absent' | 'prefix' | 'either';

export interface Expectation {
  code: number;
  message?: RegExp;
  requests?: number | readonly [number, number];
  output: OutputExpectation;
  minMs?: number;
  maxMs?: number;
}

/** Where the CLI is pointed; `emulator` (the default) uses the case's own emulator. */
export type Target =
  | { kind: 'emulator' }
  | { kind: 'refused' }
  | { kind: 'dns' }
  | { kind: 'tls' }
  /** The emulator behind test/faults/fault-proxy.ts, for body faults its JSON endpoints lack. */
  | { kind: 'proxy'; faults: ProxyFaults };

export interface Cell {
  rules?: Array<FaultRuleInput | string>;
  target?: Target;
  /** Extra flags (after the command's own). */
  args?: string[];
  expect: Expectation;
  /** pool only: how many of the five streams must fail. */
  failedStreams?: number;
  /** pool only: TtsPool/TtsStream closeTimeoutMs. */
  closeTimeoutMs?: number;
  /** Known failure: the case runs, its result is shown, and the test is marked todo with this reason. */
  todo?: string;
}

export interface Row {
  id: string;
  fault: string;
  cells: Partial<Record<CommandName, Cell>>;
}

/** Flags every run gets: short deadlines and a small retry budget keep the matrix fast. */
export const TIMEOUT_MS = 4000;
/** The deadline in the rows that test deadlines. */
export const SHORT_TIMEOUT_MS = 1000;
const SHORT = ['--timeout', String(SHORT_TIMEOUT_MS)];
export const RETRIES = 2;

const status = (path: string | undefined, httpStatus: number, code: number, message: string, extra: Partial<FaultRuleInput> = {}, retryAfterSeconds?: number): FaultRuleInput => ({
  ...(path ? { path } : {}),
  ...extra,
  action: { type: 'status', status: httpStatus, code, message, ...(retryAfterSeconds !== undefined ? { retryAfterSeconds } : {}) },
});
const ws = (path: string, rule: Omit<FaultRuleInput, 'protocol' | 'path'>): FaultRuleInput => ({ protocol: 'ws', path, ...rule });
const voicesBoth = (httpStatus: number, code: number, message: string, extra: Partial<FaultRuleInput> = {}): FaultRuleInput[] => [
  status(VOICES_PATH, httpStatus, code, message, extra),
  status(LEGACY_VOICES_PATH, httpStatus, code, message, extra),
];
const sttCustom = (name: string, params: Record<string, unknown>, times?: number): FaultRuleInput =>
  ws(STT_WS_PATH, { ...(times !== undefined ? { times } : {}), action: { type: 'custom', name, params } });
const ttsCustom = (name: string, params: Record<string, unknown>, times?: number): FaultRuleInput =>
  ws(TTS_WS_PATH, { ...(times !== undefined ? { times } : {}), action: { type: 'custom', name, params } });

/** Per-status cells for the four commands: refused at once, never retried. */
function refusal(httpStatus: number, code: number, message: string, pattern: RegExp): Row['cells'] {
  const expect: Expectation = { code: 1, message: pattern, requests: 1, output: 'absent' };
  return {
    say: { rules: [status(TTS_STREAM_PATH, httpStatus, code, message)], expect },
    stream: { rules: [ws(TTS_WS_PATH, { action: { type: 'status', status: httpStatus, code, message } })], expect },
    transcribe: { rules: [ws(STT_WS_PATH, { action: { type: 'status', status: httpStatus, code, message } })], expect },
    voices: { rules: voicesBoth(httpStatus, code, message), expect },
  };
}

const FAIL_AFTER_RETRIES = 1 + RETRIES;

export const ROWS: Row[] = [
  { id: 'http-401', fault: 'HTTP 401 (UNAUTHENTICATED)', cells: refusal(401, 16, 'invalid credentials', /401|UNAUTHENTICATED/) },
  { id: 'http-403', fault: 'HTTP 403 (PERMISSION_DENIED)', cells: refusal(403, 7, 'no access to this model', /403|PERMISSION_DENIED/) },
  {
    id: 'http-404',
    fault: 'HTTP 404 (NOT_FOUND)',
    cells: {
      ...refusal(404, 5, 'voice not found', /404|NOT_FOUND/),
      // The Voice API answering 404 sends voices to the legacy endpoint; both refusing is the failure.
      voices: { rules: voicesBoth(404, 5, 'voice not found'), expect: { code: 1, message: /404|NOT_FOUND/, requests: 2, output: 'absent' } },
    },
  },
  { id: 'http-400', fault: 'HTTP 400 with a gRPC body', cells: refusal(400, 3, 'text exceeds the limit', /400|INVALID_ARGUMENT/) },
  {
    id: 'http-429-retry-after',
    fault: 'HTTP 429 with Retry-After: 1, then success',
    cells: {
      say: { rules: [status(TTS_STREAM_PATH, 429, 8, 'slow down', { times: 1 }, 1)], expect: { code: 0, requests: 2, output: 'complete', minMs: 900 } },
      stream: { rules: [ws(TTS_WS_PATH, { times: 1, action: { type: 'status', status: 429, code: 8, message: 'slow down', retryAfterSeconds: 1 } })], expect: { code: 0, requests: 2, output: 'complete', minMs: 900 } },
      transcribe: { rules: [ws(STT_WS_PATH, { times: 1, action: { type: 'status', status: 429, code: 8, message: 'slow down', retryAfterSeconds: 1 } })], expect: { code: 0, requests: 2, output: 'complete', minMs: 900 } },
      voices: { rules: [status(VOICES_PATH, 429, 8, 'slow down', { times: 1 }, 1)], expect: { code: 0, requests: 2, output: 'complete', minMs: 900 } },
    },
  },
  {
    id: 'http-429',
    fault: 'HTTP 429 without Retry-After, then success',
    cells: {
      say: { rules: [status(TTS_STREAM_PATH, 429, 8, 'slow down', { times: 1 })], expect: { code: 0, requests: 2, output: 'complete' } },
      stream: { rules: [ws(TTS_WS_PATH, { times: 1, action: { type: 'status', status: 429, code: 8, message: 'slow down' } })], expect: { code: 0, requests: 2, output: 'complete' } },
      transcribe: { rules: [ws(STT_WS_PATH, { times: 1, action: { type: 'status', status: 429, code: 8, message: 'slow down' } })], expect: { code: 0, requests: 2, output: 'complete' } },
      voices: { rules: [status(VOICES_PATH, 429, 8, 'slow down', { times: 1 })], expect: { code: 0, requests: 2, output: 'complete' } },
    },
  },
  {
    id: 'http-500-then-ok',
    fault: 'HTTP 500, then success (retried)',
    cells: {
      say: { rules: [status(TTS_STREAM_PATH, 500, 13, 'internal', { times: 1 })], expect: { code: 0, requests: 2, output: 'complete' } },
      stream: { rules: [ws(TTS_WS_PATH, { times: 1, action: { type: 'status', status: 500, code: 13, message: 'internal' } })], expect: { code: 0, requests: 2, output: 'complete' } },
      transcribe: { rules: [ws(STT_WS_PATH, { times: 1, action: { type: 'status', status: 500, code: 13, message: 'internal' } })], expect: { code: 0, requests: 2, output: 'complete' } },
      voices: { rules: [status(VOICES_PATH, 500, 13, 'internal', { times: 1 })], expect: { code: 0, requests: 2, output: 'complete' } },
    },
  },
  {
    id: 'http-503-then-ok',
    fault: 'HTTP 503 twice, then success (retried)',
    cells: {
      say: { rules: [status(TTS_STREAM_PATH, 503, 14, 'busy', { times: 2 })], expect: { code: 0, requests: 3, output: 'complete' } },
      stream: { rules: [ws(TTS_WS_PATH, { times: 2, action: { type: 'status', status: 503, code: 14, message: 'busy' } })], expect: { code: 0, requests: 3, output: 'complete' } },
      transcribe: { rules: [ws(STT_WS_PATH, { times: 2, action: { type: 'status', status: 503, code: 14, message: 'busy' } })], expect: { code: 0, requests: 3, output: 'complete' } },
      voices: { rules: [status(VOICES_PATH, 503, 14, 'busy', { times: 2 })], expect: { code: 0, requests: 3, output: 'complete' } },
    },
  },
  {
    id: 'http-503-forever',
    fault: `HTTP 503 forever (gives up after --retries ${RETRIES})`,
    cells: {
      say: { rules: [status(TTS_STREAM_PATH, 503, 14, 'busy')], expect: { code: 1, message: /503|UNAVAILABLE/, requests: FAIL_AFTER_RETRIES, output: 'absent' } },
      stream: { rules: [ws(TTS_WS_PATH, { action: { type: 'status', status: 503, code: 14, message: 'busy' } })], expect: { code: 1, message: /503|UNAVAILABLE/, requests: FAIL_AFTER_RETRIES, output: 'absent' } },
      transcribe: { rules: [ws(STT_WS_PATH, { action: { type: 'status', status: 503, code: 14, message: 'busy' } })], expect: { code: 1, message: /503|UNAVAILABLE/, requests: FAIL_AFTER_RETRIES, output: 'absent' } },
      voices: { rules: voicesBoth(503, 14, 'busy'), expect: { code: 1, message: /503|UNAVAILABLE/, requests: FAIL_AFTER_RETRIES, output: 'absent' } },
    },
  },
  {
    id: 'refused',
    fault: 'connection refused',
    cells: Object.fromEntries(
      (['say', 'stream', 'transcribe', 'voices'] as const).map((command) => [
        command,
        { target: { kind: 'refused' }, expect: { code: 1, message: /refused|connect/i, output: 'absent' } } satisfies Cell,
      ]),
    ),
  },
  {
    id: 'dns',
    fault: 'DNS failure (host nonexistent.invalid)',
    cells: Object.fromEntries(
      (['say', 'stream', 'transcribe', 'voices'] as const).map((command) => [
        command,
        { target: { kind: 'dns' }, expect: { code: 1, message: /not found|DNS|resolve|ENOTFOUND|EAI_AGAIN/i, output: 'absent' } } satisfies Cell,
      ]),
    ),
  },
  {
    id: 'tls',
    fault: 'TLS to a non-TLS port (https:// to the emulator)',
    cells: Object.fromEntries(
      (['say', 'stream', 'transcribe', 'voices'] as const).map((command) => [
        command,
        {
          target: { kind: 'tls' },
          expect: { code: 1, message: /TLS|SSL/i, output: 'absent' },
        } satisfies Cell,
      ]),
    ),
  },
  {
    id: 'stall-headers',
    fault: 'stall before the response (connect/first-byte timeout)',
    cells: {
      say: { rules: [{ path: TTS_STREAM_PATH, action: { type: 'stall', at: 'headers' } }], args: [...SHORT, '--retries', '1'], expect: { code: 1, message: /timed out|no response|within/i, requests: 2, output: 'absent', minMs: 2 * SHORT_TIMEOUT_MS } },
      stream: {
        rules: [ws(TTS_WS_PATH, { action: { type: 'stall', at: 'headers' } })],
        args: [...SHORT, '--retries', '1'],
        expect: { code: 1, message: /timed out|no response|within|handshake/i, requests: 2, output: 'absent' } },
      transcribe: { rules: [ws(STT_WS_PATH, { action: { type: 'stall', at: 'headers' } })], args: [...SHORT, '--retries', '1'], expect: { code: 1, message: /timed out|no response|within|handshake/i, requests: 2, output: 'absent' } },
      voices: { rules: [{ path: VOICES_PATH, action: { type: 'stall', at: 'headers' } }], args: [...SHORT, '--retries', '1'], expect: { code: 1, message: /timed out|no response|within/i, requests: 2, output: 'absent', minMs: 2 * SHORT_TIMEOUT_MS } },
    },
  },
  {
    id: 'stall-first-audio',
    fault: 'stall after headers, before the first audio (first-audio timeout)',
    cells: {
      say: { rules: [{ path: TTS_STREAM_PATH, action: { type: 'stall', at: 'first-chunk' } }], args: [...SHORT, '--retries', '1'], expect: { code: 1, message: /timed out|stopped sending|nothing for/i, requests: 2, output: 'absent' } },
      // The stalled context is retried on the same (still healthy) connection: one handshake.
      stream: { rules: [ttsCustom('tts-stall', { afterChunks: 0 })], args: [...SHORT, '--retries', '1'], expect: { code: 1, message: /timed out|stalled|nothing for|no audio/i, requests: 1, output: 'either', maxMs: 8000 } },
      voices: { target: { kind: 'proxy', faults: { stallAfterHeaders: true } }, args: [...SHORT, '--retries', '1'], expect: { code: 1, message: /timed out|stopped sending|nothing for/i, requests: 2, output: 'absent' } },
    },
  },
  {
    id: 'stall-mid-stream',
    fault: 'stall mid-stream (idle timeout)',
    cells: {
      say: { rules: [{ path: TTS_STREAM_PATH, action: { type: 'stall', at: 'mid-stream', afterChunks: 2 } }], args: SHORT, expect: { code: 1, message: /timed out|stopped sending|nothing for/i, requests: 1, output: 'absent' } },
      stream: { rules: [ttsCustom('tts-stall', { afterChunks: 3 })], args: [...SHORT, '--retries', '1'], expect: { code: 1, message: /timed out|stalled|nothing for|no audio/i, requests: 1, output: 'either', maxMs: 8000 } },
    },
  },
  {
    id: 'drop-mid-audio',
    fault: 'connection dropped mid-audio',
    cells: {
      say: { rules: [{ path: TTS_STREAM_PATH, action: { type: 'drop', afterChunks: 2 } }], expect: { code: 1, message: /lost|reset|closed|ended/i, requests: 1, output: 'absent' } },
      stream: { rules: [ttsCustom('tts-drop', { afterChunks: 4 }, 1)], expect: { code: 0, requests: 2, output: 'complete' } },
      transcribe: { rules: [sttCustom('stt-drop', { afterChunks: 8 }, 1)], expect: { code: 0, requests: 2, output: 'complete' } },
      voices: { target: { kind: 'proxy', faults: { dropAfterBytes: 200, times: 1 } }, expect: { code: 0, requests: 2, output: 'complete' } },
    },
  },
  {
    id: 'ndjson-error-line',
    fault: 'NDJSON error line mid-stream',
    cells: {
      say: { rules: [{ path: TTS_STREAM_PATH, action: { type: 'stream-error', afterChunks: 2, code: 13, message: 'synthesis broke' } }], expect: { code: 1, message: /synthesis broke/, requests: 1, output: 'absent' } },
    },
  },
  {
    id: 'ndjson-error-first',
    fault: 'NDJSON error line before any audio (UNAVAILABLE, retried)',
    cells: {
      say: { rules: [{ path: TTS_STREAM_PATH, times: 1, action: { type: 'stream-error', afterChunks: 0, code: 14, message: 'try again' } }], expect: { code: 0, requests: 2, output: 'complete' } },
    },
  },
  {
    id: 'malformed-line',
    fault: 'malformed JSON line mid-stream',
    cells: {
      say: { rules: [{ path: TTS_STREAM_PATH, action: { type: 'malformed-line', afterChunks: 2 } }], expect: { code: 1, message: /JSON|malformed|line/i, requests: 1, output: 'absent' } },
    },
  },
  {
    id: 'malformed-first',
    fault: 'malformed JSON line before any audio (retried)',
    cells: {
      say: { rules: [{ path: TTS_STREAM_PATH, times: 1, action: { type: 'malformed-line', afterChunks: 0 } }], expect: { code: 0, requests: 2, output: 'complete' } },
    },
  },
  {
    id: 'split-lines',
    fault: 'lines written in pieces of 1–64 bytes (cut mid-line)',
    cells: {
      say: { rules: [{ path: TTS_STREAM_PATH, action: { type: 'split', pieceBytes: 64, seed: 7 } }], expect: { code: 0, requests: 1, output: 'complete' } },
      voices: { target: { kind: 'proxy', faults: { pieceBytes: 64 } }, expect: { code: 0, requests: 1, output: 'complete' } },
    },
  },
  {
    id: 'oversized-line-1mb',
    fault: 'a line just over 1 MiB (valid JSON, silent audio)',
    cells: {
      // The client's line limit is 16 MiB (core/ndjson.ts): a 1 MiB line is data, written as it came.
      say: { rules: [{ path: TTS_STREAM_PATH, action: { type: 'oversized-line', afterChunks: 2 } }], expect: { code: 0, requests: 1, output: 'prefix' } },
    },
  },
  {
    id: 'oversized-line-17mb',
    fault: 'a line of 17 MiB (over the 16 MiB limit)',
    cells: {
      say: { rules: [{ path: TTS_STREAM_PATH, action: { type: 'oversized-line', afterChunks: 2, bytes: 17 * 1024 * 1024 } }], expect: { code: 1, message: /longer than|too long|limit/i, requests: 1, output: 'absent' } },
    },
  },
  {
    id: 'bad-base64',
    fault: 'audioContent that is not base64',
    cells: {
      say: { rules: [{ path: TTS_STREAM_PATH, action: { type: 'bad-base64', afterChunks: 2 } }], expect: { code: 1, message: /base64/i, requests: 1, output: 'absent' } },
    },
  },
  {
    id: 'bad-base64-first',
    fault: 'audioContent not base64 in the first chunk (retried)',
    cells: {
      say: { rules: [{ path: TTS_STREAM_PATH, times: 1, action: { type: 'bad-base64', afterChunks: 0 } }], expect: { code: 0, requests: 2, output: 'complete' } },
    },
  },
  {
    id: 'ws-1006-mid-context',
    fault: 'WebSocket closed 1006 (no close frame) mid-context / mid-turn',
    cells: {
      stream: { rules: [ws(TTS_WS_PATH, { times: 1, action: { type: 'ws-drop', afterMessages: 6 } })], expect: { code: 0, requests: 2, output: 'complete' } },
      // The library reports the lost connection on every context it carried (retrying is the caller's call; `stream` does).
      pool: { rules: [ws(TTS_WS_PATH, { times: 1, action: { type: 'ws-drop', afterMessages: 12 } })], failedStreams: 5, expect: { code: 1, message: /lost|closed|1006|dropped/i, requests: 1, output: 'prefix' } },
      transcribe: { rules: [sttCustom('stt-close', { afterChunks: 12, closeCode: 1006 }, 1)], expect: { code: 0, requests: 2, output: 'complete' } },
    },
  },
  {
    id: 'ws-1011-mid-context',
    fault: 'WebSocket closed 1011 mid-context / mid-turn',
    cells: {
      stream: { rules: [ws(TTS_WS_PATH, { times: 1, action: { type: 'ws-close', closeCode: 1011, afterMessages: 6 } })], expect: { code: 0, requests: 2, output: 'complete' } },
      pool: { rules: [ws(TTS_WS_PATH, { times: 1, action: { type: 'ws-close', closeCode: 1011, afterMessages: 12 } })], failedStreams: 5, expect: { code: 1, message: /1011/, requests: 1, output: 'prefix' } },
      transcribe: { rules: [sttCustom('stt-close', { afterChunks: 12, closeCode: 1011 }, 1)], expect: { code: 0, requests: 2, output: 'complete' } },
    },
  },
  {
    id: 'ws-1011-forever',
    fault: 'WebSocket closed 1011 on every connection',
    cells: {
      stream: { rules: [ws(TTS_WS_PATH, { action: { type: 'ws-close', closeCode: 1011, afterMessages: 6 } })], expect: { code: 1, message: /1011/, requests: FAIL_AFTER_RETRIES, output: 'either' } },
      transcribe: { rules: [sttCustom('stt-close', { afterChunks: 4, closeCode: 1011 })], expect: { code: 1, message: /1011/, requests: FAIL_AFTER_RETRIES, output: 'either' } },
    },
  },
  {
    id: 'ws-status-error',
    fault: 'status error on a context (INTERNAL); pool: on one of five concurrent contexts',
    cells: {
      pool: { rules: [ttsCustom('tts-status', { contextIndex: 2, afterChunks: 1, code: 13, message: 'synthesis failed' }, 1)], failedStreams: 1, expect: { code: 1, message: /INTERNAL.*synthesis failed/, requests: 1, output: 'prefix' } },
      stream: { rules: [ttsCustom('tts-status', { afterChunks: 3, code: 13, message: 'synthesis failed' }, 1)], expect: { code: 1, message: /INTERNAL.*synthesis failed|synthesis failed/, requests: 1, output: 'prefix' } },
      // STT: an error message mid-turn is treated like a lost connection: reconnect, replay, no line lost.
      transcribe: { rules: [sttCustom('stt-error', { afterChunks: 6, code: 13, message: 'recognizer failed' }, 1)], expect: { code: 0, requests: 2, output: 'complete' } },
    },
  },
  {
    id: 'no-context-closed',
    fault: 'contextClosed never arrives',
    cells: {
      // The library: with closeTimeoutMs the stuck contexts are reclaimed; the audio already complete.
      pool: {
        rules: [ttsCustom('tts-no-context-closed', {})],
        closeTimeoutMs: 1500,
        failedStreams: 0,
        expect: { code: 0, requests: 1, output: 'complete', maxMs: 8000 } },
      // Far below the 60 s close timeout: the CLI ends on the audio, not on contextClosed. (5 s was
      // too tight for a loaded machine's start-up.)
      stream: {
        rules: [ttsCustom('tts-no-context-closed', {})],
        expect: { code: 0, requests: 1, output: 'complete', maxMs: 10_000 },
      },
    },
  },
  {
    id: 'slow',
    fault: 'server slower than real time (×2)',
    cells: {
      say: { rules: [{ path: TTS_STREAM_PATH, action: { type: 'slow', factor: 2 } }], expect: { code: 0, requests: 1, output: 'complete' } },
      stream: { rules: [ttsCustom('tts-latency', { ms: 600 })], expect: { code: 0, requests: 1, output: 'complete' } },
      transcribe: { args: ['--realtime'], expect: { code: 0, requests: 1, output: 'complete' } },
      voices: { rules: [{ path: VOICES_PATH, action: { type: 'stall', at: 'headers', ms: 600 } }], expect: { code: 0, requests: 1, output: 'complete' } },
    },
  },
];

// The mcp column: what `say` must do, the speak tool must do too (see CommandName).
for (const row of ROWS) {
  const say = row.cells.say;
  if (say && !row.cells.mcp) row.cells.mcp = { ...say, expect: { ...say.expect } };
}
