// HTTP_PROXY / HTTPS_PROXY / NO_PROXY: REST and WebSocket traffic goes through a CONNECT proxy.
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import { connect } from 'node:net';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import type { AddressInfo } from 'node:net';
import { startEmulator, type RunningEmulator } from '../../src/emulator/index.js';
import { cleanEnv, runCli } from '../helpers/cli.js';

let emulator: RunningEmulator;
let proxy: Server;
let proxyUrl: string;
const tunnels: string[] = [];
const dir = mkdtempSync(join(tmpdir(), 'inworld-proxy-'));

before(async () => {
  emulator = await startEmulator({ port: 0, engine: 'synthetic' });
  // A minimal CONNECT proxy that records which host:port each tunnel was opened to.
  proxy = createServer((_request, response) => response.writeHead(405).end());
  proxy.on('connect', (request, client, head) => {
    tunnels.push(String(request.url));
    const [host, port] = String(request.url).split(':');
    const upstream = connect(Number(port), host, () => {
      client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
      upstream.write(head);
      upstream.pipe(client);
      client.pipe(upstream);
    });
    upstream.on('error', () => client.destroy());
    client.on('error', () => upstream.destroy());
  });
  await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
  proxyUrl = `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`;
});
after(async () => {
  proxy.closeAllConnections();
  await new Promise((resolve) => proxy.close(resolve));
  await emulator.close();
});

function env(extra: Record<string, string | undefined>) {
  return cleanEnv({ INWORLD_API_KEY: 'proxy-test-key', INWORLD_BASE_URL: emulator.url, ...extra });
}

test('REST requests go through HTTP_PROXY', async () => {
  tunnels.length = 0;
  const result = await runCli(['say', 'Through the proxy.', '-o', join(dir, 'a.wav')], { env: env({ HTTP_PROXY: proxyUrl }) });
  assert.equal(result.code, 0, result.stderr);
  assert.ok(tunnels.includes(new URL(emulator.url).host), `tunnels: ${tunnels.join(', ')}`);
});

test('NO_PROXY exempts a host', async () => {
  tunnels.length = 0;
  const result = await runCli(['say', 'Direct.', '-o', join(dir, 'b.wav')], { env: env({ HTTP_PROXY: proxyUrl, NO_PROXY: '127.0.0.1' }) });
  assert.equal(result.code, 0, result.stderr);
  assert.deepEqual(tunnels, []);
});

test('WebSocket streams go through the proxy too', async () => {
  tunnels.length = 0;
  const result = await runCli(['stream', '-o', join(dir, 'c.wav')], { env: env({ HTTP_PROXY: proxyUrl }), input: 'Streamed through the proxy.' });
  assert.equal(result.code, 0, result.stderr);
  assert.ok(tunnels.includes(new URL(emulator.wsUrl).host), `tunnels: ${tunnels.join(', ')}`);
});
