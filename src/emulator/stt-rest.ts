// Placeholder: the STT REST emulator (POST /stt/v1/transcribe) is owned by another engineer and
// replaces this file.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { EmulatorContext } from './context.js';

/** gRPC UNIMPLEMENTED, answered as HTTP 501 by grpc-gateway. */
const GRPC_UNIMPLEMENTED = 12;

export function handleSttTranscribe(
  _request: IncomingMessage,
  response: ServerResponse,
  _body: Buffer,
  _context: EmulatorContext,
): void {
  response.writeHead(501, { 'content-type': 'application/json' });
  response.end(JSON.stringify({ code: GRPC_UNIMPLEMENTED, message: 'transcribe is not implemented in the emulator yet', details: [] }));
}
