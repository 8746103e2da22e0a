// Closing a running emulator: tell WebSocket clients we are going away, give them a moment to
// answer, destroy what is left, run the handlers' cleanups, then stop listening.
import type { Server } from 'node:http';
import type { Socket } from 'node:net';
import { WebSocket, type WebSocketServer } from 'ws';
import type { ServerRuntime } from './runtime.js';
import { WS_CLOSE_GOING_AWAY } from './ws-close-codes.js';

/** How long WebSocket clients get to answer our close frame before their sockets are destroyed. */
const CLOSE_GRACE_MS = 200;

export async function shutDown(runtime: ServerRuntime, server: Server, wss: WebSocketServer, sockets: ReadonlySet<Socket>): Promise<void> {
  runtime.beginClose();
  for (const client of wss.clients) {
    try {
      client.close(WS_CLOSE_GOING_AWAY, 'emulator shutting down');
    } catch {
      client.terminate();
    }
  }
  if (wss.clients.size > 0) await clientsClosed(wss);
  for (const client of wss.clients) client.terminate();
  runtime.runCleanups();
  const serverClosed = new Promise<void>((resolve) => server.close(() => resolve()));
  for (const socket of sockets) socket.destroy();
  wss.close();
  await serverClosed;
}

/** Resolves when every client has closed, or after the grace period. */
function clientsClosed(wss: WebSocketServer): Promise<void> {
  return new Promise<void>((resolve) => {
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
