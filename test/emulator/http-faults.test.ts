// Fault injection on the HTTP endpoints: every action, the three ways to add rules, and matching.
import assert from 'node:assert/strict';
import { after, afterEach, before, test } from 'node:test';
import { parseFaultSpec, parseFaultSpecs, type RunningEmulator } from '../../src/emulator/index.js';
import { audioOf, post, rawPost, start, streamLines, ttsBody, readJson } from './http-support.js';

const STREAM = '/tts/v1/voice:stream';
const BODY = ttsBody({ text: 'One two three four five six seven eight nine ten.' }, { audioEncoding: 'PCM', sampleRateHertz: 16000 });
let emulator: RunningEmulator;
let normalLines: string[];

before(async () => {
  emulator = await start({ streamChunkMs: 100 });
  const response = await post(emulator, STREAM, BODY);
  normalLines = (await response.text()).split('\n').filter(Boolean);
  assert.ok(normalLines.length >= 6, 'the fault tests need a stream of several lines');
});
afterEach(() => emulator.faults.clear());
after(() => emulator.close());

test('status fault with times: 503 twice, then success', async () => {
  emulator.faults.add({ path: STREAM, times: 2, action: { type: 'status', status: 503 } });
  for (let i = 0; i < 2; i++) {
    const response = await post(emulator, STREAM, BODY);
    assert.equal(response.status, 503);
    const body = await readJson(response);
    assert.equal(body.code, 14, 'UNAVAILABLE is the gRPC code for 503');
    assert.deepEqual(body.details, []);
  }
  const ok = await post(emulator, STREAM, BODY);
  assert.equal(ok.status, 200);
  await ok.arrayBuffer();
  assert.equal(emulator.faults.list().length, 0, 'a used-up rule is removed');
});

test('status fault with a custom gRPC code, message and Retry-After', async () => {
  emulator.faults.add('status=429,code=8,message=slow%2C%20down,retry-after=3');
  const response = await post(emulator, '/tts/v1/voice', BODY);
  assert.equal(response.status, 429);
  assert.equal(response.headers.get('retry-after'), '3');
  assert.deepEqual(await readJson(response), { code: 8, message: 'slow, down', details: [] });
});

test('rules match by path (exact or prefix), method and skip', async () => {
  emulator.faults.add({ path: '/voices/*', action: { type: 'status', status: 500 } });
  emulator.faults.add({ path: STREAM, method: 'GET', action: { type: 'status', status: 418 } });
  emulator.faults.add({ path: '/tts/v1/voice', skip: 1, times: 1, action: { type: 'status', status: 502 } });
  assert.equal((await fetch(new URL('voices/v1/voices/Ashley', emulator.url), { headers: { authorization: 'Basic k' } })).status, 500);
  const stream = await post(emulator, STREAM, BODY);
  assert.equal(stream.status, 200, 'the GET-only rule must not hit a POST');
  await stream.arrayBuffer();
  const first = await post(emulator, '/tts/v1/voice', BODY);
  assert.equal(first.status, 200, 'skip lets the first request through');
  await first.arrayBuffer();
  const second = await post(emulator, '/tts/v1/voice', BODY);
  assert.equal(second.status, 502);
  await second.arrayBuffer();
  const third = await post(emulator, '/tts/v1/voice', BODY);
  assert.equal(third.status, 200);
  await third.arrayBuffer();
});

test('stream-error: an {"error"} line after N chunks ends the stream', async () => {
  emulator.faults.add('action=stream-error,after-chunks=2,code=13,message=boom');
  const response = await post(emulator, STREAM, BODY);
  assert.equal(response.status, 200);
  const lines = await streamLines(response);
  assert.equal(lines.length, 3);
  assert.ok(lines[0]!.result && lines[1]!.result);
  assert.deepEqual(lines[2], { error: { code: 13, message: 'boom', details: [] } });
});

test('stream-error after more chunks than the stream has still fires at the end', async () => {
  emulator.faults.add({ action: { type: 'stream-error', afterChunks: 999, code: 14 } });
  const lines = await streamLines(await post(emulator, STREAM, BODY));
  assert.equal(lines.length, normalLines.length + 1);
  assert.equal(lines.at(-1)!.error!.code, 14);
});

test('drop after N chunks: the connection dies mid-body after exactly those lines', async () => {
  emulator.faults.add({ action: { type: 'drop', afterChunks: 2 } });
  const result = await rawPost(emulator, STREAM, BODY);
  assert.equal(result.status, 200);
  assert.ok(result.error, 'the body must end with a connection error');
  const text = Buffer.concat(result.chunks).toString();
  assert.equal(text, `${normalLines.slice(0, 2).join('\n')}\n`);
});

