// The HTTP layer against a plain node:http server on loopback (the emulator is exercised by the
// wire tests; here we need exact control over timing and framing).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { once } from 'node:events';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { InworldClient } from '../../src/core/client.js';
import {
  AuthenticationError,
  ConnectionError,
  ProtocolError,
  RateLimitError,
  ServerError,
  TimeoutError,
  UserAbortError,
} from '../../src/core/errors.js';
import { buildUrl, requestJson, requestStream } from '../../src/core/http.js';

const API_KEY = 'test-key-abcdefgh';

async function serve(handler: (req: IncomingMessage, res: ServerResponse) => void): Promise<{ server: Server; url: string; closed: () => number }> {
  let closedSockets = 0;
  const server = createServer(handler);
  server.on('connection', (socket) => socket.on('close', () => (closedSockets += 1)));
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  return { server, url: `http://127.0.0.1:${port}/`, closed: () => closedSockets };
}

async function stop(server: Server): Promise<void> {
  server.closeAllConnections();
  server.close();
  await once(server, 'close');
}

function client(baseUrl: string, lines?: string[], timeoutMs = 5000): InworldClient {
  return new InworldClient({
    apiKey: API_KEY,
    baseUrl,
    env: {},
    configPath: null,
    timeoutMs,
    maxRetries: 0,
    logger: { debug: (line) => lines?.push(line) },
  });
}

test('sends auth, user agent, request id and JSON content type; streams the body; logs without the key', async () => {
  let seen: IncomingMessage | undefined;
  let body = '';
  const { server, url } = await serve((req, res) => {
    seen = req;
    req.on('data', (d) => (body += d));
    req.on('end', () => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.write('{"a":1}\n');
      setTimeout(() => res.end('{"b":2}\n'), 20);
    });
  });
  try {
    const lines: string[] = [];
    const response = await requestStream(client(url, lines), { method: 'POST', path: '/tts/v1/voice:stream', body: { text: 'hi' }, requestId: 'req-1' });
    const chunks: Buffer[] = [];
    for await (const chunk of response.body) chunks.push(chunk);
    assert.equal(Buffer.concat(chunks).toString(), '{"a":1}\n{"b":2}\n');
    assert.equal(seen!.url, '/tts/v1/voice:stream');
    assert.equal(seen!.headers.authorization, `Basic ${API_KEY}`);
    assert.equal(seen!.headers['x-request-id'], 'req-1');
    assert.match(String(seen!.headers['x-user-agent']), /^inworld-cli\//);
    assert.equal(seen!.headers['content-type'], 'application/json');
    assert.equal(body, '{"text":"hi"}');
    assert.ok(lines.some((l) => l.includes('POST') && l.includes('request-id=req-1')));
    assert.ok(lines.some((l) => l.includes('HTTP 200')));
    assert.ok(lines.every((l) => !l.includes(API_KEY)));
  } finally {
    await stop(server);
  }
});

test('non-2xx becomes the APIError subclass with gRPC code, message, request ids and Retry-After', async () => {
  const { server, url } = await serve((req, res) => {
    if (req.url!.startsWith('/auth')) {
      res.writeHead(401, { 'content-type': 'application/json', 'x-request-id': 'srv-9' });
      res.end('{"code":16,"message":"bad key","details":[]}');
    } else if (req.url!.startsWith('/limit')) {
      res.writeHead(429, { 'content-type': 'application/json', 'retry-after': '2' });
      res.end('{"code":8,"message":"slow down"}');
    } else {
      res.writeHead(502, { 'content-type': 'text/html' });
      res.end('<html>bad gateway</html>');
    }
  });
  try {
    const c = client(url);
    await assert.rejects(requestStream(c, { path: '/auth', requestId: 'ours-1' }), (error: unknown) => {
      assert.ok(error instanceof AuthenticationError);
      assert.equal(error.status, 401);
      assert.equal(error.grpcCode, 16);
      assert.equal(error.serverMessage, 'bad key');
      assert.equal(error.requestId, 'ours-1');
      assert.equal(error.serverRequestId, 'srv-9');
      assert.equal(error.retryable, false);
      assert.match(error.message, /HTTP 401 UNAUTHENTICATED: bad key \(request ours-1, server srv-9\)/);
      return true;
    });
    await assert.rejects(requestStream(c, { path: '/limit' }), (error: unknown) => {
      assert.ok(error instanceof RateLimitError);
      assert.equal(error.retryAfterMs, 2000);
      assert.equal(error.retryable, true);
      return true;
    });
    await assert.rejects(requestStream(c, { path: '/other' }), (error: unknown) => {
      assert.ok(error instanceof ServerError);
      assert.equal(error.serverMessage, '<html>bad gateway</html>');
      return true;
    });
  } finally {
    await stop(server);
  }
});

