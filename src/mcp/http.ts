// The streamable HTTP transport: one endpoint, `/mcp`, one SDK transport and McpServer per
// session (created by an `initialize` request, ended by DELETE, by `sessionIdleMs` without a
// request, or when the server stops), every request through http-guard.ts first. Clients that
// vanish without a DELETE would otherwise keep their session for as long as the server runs.
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import type { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import { refusal, type GuardOptions } from './http-guard.js';

export const MCP_PATH = '/mcp';
/** Largest request body; tool arguments are small (audio is passed by path, never inline). */
const MAX_BODY_BYTES = 1024 * 1024;
/** A session with no request for this long (and none open) is ended. */
export const DEFAULT_SESSION_IDLE_MS = 30 * 60 * 1000;

export interface HttpOptions {
  port: number;
  host: string;
  token?: string;
  allowedOrigins?: readonly string[];
  /** How long a session may go without a request before it is ended (default 30 minutes). */
  sessionIdleMs?: number;
  newServer(): Promise<McpServer>;
  log(line: string): void;
}

export interface RunningHttp {
  url: string;
  close(): Promise<void>;
}

interface Session {
  transport: StreamableHTTPServerTransport;
  server: McpServer;
  /** When its last request ended (or it started). */
  lastActiveMs: number;
  /** Requests still being answered, an open event stream among them. */
  openRequests: number;
}

function answer(response: ServerResponse, status: number, message: string, headers: Record<string, string> = {}): void {
  if (response.headersSent) return void response.end();
  response.writeHead(status, { 'content-type': 'application/json', ...headers });
  response.end(JSON.stringify({ jsonrpc: '2.0', error: { code: -32000, message }, id: null }));
}

export async function serveHttp(options: HttpOptions): Promise<RunningHttp> {
  const { StreamableHTTPServerTransport } = await import('@modelcontextprotocol/sdk/server/streamableHttp.js');
  const sessions = new Map<string, Session>();
  const guard: GuardOptions = { host: options.host, port: options.port, token: options.token, allowedOrigins: options.allowedOrigins };

  async function newSession(request: IncomingMessage, response: ServerResponse): Promise<void> {
    let session: Session | undefined;
    const transport = new StreamableHTTPServerTransport({
      sessionIdGenerator: () => randomUUID(),
      maxRequestBodySize: MAX_BODY_BYTES,
      onsessioninitialized: (id) => {
        if (session) sessions.set(id, session);
        options.log(`session ${id.slice(0, 8)} started`);
      },
    });
    const server = await options.newServer();
    session = { transport, server, lastActiveMs: Date.now(), openRequests: 0 };
    transport.onclose = () => {
      if (transport.sessionId) sessions.delete(transport.sessionId);
    };
    await server.connect(transport);
    await transport.handleRequest(request, response);
    // Not an initialize request: the SDK has answered 400; nothing to keep.
    if (transport.sessionId === undefined) await server.close();
  }

  async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const path = new URL(request.url ?? '/', 'http://localhost').pathname;
    if (path !== MCP_PATH) return answer(response, 404, `Not found; the MCP endpoint is ${MCP_PATH}`);
    const refused = refusal(request, guard);
    if (refused) return answer(response, refused.status, refused.message, refused.headers);
    const id = request.headers['mcp-session-id'];
    if (typeof id === 'string') {
      const session = sessions.get(id);
      if (!session) return answer(response, 404, 'Unknown or ended session; initialize a new one');
      session.openRequests += 1;
      response.once('close', () => {
        session.openRequests -= 1;
        session.lastActiveMs = Date.now();
      });
      return session.transport.handleRequest(request, response);
    }
    if (request.method !== 'POST') return answer(response, 400, 'No session: start one with an initialize request (POST)');
    return newSession(request, response);
  }

  const http: Server = createServer((request, response) => {
    handle(request, response).catch((error: unknown) => {
      options.log(`request failed: ${(error as Error).message}`);
      answer(response, 500, 'Internal error');
    });
  });
  await new Promise<void>((resolve, reject) => {
    http.once('error', reject);
    http.listen(options.port, options.host, () => resolve());
  });
  guard.port = (http.address() as AddressInfo).port;
  const idleMs = options.sessionIdleMs ?? DEFAULT_SESSION_IDLE_MS;
  const sweeper = setInterval(() => {
    const now = Date.now();
    for (const [id, session] of sessions) {
      if (session.openRequests > 0 || now - session.lastActiveMs < idleMs) continue;
      sessions.delete(id);
      options.log(`session ${id.slice(0, 8)} ended after ${Math.round(idleMs / 1000)} s without a request`);
      void session.server.close().catch(() => undefined);
    }
  }, Math.min(Math.max(idleMs / 4, 10), 60_000));
  sweeper.unref();

  const host = options.host.includes(':') ? `[${options.host}]` : options.host;
  return {
    url: `http://${host}:${guard.port}${MCP_PATH}`,
    async close() {
      clearInterval(sweeper);
      for (const session of sessions.values()) await session.server.close().catch(() => undefined);
      sessions.clear();
      http.closeAllConnections();
      await new Promise<void>((resolve) => http.close(() => resolve()));
    },
  };
}