test('drop after N bytes: exactly that many body bytes, then a reset', async () => {
  emulator.faults.add('action=drop,after-bytes=1000');
  const result = await rawPost(emulator, STREAM, BODY);
  assert.ok(result.error);
  const body = Buffer.concat(result.chunks);
  assert.equal(body.length, 1000);
  assert.equal(body.toString(), `${normalLines.join('\n')}\n`.slice(0, 1000));
});

test('drop on the unary endpoint fails the request', async () => {
  emulator.faults.add({ path: '/tts/v1/voice', action: { type: 'drop' } });
  await assert.rejects(async () => {
    const response = await post(emulator, '/tts/v1/voice', BODY);
    await response.text();
  });
});

test('stall before headers for N ms delays the response', async () => {
  emulator.faults.add('action=stall,at=headers,ms=300');
  const started = Date.now();
  const response = await post(emulator, STREAM, BODY);
  const elapsed = Date.now() - started;
  await response.arrayBuffer();
  assert.ok(elapsed >= 290, `headers after ${elapsed} ms`);
});

test('stall before the first chunk: headers arrive at once, the first line late', async () => {
  // Generous margins: the machine running the tests may be busy.
  emulator.faults.add({ action: { type: 'stall', at: 'first-chunk', ms: 1000 } });
  const started = Date.now();
  const response = await post(emulator, STREAM, BODY);
  const headersMs = Date.now() - started;
  await response.text();
  const bodyMs = Date.now() - started;
  assert.ok(headersMs < 700, `headers took ${headersMs} ms`);
  assert.ok(bodyMs >= 990, `body after ${bodyMs} ms`);
});

test('stall mid-stream: lines before the stall arrive, the rest after it', async () => {
  emulator.faults.add({ action: { type: 'stall', at: 'mid-stream', afterChunks: 2, ms: 1000 } });
  const arrivals: { at: number; text: string }[] = [];
  const started = Date.now();
  const response = await post(emulator, STREAM, BODY);
  const reader = response.body!.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    arrivals.push({ at: Date.now() - started, text: Buffer.from(value).toString() });
  }
  let seen = '';
  let beforeStall = -1;
  for (const arrival of arrivals) {
    seen += arrival.text;
    if (seen.split('\n').filter(Boolean).length >= 2 && beforeStall < 0) beforeStall = arrival.at;
  }
  assert.equal(seen, `${normalLines.join('\n')}\n`);
  assert.ok(beforeStall >= 0 && beforeStall < 700, `first lines at ${beforeStall} ms`);
  assert.ok(arrivals.at(-1)!.at >= 990);
});

test('stall forever ends when the emulator closes', async () => {
  const other = await start();
  other.faults.add('action=stall,at=headers');
  const pending = post(other, '/tts/v1/voice', BODY).then(
    (r) => r.text(),
    (error: Error) => error,
  );
  // Wait for the request to be recorded (received and stalled), then close.
  while (other.requests.list().length === 0) await new Promise((resolve) => setImmediate(resolve));
  await other.close();
  const outcome = await pending;
  assert.ok(outcome instanceof Error, 'the stalled request must fail when the emulator closes');
});

test('split: lines arrive in many small pieces (mid-line, mid-UTF-8) that join to the same body', async () => {
  const body = ttsBody({ text: 'Café déjà vu, naïve façade.', timestampType: 'CHARACTER' }, { audioEncoding: 'PCM', sampleRateHertz: 8000 });
  const normal = await rawPost(emulator, STREAM, body);
  emulator.faults.add('action=split,piece-bytes=3');
  const split = await rawPost(emulator, STREAM, body);
  const joined = Buffer.concat(split.chunks);
  assert.ok(joined.equals(Buffer.concat(normal.chunks)));
  assert.ok(split.chunks.length > 20 * normal.chunks.length, `${split.chunks.length} pieces vs ${normal.chunks.length}`);
  assert.ok(split.chunks.every((chunk) => chunk.length <= 3 * 4), 'pieces stay small');
  // Some piece boundary falls inside a multi-byte character.
  let offset = 0;
  let midUtf8 = false;
  for (const chunk of split.chunks) {
    offset += chunk.length;
    if (offset < joined.length && (joined[offset]! & 0xc0) === 0x80) midUtf8 = true;
  }
  assert.ok(midUtf8);
});

