// `inworld mcp`'s engine, started by the CLI command (or by anyone holding the library's
// connection settings): the Inworld client, the output directory, the usage ledger, and the
// transport: stdio (standard output carries nothing but the protocol) or streamable HTTP.
import { ValidationError } from '../core/errors.js';
import { Inworld, type InworldOptions } from '../inworld.js';
import { isLoopbackAddress } from '../core/bearer-token.js';
import { FileSandbox } from './sandbox.js';
import { createMcpServer } from './server.js';
import type { ToolContext } from './tool-kit.js';
import { UsageLedger } from './usage.js';

export { defaultOutputDirectory } from './sandbox.js';
export { TOOL_NAMES } from './server.js';

export interface McpOptions {
  /** How to reach Inworld (resolved by the caller: key, URLs, timeouts, retries). */
  connection: InworldOptions;
  outDir: string;
  inputDirs?: readonly string[];
  /** Serve streamable HTTP on this port (0: any free port) instead of stdio. */
  http?: { port: number; host: string; token?: string; allowedOrigins?: readonly string[]; sessionIdleMs?: number };
  /** The server's log lines (never standard output). */
  log(line: string): void;
  /** Strings that must never appear in a result (the key is always one). */
  secrets?: readonly string[];
  env?: NodeJS.ProcessEnv;
}

export interface RunningMcp {
  /** The HTTP endpoint, for --http. */
  url?: string;
  outDir: string;
  /** Resolves when the client has gone (stdio input ended) or close() was called. */
  closed: Promise<void>;
  close(): Promise<void>;
}

/** Refuses an HTTP server reachable from other machines without a token, before anything starts. */
export function checkHttpOptions(http: McpOptions['http']): void {
  if (!http) return;
  if (!isLoopbackAddress(http.host) && !http.token) {
    throw new ValidationError(`--host ${http.host} would let other machines use your Inworld key through this server`, {
      hint: 'Add --token <secret> (clients then send Authorization: Bearer <secret>), or drop --host to stay on 127.0.0.1',
    });
  }
  if (http.token !== undefined && http.token.length < 16) throw new ValidationError('--token is shorter than 16 characters', { hint: 'Use a long random secret, e.g. openssl rand -hex 24' });
}

export async function startMcp(options: McpOptions): Promise<RunningMcp> {
  checkHttpOptions(options.http);
  const files = await FileSandbox.open(options.outDir, options.inputDirs);
  const inworld = new Inworld({ ...options.connection });
  const context: ToolContext = {
    inworld,
    files,
    usage: new UsageLedger(),
    log: options.log,
    secrets: [options.connection.apiKey, ...(options.secrets ?? []), options.http?.token].filter((s): s is string => typeof s === 'string' && s.length > 0),
    env: options.env ?? process.env,
  };
  let finish!: () => void;
  const closed = new Promise<void>((resolve) => (finish = resolve));

  if (options.http) {
    const { serveHttp } = await import('./http.js');
    const http = await serveHttp({ ...options.http, newServer: () => createMcpServer(context), log: options.log });
    const close = async () => {
      await http.close();
      await inworld.close();
      finish();
    };
    return { url: http.url, outDir: files.outDir, closed, close };
  }

  const { StdioServerTransport } = await import('@modelcontextprotocol/sdk/server/stdio.js');
  const server = await createMcpServer(context);
  const transport = new StdioServerTransport();
  const close = async () => {
    await server.close().catch(() => undefined);
    await inworld.close();
    finish();
  };
  // The client closing our standard input is the end of the session.
  process.stdin.once('end', () => void close());
  process.stdin.once('close', () => void close());
  await server.connect(transport);
  return { outDir: files.outDir, closed, close };
}
