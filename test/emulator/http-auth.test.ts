// Authentication (protocol §1.3, §8.1) on REST and WebSocket upgrades, and header recording.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import WebSocket from 'ws';
import type { RunningEmulator } from '../../src/emulator/index.js';
import { post, start, ttsBody, readJson } from './http-support.js';

const TTS_WS = 'tts/v1/voice:streamBidirectional';
let open: RunningEmulator;
let locked: RunningEmulator;

before(async () => {
  open = await start();
  locked = await start({ apiKey: 'the-key' });
});
after(async () => {
  await open.close();
  await locked.close();
});

function upgrade(emulator: RunningEmulator, path: string, options: { headers?: Record<string, string>; protocols?: string[] } = {}): Promise<{ opened: boolean; status?: number; body?: string; protocol?: string }> {
  return new Promise((resolve) => {
    const socket = new WebSocket(new URL(path, emulator.wsUrl), options.protocols ?? [], { headers: options.headers ?? {} });
    socket.on('open', () => {
      const protocol = socket.protocol;
      socket.terminate();
      resolve({ opened: true, protocol });
    });
    socket.on('unexpected-response', (_req, res) => {
      let body = '';
      res.on('data', (chunk: Buffer) => (body += chunk.toString()));
      res.on('end', () => resolve({ opened: false, status: res.statusCode, body }));
    });
    socket.on('error', () => {});
  });
}

test('a request without Authorization gets 401 with a gRPC UNAUTHENTICATED body', async () => {
  const response = await post(open, '/tts/v1/voice', ttsBody(), { 'content-type': 'application/json' });
  assert.equal(response.status, 401);
  const body = await readJson(response);
  assert.equal(body.code, 16);
  assert.equal(typeof body.message, 'string');
  assert.deepEqual(body.details, []);
});

test('an empty or malformed credential is refused', async () => {
  for (const authorization of ['Basic ', 'Basic', 'Token abc', 'abc']) {
    const response = await post(open, '/tts/v1/voice', ttsBody(), { authorization, 'content-type': 'application/json' });
    assert.equal(response.status, 401, authorization);
    assert.equal((await readJson(response)).code, 16);
  }
});

test('any non-empty Basic or Bearer credential passes when no key is configured', async () => {
  for (const authorization of ['Basic whatever', 'bearer some.jwt.token', 'BASIC abc']) {
    const response = await post(open, '/tts/v1/voice', ttsBody(), { authorization, 'content-type': 'application/json' });
    assert.equal(response.status, 200, authorization);
    await response.arrayBuffer();
  }
});

test('with apiKey set only that credential passes', async () => {
  const wrong = await post(locked, '/tts/v1/voice', ttsBody(), { authorization: 'Basic other', 'content-type': 'application/json' });
  assert.equal(wrong.status, 401);
  assert.equal((await readJson(wrong)).code, 16);
  const right = await post(locked, '/tts/v1/voice', ttsBody(), { authorization: 'Basic the-key', 'content-type': 'application/json' });
  assert.equal(right.status, 200);
  await right.arrayBuffer();
});

test('X-User-Agent and X-Request-Id are optional, recorded, and the request id is echoed', async () => {
  open.requests.clear();
  const response = await post(open, '/tts/v1/voice', ttsBody(), {
    authorization: 'Basic k',
    'content-type': 'application/json',
    'x-user-agent': 'inworld-test/1.0',
    'x-request-id': 'req-123',
  });
  assert.equal(response.status, 200);
  assert.equal(response.headers.get('x-request-id'), 'req-123');
  await response.arrayBuffer();
  const [record] = open.requests.find('/tts/v1/voice');
  assert.ok(record);
  assert.equal(record.method, 'POST');
  assert.equal(record.headers['x-user-agent'], 'inworld-test/1.0');
  assert.equal(record.headers['x-request-id'], 'req-123');
  assert.equal((record.body as { voiceId: string }).voiceId, 'Ashley');
  assert.equal(record.status, 200);
});

test('a WebSocket upgrade without credentials is refused with HTTP 401 and a gRPC body', async () => {
  const result = await upgrade(open, TTS_WS);
  assert.equal(result.opened, false);
  assert.equal(result.status, 401);
  assert.equal(JSON.parse(result.body!).code, 16);
  const record = open.requests.find('/tts/v1/voice:streamBidirectional').at(-1);
  assert.equal(record?.protocol, 'ws');
  assert.equal(record?.status, 401);
});

test('a WebSocket upgrade with the wrong key is refused when apiKey is set', async () => {
  const result = await upgrade(locked, TTS_WS, { headers: { authorization: 'Basic nope' } });
  assert.equal(result.status, 401);
});

test('WebSocket upgrades accept the header, the bearer_ subprotocol and the authorization query', async () => {
  const header = await upgrade(locked, TTS_WS, { headers: { authorization: 'Basic the-key' } });
  assert.equal(header.opened, true);
  const subprotocol = await upgrade(locked, TTS_WS, { protocols: ['bearer_the-key'] });
  assert.equal(subprotocol.opened, true);
  assert.equal(subprotocol.protocol, 'bearer_the-key');
  const query = await upgrade(locked, `${TTS_WS}?authorization=${encodeURIComponent('Basic the-key')}`);
  assert.equal(query.opened, true);
  const stt = await upgrade(locked, 'stt/v1/transcribe:streamBidirectional', { headers: { authorization: 'Bearer the-key' } });
  assert.equal(stt.opened, true);
  const record = locked.requests.find('/tts/v1/voice:streamBidirectional').find((r) => r.subprotocols?.length);
  assert.deepEqual(record?.subprotocols, ['bearer_the-key']);
});

test('an upgrade to an unknown path is refused with 404', async () => {
  const result = await upgrade(open, 'tts/v1/nothing', { headers: { authorization: 'Basic k' } });
  assert.equal(result.status, 404);
  assert.equal(JSON.parse(result.body!).code, 5);
});

test('control endpoints need no credentials and are not recorded', async () => {
  open.requests.clear();
  const response = await fetch(new URL('_emulator/health', open.url));
  assert.equal(response.status, 200);
  assert.equal((await readJson(response)).status, 'ok');
  assert.equal(open.requests.list().length, 0);
});