test('malformed line: a line that is not JSON, then the stream goes on', async () => {
  emulator.faults.add({ action: { type: 'malformed-line', afterChunks: 1 } });
  const text = await (await post(emulator, STREAM, BODY)).text();
  const lines = text.split('\n').filter(Boolean);
  assert.equal(lines.length, normalLines.length + 1);
  assert.throws(() => JSON.parse(lines[1]!));
  assert.deepEqual(lines.filter((_, i) => i !== 1), normalLines);
});

test('oversized line: one valid JSON line over 1 MiB', async () => {
  emulator.faults.add('action=oversized-line,after-chunks=0');
  const text = await (await post(emulator, STREAM, BODY)).text();
  const lines = text.split('\n').filter(Boolean);
  assert.ok(Buffer.byteLength(lines[0]!) > 1024 * 1024);
  const parsed = JSON.parse(lines[0]!);
  assert.equal(Buffer.from(parsed.result.audioContent, 'base64').length % 2, 0);
  assert.deepEqual(lines.slice(1), normalLines);
});

test('bad base64: the chosen chunk carries audioContent that does not decode', async () => {
  emulator.faults.add({ action: { type: 'bad-base64', afterChunks: 1 } });
  const lines = await streamLines(await post(emulator, STREAM, BODY));
  const bad = lines[1]!.result!.audioContent!;
  assert.doesNotMatch(bad, /^[A-Za-z0-9+/]*={0,2}$/);
  assert.match(lines[0]!.result!.audioContent!, /^[A-Za-z0-9+/]*={0,2}$/);
  emulator.faults.add({ path: '/tts/v1/voice', action: { type: 'bad-base64' } });
  const unary = await readJson(await post(emulator, '/tts/v1/voice', BODY));
  assert.doesNotMatch(unary.audioContent, /^[A-Za-z0-9+/]*={0,2}$/);
});

test('slow: the stream takes longer than the audio it carries', async () => {
  const body = ttsBody({ text: 'Short one.' }, { audioEncoding: 'PCM', sampleRateHertz: 8000 });
  const fast = Date.now();
  const normal = audioOf(await streamLines(await post(emulator, STREAM, body)));
  const normalMs = Date.now() - fast;
  const audioMs = (Buffer.concat(normal).length / 2 / 8000) * 1000;
  emulator.faults.add('action=slow,factor=1.5');
  const started = Date.now();
  await (await post(emulator, STREAM, body)).arrayBuffer();
  const slowMs = Date.now() - started;
  assert.ok(normalMs < audioMs, `unpaced stream took ${normalMs} ms for ${audioMs} ms of audio`);
  assert.ok(slowMs >= audioMs * 1.5 - 150, `slow stream took ${slowMs} ms for ${audioMs} ms of audio`);
});

