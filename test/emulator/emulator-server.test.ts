// The emulator's lifecycle and global knobs: URLs, close(), latency, pacing, logging, engine choice.
import assert from 'node:assert/strict';
import { Agent, request as httpRequest } from 'node:http';
import { test } from 'node:test';
import WebSocket from 'ws';
import { startEmulator } from '../../src/emulator/index.js';
import { AUTH, post, readJson, start, streamLines, ttsBody } from './http-support.js';

test('url and wsUrl are loopback base URLs ending in "/" on the chosen port', async () => {
  const emulator = await start();
  try {
    assert.match(emulator.url, /^http:\/\/127\.0\.0\.1:\d+\/$/);
    assert.equal(emulator.wsUrl, emulator.url.replace('http:', 'ws:'));
    assert.equal(new URL(emulator.url).port, String(emulator.port));
    assert.equal(emulator.host, '127.0.0.1');
    assert.ok(emulator.port > 0);
    const root = await readJson(await fetch(emulator.url, { headers: AUTH }));
    assert.equal(root.engine, 'synthetic');
  } finally {
    await emulator.close();
  }
});

test('close() is idempotent and the port stops answering', async () => {
  const emulator = await start();
  const url = emulator.url;
  await Promise.all([emulator.close(), emulator.close()]);
  await emulator.close();
  await assert.rejects(fetch(new URL('_emulator/health', url)));
});

test('close() ends open WebSocket connections and idle keep-alive sockets promptly', async () => {
  const emulator = await start();
  const socket = new WebSocket(new URL('stt/v1/transcribe:streamBidirectional', emulator.wsUrl), { headers: { authorization: 'Basic k' } });
  socket.on('error', () => {});
  await new Promise<void>((resolve, reject) => {
    socket.once('open', () => resolve());
    socket.once('unexpected-response', () => reject(new Error('upgrade refused')));
  });
  const closed = new Promise<number>((resolve) => socket.once('close', (code) => resolve(code)));
  // An idle keep-alive connection would hold server.close() open without the emulator's help.
  const agent = new Agent({ keepAlive: true });
  await new Promise<void>((resolve, reject) => {
    const req = httpRequest(new URL('_emulator/health', emulator.url), { agent }, (res) => {
      res.resume();
      res.on('end', () => resolve());
    });
    req.on('error', reject);
    req.end();
  });
  const started = Date.now();
  await emulator.close();
  assert.ok(Date.now() - started < 2000, `close took ${Date.now() - started} ms`);
  const code = await closed;
  assert.ok(code === 1001 || code === 1006, `close code ${code}`);
  agent.destroy();
});

test('firstByteLatencyMs and generationLatencyMs delay responses', async () => {
  const emulator = await start({ firstByteLatencyMs: 150, generationLatencyMs: 150 });
  try {
    let started = Date.now();
    await (await fetch(new URL('voices/v1/voices', emulator.url), { headers: AUTH })).arrayBuffer();
    const voicesMs = Date.now() - started;
    assert.ok(voicesMs >= 140, `voices after ${voicesMs} ms`);
    started = Date.now();
    await (await post(emulator, '/tts/v1/voice', ttsBody({ text: 'Hi.' }))).arrayBuffer();
    const ttsMs = Date.now() - started;
    assert.ok(ttsMs >= 290, `tts after ${ttsMs} ms`);
  } finally {
    await emulator.close();
  }
});

test('realtime pacing streams no faster than the audio plays', async () => {
  const emulator = await start({ realtime: true, streamChunkMs: 100 });
  try {
    const started = Date.now();
    const lines = await streamLines(await post(emulator, '/tts/v1/voice:stream', ttsBody({ text: 'One two three.' }, { audioEncoding: 'PCM', sampleRateHertz: 8000 })));
    const elapsedMs = Date.now() - started;
    const audioMs = lines.reduce((sum, l) => sum + Buffer.from(l.result!.audioContent!, 'base64').length, 0) / 2 / 8;
    assert.ok(audioMs > 300);
    assert.ok(elapsedMs >= audioMs - 60, `${elapsedMs} ms for ${audioMs} ms of audio`);
  } finally {
    await emulator.close();
  }
});

test('when not quiet, one log line per request goes to the sink, without the credential', async () => {
  const lines: string[] = [];
  const emulator = await start({ quiet: false, logSink: (line) => lines.push(line) });
  try {
    await (await post(emulator, '/tts/v1/voice', ttsBody({ text: 'Hi.' }), { authorization: 'Basic secret-credential', 'content-type': 'application/json' })).arrayBuffer();
    await (await fetch(new URL('tts/v1/voices', emulator.url))).arrayBuffer();
  } finally {
    await emulator.close();
  }
  assert.ok(lines.some((l) => /POST \/tts\/v1\/voice 200/.test(l)), lines.join('\n'));
  assert.ok(lines.some((l) => /GET \/tts\/v1\/voices 401/.test(l)), lines.join('\n'));
  assert.ok(lines.every((l) => !l.includes('secret-credential')));
});

test('quiet (the library default) logs nothing', async () => {
  const lines: string[] = [];
  const emulator = await start({ logSink: (line) => lines.push(line) });
  await (await post(emulator, '/tts/v1/voice', ttsBody({ text: 'Hi.' }))).arrayBuffer();
  await emulator.close();
  assert.deepEqual(lines, []);
});

test('INWORLD_EMULATOR_ENGINE=synthetic selects the synthetic engine', async () => {
  const emulator = await startEmulator({ port: 0, env: { INWORLD_EMULATOR_ENGINE: 'synthetic' } });
  try {
    assert.equal(emulator.engine, 'synthetic');
    assert.equal((await readJson(await fetch(new URL('_emulator/health', emulator.url)))).engine, 'synthetic');
  } finally {
    await emulator.close();
  }
});

test('a port already in use is an error from startEmulator', async () => {
  const first = await start();
  try {
    await assert.rejects(start({ port: first.port }), /EADDRINUSE/);
  } finally {
    await first.close();
  }
});

test('initial fault specs that do not parse make startEmulator fail', async () => {
  await assert.rejects(start({ faults: ['action=explode'] }), /explode/);
});

test('maxConcurrentSynthesis: one request over the limit gets 429 RESOURCE_EXHAUSTED, later ones pass', async () => {
  const emulator = await start({ maxConcurrentSynthesis: 1 });
  try {
    emulator.faults.add({ path: '/tts/v1/voice:stream', times: 1, action: { type: 'stall', at: 'first-chunk', ms: 1000 } });
    const first = await post(emulator, '/tts/v1/voice:stream', ttsBody({ text: 'Hold on.' }));
    assert.equal(first.status, 200); // headers are out, the body is stalled
    const second = await post(emulator, '/tts/v1/voice', ttsBody({ text: 'Me too.' }));
    assert.equal(second.status, 429);
    assert.equal((await readJson(second)).code, 8);
    await first.arrayBuffer();
    const third = await post(emulator, '/tts/v1/voice', ttsBody({ text: 'Now?' }));
    assert.equal(third.status, 200);
    await third.arrayBuffer();
  } finally {
    await emulator.close();
  }
});
