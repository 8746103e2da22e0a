// The SDK's own MCP client against `inworld mcp` run as users run it: bin/inworld.js in a child
// process, over stdio (StdioClientTransport spawns it) or streamable HTTP (the first stdout line
// is the endpoint).
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { BIN, cleanEnv } from '../helpers/cli.js';

/** The key every test run uses, searched for in every output. */
export const SECRET_KEY = 'bWNwLXRlc3Q6czNjcjN0LW5ldmVyLXByaW50LW1l';

export interface StdioSession {
  client: Client;
  outDir: string;
  stderr(): string;
  /** Lines on stdout that were not protocol messages. */
  transportErrors: Error[];
  close(): Promise<void>;
}

export function tempDir(prefix = 'inworld-mcp-test-'): { dir: string; cleanup(): void } {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

export async function stdioSession(options: { args?: string[]; env?: Record<string, string>; outDir?: string } = {}): Promise<StdioSession> {
  const temp = options.outDir ? undefined : tempDir();
  const outDir = options.outDir ?? temp!.dir;
  const transport = new StdioClientTransport({
    command: process.execPath,
    args: [BIN, 'mcp', '--out-dir', outDir, ...(options.args ?? ['--emulator'])],
    env: cleanEnv({ INWORLD_API_KEY: SECRET_KEY, ...options.env }),
    stderr: 'pipe',
  });
  let stderr = '';
  transport.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
  const transportErrors: Error[] = [];
  transport.onerror = (error) => transportErrors.push(error);
  const client = new Client({ name: 'inworld-test', version: '1.0.0' });
  await client.connect(transport);
  // connect() replaced onerror with the client's own; keep ours too.
  const clientOnError = transport.onerror;
  transport.onerror = (error) => {
    transportErrors.push(error);
    clientOnError?.(error);
  };
  return {
    client,
    outDir,
    stderr: () => stderr,
    transportErrors,
    close: async () => {
      await client.close();
      temp?.cleanup();
    },
  };
}

/** Calls a tool; returns the result with its text and (for successes) the parsed JSON. */
export async function call(client: Client, name: string, args: Record<string, unknown> = {}): Promise<{ result: CallToolResult; text: string; json: any; ms: number }> {
  const started = performance.now();
  const result = (await client.callTool({ name, arguments: args })) as CallToolResult;
  const ms = performance.now() - started;
  const first = result.content[0];
  const text = first && first.type === 'text' ? first.text : '';
  return { result, text, json: result.isError ? undefined : result.structuredContent, ms };
}

export interface HttpServer {
  url: string;
  child: ChildProcessWithoutNullStreams;
  stderr(): string;
  stop(): Promise<number | null>;
}

/** Starts `inworld mcp --http …`, resolving with the endpoint from its first stdout line. */
export function startHttpServer(args: string[], env: Record<string, string> = {}): Promise<HttpServer> {
  const child = spawn(process.execPath, [BIN, 'mcp', ...args], { env: cleanEnv({ INWORLD_API_KEY: SECRET_KEY, ...env }), stdio: ['pipe', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no URL within 20 s; stderr: ${stderr}`)), 20_000);
    const lines = createInterface({ input: child.stdout });
    lines.once('line', (url) => {
      clearTimeout(timer);
      resolve({
        url,
        child,
        stderr: () => stderr,
        stop: async () => {
          child.kill('SIGINT');
          return exited;
        },
      });
    });
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`exited ${code} before listening: ${stderr}`));
    });
  });
}