test('faults through the control endpoint: add (object, array, spec), list, delete one, clear', async () => {
  const control = new URL('_emulator/faults', emulator.url);
  const add = async (body: unknown): Promise<any> => {
    const response = await fetch(control, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    assert.equal(response.status, 200);
    return (await readJson(response)).faults;
  };
  const [one] = await add({ path: '/tts/v1/voice', action: { type: 'status', status: 500 } });
  await add([{ path: '/x', action: { type: 'status', status: 500 } }, { path: '/y', action: { type: 'status', status: 500 } }]);
  await add({ spec: 'status=503,path=/z;action=drop,path=/w' });
  const listed = await readJson(await fetch(control));
  assert.equal(listed.faults.length, 5);
  assert.equal((await post(emulator, '/tts/v1/voice', BODY)).status, 500);
  assert.equal((await fetch(new URL(`_emulator/faults/${one.id}`, emulator.url), { method: 'DELETE' })).status, 200);
  assert.equal((await readJson(await fetch(control))).faults.length, 4);
  assert.equal((await fetch(control, { method: 'DELETE' })).status, 200);
  assert.equal(emulator.faults.list().length, 0);
  const bad = await fetch(control, { method: 'POST', body: JSON.stringify({ action: { type: 'explode' } }) });
  assert.equal(bad.status, 400);
  assert.equal((await readJson(bad)).code, 3);
});

test('faults from options apply from the start', async () => {
  const other = await start({ faults: ['status=503,times=1', { path: '/voices/v1/voices', action: { type: 'status', status: 404 } }] });
  try {
    assert.equal((await post(other, '/tts/v1/voice', BODY)).status, 503);
    const ok = await post(other, '/tts/v1/voice', BODY);
    assert.equal(ok.status, 200);
    await ok.arrayBuffer();
    assert.equal((await fetch(new URL('voices/v1/voices', other.url), { headers: { authorization: 'Basic k' } })).status, 404);
  } finally {
    await other.close();
  }
});

test('the request log is readable over HTTP and clearable', async () => {
  emulator.requests.clear();
  await (await post(emulator, '/tts/v1/voice', BODY)).arrayBuffer();
  const log = await readJson(await fetch(new URL('_emulator/requests', emulator.url)));
  assert.equal(log.requests.length, 1);
  assert.equal(log.requests[0].path, '/tts/v1/voice');
  assert.equal(log.requests[0].body.voiceId, 'Ashley');
  await fetch(new URL('_emulator/requests', emulator.url), { method: 'DELETE' });
  assert.equal(emulator.requests.list().length, 0);
});

test('fault spec grammar', () => {
  assert.deepEqual(parseFaultSpec('status=503,times=2,path=/tts/v1/voice:stream'), {
    path: '/tts/v1/voice:stream',
    times: 2,
    action: { type: 'status', status: 503 },
  });
  assert.deepEqual(parseFaultSpec('action=stall,ms=50'), { action: { type: 'stall', at: 'headers', ms: 50 } });
  assert.deepEqual(parseFaultSpec('action=ws-close,close-code=1011,protocol=ws,after-messages=2'), {
    protocol: 'ws',
    action: { type: 'ws-close', closeCode: 1011, afterMessages: 2 },
  });
  assert.equal(parseFaultSpecs('status=500; action=drop,after-bytes=10 ;').length, 2);
  for (const bad of ['times=2', 'status=abc', 'action=explode', 'status=503,colour=red', 'status', 'status=503,times=-1']) {
    assert.throws(() => parseFaultSpec(bad), /fault|status|times|unknown/i, bad);
  }
});

test('a status rule on a WebSocket path refuses the upgrade with that status and body', async () => {
  const { default: WebSocket } = await import('ws');
  emulator.faults.add('status=429,code=8,message=too%20many,retry-after=2,protocol=ws,path=/tts/v1/voice:streamBidirectional,times=1');
  const attempt = (): Promise<{ status?: number; body?: string; retryAfter?: string; opened?: boolean }> =>
    new Promise((resolve) => {
      const socket = new WebSocket(new URL('tts/v1/voice:streamBidirectional', emulator.wsUrl), { headers: { authorization: 'Basic k' } });
      socket.on('error', () => {});
      socket.on('open', () => {
        socket.terminate();
        resolve({ opened: true });
      });
      socket.on('unexpected-response', (_req, res) => {
        let body = '';
        res.on('data', (chunk: Buffer) => (body += chunk.toString()));
        res.on('end', () => resolve({ status: res.statusCode, body, retryAfter: res.headers['retry-after'] as string }));
      });
    });
  const refused = await attempt();
  assert.equal(refused.status, 429);
  assert.equal(refused.retryAfter, '2');
  assert.deepEqual(JSON.parse(refused.body!), { code: 8, message: 'too many', details: [] });
  // The rule is used up and did not touch plain HTTP requests.
  assert.equal((await attempt()).opened, true);
});

test('protocol=http rules leave WebSocket handshakes alone', async () => {
  const { default: WebSocket } = await import('ws');
  emulator.faults.add({ protocol: 'http', action: { type: 'status', status: 500 } });
  const opened = await new Promise<boolean>((resolve) => {
    const socket = new WebSocket(new URL('stt/v1/transcribe:streamBidirectional', emulator.wsUrl), { headers: { authorization: 'Basic k' } });
    socket.on('error', () => resolve(false));
    socket.on('open', () => {
      socket.terminate();
      resolve(true);
    });
  });
  assert.equal(opened, true);
  assert.equal((await post(emulator, '/tts/v1/voice', BODY)).status, 500);
});

test('a client that gives up during a stalled WebSocket upgrade does not disturb the emulator', async () => {
  const { default: WebSocket } = await import('ws');
  emulator.requests.clear();
  emulator.faults.add({ protocol: 'ws', times: 1, action: { type: 'stall', at: 'headers', ms: 400 } });
  const socket = new WebSocket(new URL('tts/v1/voice:streamBidirectional', emulator.wsUrl), { headers: { authorization: 'Basic k' } });
  socket.on('error', () => {});
  while (!emulator.requests.list().some((r) => r.protocol === 'ws')) await new Promise((resolve) => setImmediate(resolve));
  socket.terminate();
  // Nothing is observable when the stall ends (the socket is gone), so wait it out.
  await new Promise((resolve) => setTimeout(resolve, 500));
  const ok = await post(emulator, '/tts/v1/voice', BODY);
  assert.equal(ok.status, 200);
  await ok.arrayBuffer();
});
