// The emulator's HTTP + WebSocket server: one runtime (runtime.ts) shared by the plain request
// handler (http-handler.ts), the WebSocket upgrades (upgrade.ts) and shutdown (shutdown.ts).
import { createServer } from 'node:http';
import type { Socket } from 'node:net';
import type { FaultRegistry } from '../faults/rules.js';
import { httpListener } from './http-handler.js';
import type { EmulatorOptions, ResolvedEmulatorOptions, SpeechEngineName } from './options.js';
import type { RequestRecorder } from './recorder.js';
import { createRuntime } from './runtime.js';
import { shutDown } from './shutdown.js';
import { createWebSocketServer, upgradeListener } from './upgrade.js';

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
  const runtime = createRuntime(input);
  const { options } = runtime;
  const sockets = new Set<Socket>();
  const server = createServer({ keepAliveTimeout: KEEP_ALIVE_TIMEOUT_MS });
  server.on('connection', (socket) => {
    socket.setNoDelay(true);
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  const wss = createWebSocketServer();
  server.on('request', httpListener(runtime));
  server.on('upgrade', upgradeListener(runtime, wss));

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
  return {
    url: `http://${hostInUrl}:${port}/`,
    wsUrl: `ws://${hostInUrl}:${port}/`,
    port,
    host: options.host,
    engine: runtime.speech.name,
    options,
    faults: runtime.faults,
    requests: runtime.recorder,
    close: () => (closed ??= shutDown(runtime, server, wss, sockets)),
  };
}
