// The emulator's HTTP + WebSocket server: authentication, request recording, fault rules that apply
// before any handler (latency, stalls, status answers, refused upgrades), routing, and shutdown.
import { createServer, IncomingMessage, ServerResponse, STATUS_CODES } from 'node:http';
import type { Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import { randomUUID } from 'node:crypto';
import { setMaxListeners } from 'node:events';
import { WebSocketServer, WebSocket } from 'ws';
import { authenticate, offeredSubprotocols } from './auth.js';
import type { EmulatorContext, EmulatorLogger } from './context.js';
import { CONTROL_PREFIX, handleControl } from './control-http.js';
import { createEncoder } from '../codecs/encoders.js';
import { FaultAction, FaultRegistry, findAction } from '../faults/rules.js';
import { stall } from '../faults/http-writer.js';
import {
  EmulatorError, GRPC_INTERNAL, GRPC_INVALID_ARGUMENT, GRPC_NOT_FOUND, GRPC_RESOURCE_EXHAUSTED, GRPC_UNAUTHENTICATED, GRPC_UNIMPLEMENTED,
  grpcCodeForHttpStatus, rpcStatus,
} from './grpc.js';
import { BodyTooLargeError, readBody, sendJson, sendRpcError, sendStatus } from './http-io.js';
import type { EmulatorOptions, ResolvedEmulatorOptions } from './options.js';
import { resolveEmulatorOptions } from './options.js';
import { RecordedRequest, RequestRecorder } from './recorder.js';
import { createSpeechEngine, espeakAvailable } from '../tts/speech.js';
import { handleSttSocket } from '../stt/ws.js';
import { handleSttTranscribe } from '../stt/rest.js';
import { handleTtsSocket } from '../tts/ws.js';
import { handleSynthesize, handleSynthesizeStream } from '../tts/http.js';
import { createVoiceCatalogue } from '../voices/catalogue.js';
import type { SpeechEngineName } from './options.js';
import { handleGetVoice, handleLegacyVoices, handleListVoices } from '../voices/http.js';

export const TTS_PATH = '/tts/v1/voice';
export const TTS_STREAM_PATH = '/tts/v1/voice:stream';
export const TTS_WS_PATH = '/tts/v1/voice:streamBidirectional';
export const STT_PATH = '/stt/v1/transcribe';
export const STT_WS_PATH = '/stt/v1/transcribe:streamBidirectional';
export const LEGACY_VOICES_PATH = '/tts/v1/voices';
export const VOICES_PATH = '/voices/v1/voices';
const WORKSPACE_VOICES = /^\/voices\/v1\/workspaces\/[^/]+\/voices(?:\/([^/]+))?$/;

/** How long WebSocket clients get to answer our close frame before their sockets are destroyed. */
const CLOSE_GRACE_MS = 200;
const WS_CLOSE_GOING_AWAY = 1001;
/**
 * Idle keep-alive sockets stay open this long. Node's 5 s default races with clients that reuse a
 * pooled connection just as the server drops it (a spurious "fetch failed"); close() destroys them anyway.
 */
const KEEP_ALIVE_TIMEOUT_MS = 65_000;

export interface RunningEmulator {
  /** REST base URL, ending in `/`, e.g. `http://127.0.0.1:PORT/`. */
  readonly url: string;
  /** WebSocket base URL, ending in `/`, e.g. `ws://127.0.0.1:PORT/`. */
  readonly wsUrl: string;
  readonly port: number;
  readonly host: string;
  /** The engine actually rendering speech (`espeak` falls back to `synthetic` when not installed). */
  readonly engine: SpeechEngineName;
  /** Resolved options; switches such as `legacyVoicesNotFound` may be flipped while running. */
  readonly options: ResolvedEmulatorOptions;
  /** Fault rules: `add(rule | spec)`, `remove(id)`, `clear()`, `list()`. */
  readonly faults: FaultRegistry;
  /** Requests and handshakes received: `list()`, `find(path)`, `clear()`. */
  readonly requests: RequestRecorder;
  /** Closes every socket and the listener; safe to call more than once. */
  close(): Promise<void>;
}

export async function startEmulatorServer(input: EmulatorOptions = {}): Promise<RunningEmulator> {
  const options = resolveEmulatorOptions(input, input.engine === 'synthetic' ? false : espeakAvailable());
  const faults = new FaultRegistry();
  for (const rule of input.faults ?? []) faults.add(rule);
  const recorder = new RequestRecorder();
  const voices = createVoiceCatalogue();
  const speech = createSpeechEngine(options.engine, voices);
  const closingController = new AbortController();
  const closing = closingController.signal;
  // Every open session and pending latency timer listens for closing; hundreds at once are normal.
  setMaxListeners(0, closing);
  const cleanups: (() => void)[] = [];
  const debugEnabled = (input.env ?? process.env).INWORLD_EMULATOR_DEBUG === '1';
  const log: EmulatorLogger = {
    info: (message) => {
      if (!options.quiet) options.logSink(`[emulator] ${message}`);
    },
    debug: (message) => {
      if (debugEnabled) options.logSink(`[emulator] ${message}`);
    },
  };
  const delay = (ms: number): Promise<void> =>
    new Promise((resolve, reject) => {
      if (closing.aborted) return reject(new Error('emulator closing'));
      if (!(ms > 0)) return resolve();
      const onAbort = (): void => {
        clearTimeout(timer);
        reject(new Error('emulator closing'));
      };
      const timer = setTimeout(() => {
        closing.removeEventListener('abort', onAbort);
        resolve();
      }, ms);
      timer.unref();
      closing.addEventListener('abort', onAbort, { once: true });
    });
  const contextFor = (record: RecordedRequest, matchedFaults: readonly FaultAction[]): EmulatorContext => ({
    options,
    faults,
    log,
    speech,
    createEncoder,
    voices,
    recorder,
    record,
    matchedFaults,
    closing,
    onClose: (cleanup) => cleanups.push(cleanup),
    delay,
  });

  let activeSynthesis = 0;
  /** Runs a synthesis handler under the concurrency limit (429 / RESOURCE_EXHAUSTED past it). */
  const limited = async (response: ServerResponse, run: () => Promise<void>): Promise<void> => {
    if (activeSynthesis >= options.maxConcurrentSynthesis) {
      throw new EmulatorError(GRPC_RESOURCE_EXHAUSTED, `Too many concurrent requests: the limit is ${options.maxConcurrentSynthesis}`);
    }
    activeSynthesis += 1;
    // Released when the response is over, whichever way it ends.
    response.once('close', () => (activeSynthesis -= 1));
    await run();
  };

  const sockets = new Set<Socket>();
  const server = createServer({ keepAliveTimeout: KEEP_ALIVE_TIMEOUT_MS });
  server.on('connection', (socket) => {
    socket.setNoDelay(true);
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });

  const wss = new WebSocketServer({
    noServer: true,
    // Echo the subprotocol a client authenticated with (`bearer_<token>`), else the first offered:
    // a client that offers protocols fails the handshake when none is selected.
    handleProtocols: (protocols) => {
      const list = [...protocols];
      return list.find((p) => p.toLowerCase().startsWith('bearer_')) ?? list[0] ?? false;
    },
  });

  server.on('request', (request: IncomingMessage, response: ServerResponse) => {
    handleHttp(request, response).catch((error: unknown) => {
      log.info(`internal error: ${error instanceof Error ? error.stack ?? error.message : String(error)}`);
      if (!response.headersSent) sendStatus(response, 500, GRPC_INTERNAL, 'Internal error');
      else response.destroy();
    });
  });

  async function handleHttp(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const startedMs = Date.now();
    const url = requestUrl(request);
    const path = url.pathname;
    const method = (request.method ?? 'GET').toUpperCase();
    let raw: Buffer;
    try {
      raw = method === 'GET' || method === 'HEAD' ? Buffer.alloc(0) : await readBody(request);
    } catch (error) {
      if (error instanceof BodyTooLargeError) return sendStatus(response, 413, GRPC_INVALID_ARGUMENT, error.message);
      throw error;
    }
    if (options.controlEndpoints && path.startsWith(CONTROL_PREFIX)) {
      return handleControl(method, path, raw, response, { faults, recorder, engine: speech.name, options });
    }

    const rawBody = raw.toString('utf8');
    let body: unknown;
    let bodyParsed = raw.length === 0;
    if (raw.length > 0) {
      try {
        body = JSON.parse(rawBody);
        bodyParsed = true;
      } catch {
        body = undefined;
      }
    }
    const record = recorder.record({
      protocol: 'http',
      method,
      path,
      query: Object.fromEntries(url.searchParams),
      headers: request.headers,
      bodyBytes: raw.length,
      ...(body !== undefined ? { body } : {}),
      ...(path === STT_PATH ? {} : { rawBody }),
    });
    const requestId = headerValue(request, 'x-request-id') ?? randomUUID();
    response.setHeader('x-request-id', requestId);
    response.on('finish', () => {
      record.status = response.statusCode;
      log.info(`${method} ${path} ${response.statusCode} ${Date.now() - startedMs}ms`);
    });
    response.on('close', () => {
      if (!response.writableFinished) log.info(`${method} ${path} connection closed after ${Date.now() - startedMs}ms`);
    });

    const auth = authenticate(request, url, options.apiKey, false);
    if (!auth.ok) return sendStatus(response, 401, GRPC_UNAUTHENTICATED, auth.message);

    const matched = faults.take({ protocol: 'http', method, path });
    await delay(options.firstByteLatencyMs).catch(() => {});
    const headerStall = matched.find((a): a is Extract<FaultAction, { type: 'stall' }> => a.type === 'stall' && a.at === 'headers');
    if (headerStall) await stall(contextFor(record, matched), response, headerStall.ms);
    if (response.destroyed) return;
    const statusFault = findAction(matched, 'status');
    if (statusFault) {
      const headers: Record<string, string> = {};
      if (statusFault.retryAfterSeconds !== undefined) headers['retry-after'] = String(statusFault.retryAfterSeconds);
      const code = statusFault.code ?? grpcCodeForHttpStatus(statusFault.status);
      const message = statusFault.message ?? STATUS_CODES[statusFault.status] ?? 'Injected fault';
      return sendJson(response, statusFault.status, rpcStatus(code, message), headers);
    }

    const ctx = contextFor(record, matched);
    try {
      await route(method, path, url, request, response, raw, body, bodyParsed, ctx);
    } catch (error) {
      if (error instanceof EmulatorError) {
        if (!response.headersSent) return sendRpcError(response, error);
        // Headers are out: report it the way a stream does.
        if (!response.destroyed) response.end(`${JSON.stringify({ error: error.toStatus() })}\n`);
        return;
      }
      if (closing.aborted) return void response.destroy();
      throw error;
    }
  }

  async function route(
    method: string,
    path: string,
    url: URL,
    request: IncomingMessage,
    response: ServerResponse,
    raw: Buffer,
    body: unknown,
    bodyParsed: boolean,
    ctx: EmulatorContext,
  ): Promise<void> {
    const requireJson = (): void => {
      if (!bodyParsed) throw new EmulatorError(GRPC_INVALID_ARGUMENT, 'Invalid JSON payload received');
    };
    const allow = (allowed: string): void => {
      if (method !== allowed) throw new EmulatorError(GRPC_UNIMPLEMENTED, `Method ${method} not allowed on ${path}`, 405);
    };
    switch (path) {
      case TTS_PATH:
        allow('POST');
        requireJson();
        return limited(response, () => handleSynthesize(request, response, body, ctx));
      case TTS_STREAM_PATH:
        allow('POST');
        requireJson();
        return limited(response, () => handleSynthesizeStream(request, response, body, ctx));
      case STT_PATH:
        allow('POST');
        return handleSttTranscribe(request, response, raw, ctx);
      case LEGACY_VOICES_PATH:
        allow('GET');
        return handleLegacyVoices(response, url, ctx);
      case VOICES_PATH:
        allow('GET');
        return handleListVoices(response, url, ctx);
      case '/':
        return sendJson(response, 200, { name: 'inworld-emulator', engine: speech.name });
      default: {
        // The long form `/voices/v1/workspaces/{workspace}/voices[/{voice}]` still works (§1.2).
        const workspace = WORKSPACE_VOICES.exec(path);
        if (workspace) {
          allow('GET');
          return workspace[1] === undefined
            ? handleListVoices(response, url, ctx)
            : handleGetVoice(response, decodeURIComponent(workspace[1]), ctx);
        }
        if (path.startsWith(`${VOICES_PATH}/`) && !path.slice(VOICES_PATH.length + 1).includes('/')) {
          allow('GET');
          return handleGetVoice(response, decodeURIComponent(path.slice(VOICES_PATH.length + 1)), ctx);
        }
        throw new EmulatorError(GRPC_NOT_FOUND, 'Not Found');
      }
    }
  }

  server.on('upgrade', (request: IncomingMessage, socket: Duplex, head: Buffer) => {
    handleUpgrade(request, socket, head).catch((error: unknown) => {
      log.info(`upgrade error: ${error instanceof Error ? error.message : String(error)}`);
      socket.destroy();
    });
  });

  async function handleUpgrade(request: IncomingMessage, socket: Duplex, head: Buffer): Promise<void> {
    // A client that resets while we stall or refuse must not become an unhandled 'error'.
    socket.on('error', (error) => log.debug(`upgrade socket error: ${error.message}`));
    const url = requestUrl(request);
    const path = url.pathname;
    const record = recorder.record({
      protocol: 'ws',
      method: 'GET',
      path,
      query: Object.fromEntries(url.searchParams),
      headers: request.headers,
      subprotocols: offeredSubprotocols(request),
    });
    const refuse = (status: number, code: number, message: string, headers: Record<string, string> = {}): void => {
      record.status = status;
      log.info(`WS ${path} refused ${status}`);
      refuseUpgrade(socket, status, rpcStatus(code, message), headers);
    };
    const auth = authenticate(request, url, options.apiKey, true);
    if (!auth.ok) return refuse(401, GRPC_UNAUTHENTICATED, auth.message);
    const handler = path === TTS_WS_PATH ? handleTtsSocket : path === STT_WS_PATH ? handleSttSocket : undefined;
    if (!handler) return refuse(404, GRPC_NOT_FOUND, 'Not Found');

    const matched = faults.take({ protocol: 'ws', method: 'GET', path });
    await delay(options.firstByteLatencyMs).catch(() => {});
    const headerStall = matched.find((a): a is Extract<FaultAction, { type: 'stall' }> => a.type === 'stall' && a.at === 'headers');
    if (headerStall) {
      await new Promise<void>((resolve) => {
        if (headerStall.ms !== undefined) delay(headerStall.ms).then(resolve, resolve);
        socket.once('close', () => resolve());
        closing.addEventListener('abort', () => resolve(), { once: true });
      });
    }
    if (socket.destroyed || closing.aborted) return void socket.destroy();
    const statusFault = findAction(matched, 'status');
    if (statusFault) {
      const headers: Record<string, string> = {};
      if (statusFault.retryAfterSeconds !== undefined) headers['retry-after'] = String(statusFault.retryAfterSeconds);
      return refuse(
        statusFault.status,
        statusFault.code ?? grpcCodeForHttpStatus(statusFault.status),
        statusFault.message ?? STATUS_CODES[statusFault.status] ?? 'Injected fault',
        headers,
      );
    }
    wss.handleUpgrade(request, socket, head, (ws: WebSocket) => {
      record.status = 101;
      log.info(`WS ${path} open`);
      ws.on('close', (code) => log.info(`WS ${path} closed ${code}`));
      handler(ws, request, contextFor(record, matched));
    });
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : options.port;
  const hostInUrl = options.host.includes(':') ? `[${options.host}]` : options.host;

  let closed: Promise<void> | undefined;
  const close = (): Promise<void> => {
    closed ??= (async () => {
      closingController.abort();
      for (const client of wss.clients) {
        try {
          client.close(WS_CLOSE_GOING_AWAY, 'emulator shutting down');
        } catch {
          client.terminate();
        }
      }
      if (wss.clients.size > 0) {
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, CLOSE_GRACE_MS);
          timer.unref();
          const check = (): void => {
            if ([...wss.clients].every((c) => c.readyState === WebSocket.CLOSED)) {
              clearTimeout(timer);
              resolve();
            }
          };
          for (const client of wss.clients) client.once('close', check);
        });
      }
      for (const client of wss.clients) client.terminate();
      for (const cleanup of cleanups.splice(0)) {
        try {
          cleanup();
        } catch (error) {
          log.debug(`cleanup failed: ${String(error)}`);
        }
      }
      const serverClosed = new Promise<void>((resolve) => server.close(() => resolve()));
      for (const socket of sockets) socket.destroy();
      wss.close();
      await serverClosed;
    })();
    return closed;
  };

  return {
    url: `http://${hostInUrl}:${port}/`,
    wsUrl: `ws://${hostInUrl}:${port}/`,
    port,
    host: options.host,
    engine: speech.name,
    options,
    faults,
    requests: recorder,
    close,
  };
}

function requestUrl(request: IncomingMessage): URL {
  // Clients that join a base URL ending in "/" with a path starting in "/" send "//tts/..."; accept it.
  const target = (request.url ?? '/').replace(/^\/{2,}/, '/');
  return new URL(target, 'http://emulator.invalid');
}

function headerValue(request: IncomingMessage, name: string): string | undefined {
  const value = request.headers[name];
  return Array.isArray(value) ? value[0] : value;
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