test('connection refused is a ConnectionError with a readable message', async () => {
  const { server, url } = await serve(() => undefined);
  await stop(server); // the port is now closed
  await assert.rejects(requestStream(client(url), { path: '/x' }), (error: unknown) => {
    assert.ok(error instanceof ConnectionError && !(error instanceof TimeoutError));
    assert.match(error.message, /^Cannot connect to 127\.0\.0\.1:\d+ \(connection refused\)\. Check --base-url or your network\.$/);
    assert.equal(error.retryable, true);
    return true;
  });
});

test('no response headers within the deadline is a TimeoutError', async () => {
  const { server, url } = await serve(() => undefined); // never answers
  try {
    const started = Date.now();
    await assert.rejects(requestStream(client(url, undefined, 150), { path: '/x' }), TimeoutError);
    assert.ok(Date.now() - started < 2000);
  } finally {
    await stop(server);
  }
});

test('a stall between chunks is a TimeoutError; a slow consumer is not', async () => {
  const { server, url } = await serve((_req, res) => {
    res.writeHead(200);
    res.write('{"a":1}\n'); // then nothing
  });
  try {
    const response = await requestStream(client(url, undefined, 150), { path: '/x' });
    await assert.rejects(
      (async () => {
        for await (const _chunk of response.body) {
          // Hold the chunk longer than the idle deadline: this must not count as a stall.
          await new Promise((resolve) => setTimeout(resolve, 300));
        }
      })(),
      (error: unknown) => error instanceof TimeoutError && /stopped sending after 8 bytes/.test(error.message),
    );
  } finally {
    await stop(server);
  }
});

test('aborting the signal gives UserAbortError, before and during the request', async () => {
  const { server, url } = await serve((_req, res) => {
    res.writeHead(200);
    res.write('{"a":1}\n');
  });
  try {
    const before = new AbortController();
    before.abort();
    await assert.rejects(requestStream(client(url), { path: '/x', signal: before.signal }), UserAbortError);
    const during = new AbortController();
    const response = await requestStream(client(url), { path: '/x', signal: during.signal });
    await assert.rejects(
      (async () => {
        for await (const _chunk of response.body) during.abort();
      })(),
      UserAbortError,
    );
  } finally {
    await stop(server);
  }
});

test('breaking out of the body loop closes the connection', async () => {
  let serverSawClose = false;
  const { server, url } = await serve((req, res) => {
    res.writeHead(200);
    const timer = setInterval(() => res.write('{"tick":1}\n'), 5);
    res.on('close', () => {
      clearInterval(timer);
      serverSawClose = true;
    });
  });
  try {
    const response = await requestStream(client(url), { path: '/x' });
    for await (const _chunk of response.body) break;
    for (let i = 0; i < 100 && !serverSawClose; i += 1) await new Promise((resolve) => setTimeout(resolve, 10));
    assert.equal(serverSawClose, true);
  } finally {
    await stop(server);
  }
});

test('requestJson parses the body, and malformed JSON is a ProtocolError', async () => {
  const { server, url } = await serve((req, res) => {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(req.url!.startsWith('/good') ? '{"voices":[]}' : '{"voices":');
  });
  try {
    const ok = await requestJson(client(url), { path: '/good' });
    assert.deepEqual(ok.data, { voices: [] });
    await assert.rejects(requestJson(client(url), { path: '/bad' }), ProtocolError);
  } finally {
    await stop(server);
  }
});

test('buildUrl encodes query values with %20, keeps the API path literal, and honours a base path', () => {
  const c = client('http://127.0.0.1:1/prefix');
  assert.equal(buildUrl(c, '/voices/v1/voices', { filter: 'lang_code = "en"', pageToken: undefined }).href, 'http://127.0.0.1:1/prefix/voices/v1/voices?filter=lang_code%20%3D%20%22en%22');
  assert.equal(buildUrl(c, '/tts/v1/voice:stream').href, 'http://127.0.0.1:1/prefix/tts/v1/voice:stream');
});

test('a consumer that starts reading after the deadline is not timed out (the idle clock starts on read)', async () => {
  const { server, url } = await serve((_req, res) => {
    res.writeHead(200);
    res.end('{"a":1}\n');
  });
  try {
    const response = await requestStream(client(url, undefined, 100), { path: '/x' });
    await new Promise((resolve) => setTimeout(resolve, 250));
    const chunks: Buffer[] = [];
    for await (const chunk of response.body) chunks.push(chunk);
    assert.equal(Buffer.concat(chunks).toString(), '{"a":1}\n');
  } finally {
    await stop(server);
  }
});
