// The fault matrix's `serve` column: the gateway (src/serve) under each fault of the `say` column
// (the same emulator rules on POST /tts/v1/voice:stream, which the gateway's speech uses), seen by
// an OpenAI client. A cell is the HTTP status the client gets and what the body holds:
//   complete  the whole audio, identical to an undisturbed run (retries happened upstream)
//   error     an OpenAI-shaped error body, nothing else (the fault came before the first byte)
//   cut       status 200, then the body is cut: what arrived is a prefix of the undisturbed audio
export type ServeOutcome = { status: number; body: 'complete' | 'error' | 'cut'; type?: string };

export const SERVE_CELLS: Readonly<Record<string, ServeOutcome>> = {
  'http-401': { status: 502, body: 'error', type: 'server_error' },
  'http-403': { status: 502, body: 'error', type: 'server_error' },
  'http-404': { status: 400, body: 'error', type: 'invalid_request_error' },
  'http-400': { status: 400, body: 'error', type: 'invalid_request_error' },
  'http-429-retry-after': { status: 200, body: 'complete' },
  'http-429': { status: 200, body: 'complete' },
  'http-500-then-ok': { status: 200, body: 'complete' },
  'http-503-then-ok': { status: 200, body: 'complete' },
  'http-503-forever': { status: 503, body: 'error', type: 'server_error' },
  refused: { status: 502, body: 'error', type: 'server_error' },
  'stall-headers': { status: 504, body: 'error', type: 'server_error' },
  'stall-first-audio': { status: 504, body: 'error', type: 'server_error' },
  'stall-mid-stream': { status: 200, body: 'cut' },
  'drop-mid-audio': { status: 200, body: 'cut' },
  'ndjson-error-line': { status: 200, body: 'cut' },
  'ndjson-error-first': { status: 200, body: 'complete' },
  'malformed-line': { status: 200, body: 'cut' },
  'malformed-first': { status: 200, body: 'complete' },
  'split-lines': { status: 200, body: 'complete' },
  'bad-base64': { status: 200, body: 'cut' },
  'bad-base64-first': { status: 200, body: 'complete' },
  slow: { status: 200, body: 'complete' },
};
