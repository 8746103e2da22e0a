// `inworld mcp --http`: the SDK's streamable HTTP client against the built CLI, and who may talk
// to it: loopback by default with Host and Origin checked; another address only with a bearer
// token, checked on every request.
import assert from 'node:assert/strict';
import { request } from 'node:http';
import { after, before, describe, test } from 'node:test';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { checkWavFile } from '../faults/harness.js';
import { runCli } from '../helpers/cli.js';
import { call, SECRET_KEY, startHttpServer, tempDir, type HttpServer } from './mcp-client.js';

const TOKEN = 'test-token-0123456789abcdef';

async function connect(url: string, headers: Record<string, string> = {}): Promise<Client> {
  const client = new Client({ name: 'inworld-http-test', version: '1.0.0' });
  await client.connect(new StreamableHTTPClientTransport(new URL(url), { requestInit: { headers } }));
  return client;
}

/** A raw POST of a JSON-RPC request (initialize unless told), with the headers a test chooses. */
function rawPost(url: string, headers: Record<string, string>, method = 'initialize'): Promise<{ status: number; body: string; headers: Record<string, string | string[] | undefined> }> {
  const params = method === 'initialize' ? { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'raw', version: '1' } } : {};
  const body = JSON.stringify({ jsonrpc: '2.0', id: 1, method, params });
  return new Promise((resolve, reject) => {
    const req = request(url, { method: 'POST', headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream', ...headers } }, (res) => {
      let text = '';
      res.on('data', (chunk: Buffer) => (text += chunk.toString('utf8')));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text, headers: res.headers }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

describe('inworld mcp --http on loopback', () => {
  const out = tempDir();
  let server: HttpServer;
  before(async () => {
    server = await startHttpServer(['--http', '0', '--emulator', '--out-dir', out.dir], { INWORLD_EMULATOR_STT_SCRIPT: '["Over HTTP."]' });
  });
  after(async () => {
    const code = await server.stop();
    assert.ok(!server.stderr().includes(SECRET_KEY));
    assert.equal(code, 130);
    out.cleanup();
  });

  test('listens on 127.0.0.1 and serves every tool to the SDK client', async () => {
    assert.match(server.url, /^http:\/\/127\.0\.0\.1:\d+\/mcp$/);
    const client = await connect(server.url);
    try {
      const { tools } = await client.listTools();
      assert.equal(tools.length, 7);
      const spoken = await call(client, 'speak', { text: 'Hello over HTTP.', file_name: 'http.wav' });
      assert.equal(spoken.result.isError, undefined, spoken.text);
      assert.ok(checkWavFile(spoken.json.path).valid);
      const heard = await call(client, 'transcribe', { path: 'http.wav' });
      assert.equal(heard.json.text, 'Over HTTP.');
      const bad = await call(client, 'speak', { text: 'x', temperature: 9 });
      assert.equal(bad.result.isError, true);
      const usage = await call(client, 'get_usage');
      // Arguments the schema refuses never reach the tool: only the call that ran is counted.
      assert.equal(usage.json.byTool.speak.calls, 1);
    } finally {
      await client.close();
    }
  });

  test('sessions are separate clients of one server: a second client sees the same usage', async () => {
    const [a, b] = [await connect(server.url), await connect(server.url)];
    try {
      await call(a, 'list_voices', { limit: 1 });
      const usage = await call(b, 'get_usage');
      assert.ok(usage.json.byTool.list_voices.calls >= 1);
    } finally {
      await a.close();
      await b.close();
    }
  });

  test('refuses another Host (DNS rebinding), a foreign Origin, and other paths', async () => {
    const port = new URL(server.url).port;
    assert.equal((await rawPost(server.url, { host: `evil.example:${port}` })).status, 403);
    assert.equal((await rawPost(server.url, { origin: 'http://evil.example' })).status, 403);
    assert.equal((await rawPost(server.url, { origin: `http://localhost:${port}` })).status, 200);
    assert.equal((await rawPost(server.url.replace('/mcp', '/other'), {})).status, 404);
  });
});

describe('inworld mcp --http off loopback', () => {
  test('refuses a host other than loopback without a token, before anything starts', async () => {
    const run = await runCli(['mcp', '--http', '0', '--host', '0.0.0.0', '--emulator'], { timeoutMs: 15_000 });
    assert.equal(run.code, 2);
    assert.match(run.stderr, /--token/);
    const stdio = await runCli(['mcp', '--token', TOKEN, '--emulator'], { timeoutMs: 15_000 });
    assert.equal(stdio.code, 2);
    assert.match(stdio.stderr, /HTTP transport/);
  });

  test('with --token, every request needs the bearer token', async () => {
    const out = tempDir();
    const server = await startHttpServer(['--http', '0', '--host', '0.0.0.0', '--emulator', '--out-dir', out.dir], { INWORLD_MCP_TOKEN: TOKEN });
    try {
      const url = server.url.replace('0.0.0.0', '127.0.0.1');
      assert.equal((await rawPost(url, {})).status, 401);
      assert.equal((await rawPost(url, { authorization: 'Bearer wrong-token-wrong-token' })).status, 401);
      await assert.rejects(connect(url));
      const client = await connect(url, { authorization: `Bearer ${TOKEN}` });
      const spoken = await call(client, 'speak', { text: 'Token accepted.' });
      assert.equal(spoken.result.isError, undefined, spoken.text);
      await client.close();
      assert.ok(!server.stderr().includes(TOKEN), 'the token is not logged');
    } finally {
      await server.stop();
      out.cleanup();
    }
  });
});

describe('HTTP sessions that go quiet', () => {
  test('a session without a request for sessionIdleMs is ended; a client holding its event stream open keeps its own', async () => {
    const { startMcp } = await import('../../src/mcp/index.js');
    const out = tempDir();
    const lines: string[] = [];
    const mcp = await startMcp({
      connection: { apiKey: SECRET_KEY, baseUrl: 'http://127.0.0.1:9', maxRetries: 0 },
      outDir: out.dir,
      http: { port: 0, host: '127.0.0.1', sessionIdleMs: 300 },
      log: (line) => lines.push(line),
    });
    try {
      // The SDK client keeps a GET event stream open for the server's messages: in use throughout.
      const kept = await connect(mcp.url!);
      // A client that initialized and vanished without a DELETE.
      const vanished = await rawPost(mcp.url!, { host: new URL(mcp.url!).host });
      assert.equal(vanished.status, 200);
      const sessionId = vanished.headers['mcp-session-id'] as string;
      assert.ok(sessionId);
      await new Promise((resolve) => setTimeout(resolve, 900));
      const { tools } = await kept.listTools();
      assert.equal(tools.length, 7);
      const late = await rawPost(mcp.url!, { host: new URL(mcp.url!).host, 'mcp-session-id': sessionId, 'mcp-protocol-version': '2025-06-18' }, 'tools/list');
      assert.equal(late.status, 404);
      assert.match(late.body, /Unknown or ended session/);
      assert.equal(lines.filter((line) => /ended after 0 s without a request/.test(line)).length, 1, lines.join('\n'));
      await kept.close();
    } finally {
      await mcp.close();
      out.cleanup();
    }
  });
});
