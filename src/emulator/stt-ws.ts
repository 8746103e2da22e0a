// Placeholder: the STT WebSocket emulator (/stt/v1/transcribe:streamBidirectional) is owned by
// another engineer and replaces this file.
import type { IncomingMessage } from 'node:http';
import type { WebSocket } from 'ws';
import type { EmulatorContext } from './context.js';

/** Close code for "internal error" (RFC 6455). */
const CLOSE_INTERNAL_ERROR = 1011;

export function handleSttSocket(socket: WebSocket, _request: IncomingMessage, _context: EmulatorContext): void {
  socket.close(CLOSE_INTERNAL_ERROR, 'not implemented');
}
