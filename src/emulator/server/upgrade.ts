// WebSocket handshakes: the request log, authentication, which handler takes the path, the fault
// actions that act before any handler (a stalled or refused upgrade), then the upgrade itself.
import { type IncomingMessage, STATUS_CODES } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import { headerStall, statusAnswer } from '../faults/before-handler.js';
import { handleSttSocket } from '../stt/ws.js';
import { handleTtsSocket } from '../tts/ws.js';
import { authenticate, offeredSubprotocols } from './auth.js';
import type { EmulatorContext } from './context.js';
import { GRPC_NOT_FOUND, GRPC_UNAUTHENTICATED, rpcStatus } from './grpc.js';
import { requestUrl, STT_WS_PATH, TTS_WS_PATH } from './routes.js';
import type { ServerRuntime } from './runtime.js';

type SocketHandler = (socket: WebSocket, request: IncomingMessage, context: EmulatorContext) => void;

const SOCKET_HANDLERS: Record<string, SocketHandler> = {
  [TTS_WS_PATH]: handleTtsSocket,
  [STT_WS_PATH]: handleSttSocket,
};

export function createWebSocketServer(): WebSocketServer {
  return new WebSocketServer({
    noServer: true,
    // Echo the subprotocol a client authenticated with (`bearer_<token>`), else the first offered:
    // a client that offers protocols fails the handshake when none is selected.
    handleProtocols: (protocols) => {
      const list = [...protocols];
      return list.find((p) => p.toLowerCase().startsWith('bearer_')) ?? list[0] ?? false;
    },
  });
}

/** The server's 'upgrade' listener: never rejects; an unexpected error destroys the socket. */
export function upgradeListener(runtime: ServerRuntime, wss: WebSocketServer): (request: IncomingMessage, socket: Duplex, head: Buffer) => void {
  return (request, socket, head) => {
    handleUpgrade(runtime, wss, request, socket, head).catch((error: unknown) => {
      runtime.log.info(`upgrade error: ${error instanceof Error ? error.message : String(error)}`);
      socket.destroy();
    });
  };
}

async function handleUpgrade(runtime: ServerRuntime, wss: WebSocketServer, request: IncomingMessage, socket: Duplex, head: Buffer): Promise<void> {
  const { log, options } = runtime;
  // A client that resets while we stall or refuse must not become an unhandled 'error'.
  socket.on('error', (error) => log.debug(`upgrade socket error: ${error.message}`));
  const url = requestUrl(request);
  const path = url.pathname;
  const record = runtime.recorder.record({
    protocol: 'ws',
    method: 'GET',
    path,
    query: Object.fromEntries(url.searchParams),
    headers: request.headers,
    subprotocols: offeredSubprotocols(request),
  });
  const refuse = (status: number, body: unknown, headers: Record<string, string> = {}): void => {
    record.status = status;
    log.info(`WS ${path} refused ${status}`);
    refuseUpgrade(socket, status, body, headers);
  };
  const auth = authenticate(request, url, options.apiKey, true);
  if (!auth.ok) return refuse(401, rpcStatus(GRPC_UNAUTHENTICATED, auth.message));
  const handler = Object.hasOwn(SOCKET_HANDLERS, path) ? SOCKET_HANDLERS[path] : undefined;
  if (!handler) return refuse(404, rpcStatus(GRPC_NOT_FOUND, 'Not Found'));

  const matched = runtime.faults.take({ protocol: 'ws', method: 'GET', path });
  await runtime.delay(options.firstByteLatencyMs).catch(() => {});
  const stallFault = headerStall(matched);
  if (stallFault) await stallHandshake(runtime, socket, stallFault.ms);
  if (socket.destroyed || runtime.closing.aborted) return void socket.destroy();
  const answer = statusAnswer(matched);
  if (answer) return refuse(answer.status, answer.body, answer.headers);
  wss.handleUpgrade(request, socket, head, (ws: WebSocket) => {
    record.status = 101;
    log.info(`WS ${path} open`);
    ws.on('close', (code) => log.info(`WS ${path} closed ${code}`));
    handler(ws, request, runtime.contextFor(record, matched));
  });
}

/** Waits `ms` (forever when absent), or until the client gives up or the emulator closes. */
function stallHandshake(runtime: ServerRuntime, socket: Duplex, ms: number | undefined): Promise<void> {
  return new Promise<void>((resolve) => {
    if (ms !== undefined) runtime.delay(ms).then(resolve, resolve);
    socket.once('close', () => resolve());
    runtime.closing.addEventListener('abort', () => resolve(), { once: true });
  });
}

function refuseUpgrade(socket: Duplex, status: number, body: unknown, headers: Record<string, string>): void {
  const text = JSON.stringify(body);
  const lines = [
    `HTTP/1.1 ${status} ${STATUS_CODES[status] ?? 'Error'}`,
    'Connection: close',
    'Content-Type: application/json',
    `Content-Length: ${Buffer.byteLength(text)}`,
    ...Object.entries(headers).map(([key, value]) => `${key}: ${value}`),
  ];
  socket.end(`${lines.join('\r\n')}\r\n\r\n${text}`);
}
