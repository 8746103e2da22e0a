// Bad input, upstream failures, security and disconnects at the gateway: every refusal is an
// OpenAI-shaped error the openai client raises as APIError with the right status, bad input sends
// nothing upstream, and the Inworld key never reaches a client.
import assert from 'node:assert/strict';
import { request } from 'node:http';
import { after, before, describe, it } from 'node:test';
import OpenAI, { toFile } from 'openai';
import { Inworld } from '../../src/inworld.js';
import { startGateway } from '../../src/serve/gateway.js';
import { INWORLD_KEY, startServeHarness, type ServeHarness } from './serve-harness.js';

const TTS = '/tts/v1/voice:stream';
const STT = '/stt/v1/transcribe:streamBidirectional';

async function apiError(promise: Promise<unknown>): Promise<InstanceType<typeof OpenAI.APIError>> {
  try {
    await promise;
  } catch (error) {
    assert.ok(error instanceof OpenAI.APIError, `an APIError, not ${String(error)}`);
    return error;
  }
  assert.fail('the call succeeded');
}

describe('gateway bad input: 400, nothing sent upstream', () => {
  let h: ServeHarness;
  before(async () => {
    h = await startServeHarness();
  });
  after(() => h.close());

  const cases: Array<[string, Record<string, unknown>, RegExp, string]> = [
    ['unknown voice', { voice: 'nobody' }, /voice "nobody" is unknown; use one of alloy, ash.*such as Ashley/, 'voice'],
    ['unknown model', { model: 'tts-9' }, /model "tts-9" is not available.*tts-1, tts-1-hd.*inworld-tts-2/, 'model'],
    ['empty input', { input: '   ' }, /"input" is empty/, 'input'],
    ['input over 4096 characters', { input: 'a'.repeat(4097) }, /4097 characters, over the 4096/, 'input'],
    ['unsupported format', { response_format: 'ogg' }, /"response_format" "ogg" is not supported; use one of mp3, opus, aac, flac, wav, pcm/, 'response_format'],
    ['speed out of range', { speed: 5 }, /"speed" must be a number from 0.25 to 4/, 'speed'],
  ];
  for (const [name, patch, message, param] of cases) {
    it(name, async () => {
      const before = h.emulator.requests.find(TTS).length;
      const body = { model: 'tts-1', voice: 'alloy', input: 'Hello.', ...patch } as OpenAI.Audio.SpeechCreateParams;
      const error = await apiError(h.openai.audio.speech.create(body));
      assert.equal(error.status, 400);
      assert.equal(error.type, 'invalid_request_error');
      assert.equal(error.param, param);
      assert.match(error.message, message);
      assert.equal(h.emulator.requests.find(TTS).length, before, 'nothing sent upstream');
    });
  }

  it('a multipart body without a file, and a file that is not audio', async () => {
    const before = h.emulator.requests.find(STT).length;
    const form = new FormData();
    form.set('model', 'whisper-1');
    const response = await fetch(`${h.gateway.url}/audio/transcriptions`, { method: 'POST', body: form });
    assert.equal(response.status, 400);
    const body = (await response.json()) as { error: { message: string; type: string; param: string; code: unknown } };
    assert.deepEqual(Object.keys(body.error).sort(), ['code', 'message', 'param', 'type']);
    assert.match(body.error.message, /no "file"/);
    const error = await apiError(h.openai.audio.transcriptions.create({ file: await toFile(Buffer.from('this is not audio at all, just text'), 'notes.mp3'), model: 'whisper-1' }));
    assert.equal(error.status, 400);
    assert.match(error.message, /"notes.mp3" is not audio/);
    const unknownModel = await apiError(h.openai.audio.transcriptions.create({ file: await toFile(Buffer.alloc(10), 'a.wav'), model: 'whisper-9' }));
    assert.match(unknownModel.message, /model "whisper-9" is not available.*whisper-1/);
    assert.equal(h.emulator.requests.find(STT).length, before, 'nothing sent upstream');
  });

  it('an upload over 25 MiB is 413 without being read whole', async () => {
    const error = await apiError(h.openai.audio.transcriptions.create({ file: await toFile(Buffer.alloc(26 * 1024 * 1024), 'big.wav'), model: 'whisper-1' }));
    assert.equal(error.status, 413);
    const chunked = await new Promise<number>((resolve, reject) => {
      const req = request(`${h.gateway.url}/audio/speech`, { method: 'POST', headers: { 'content-type': 'application/json' } }, (res) => resolve(res.statusCode!));
      req.on('error', reject);
      req.write('{"input":"');
      req.end('a'.repeat(400 * 1024) + '"}');
    });
    assert.equal(chunked, 413);
  });

  it('unknown paths are 404 and the wrong method 405, OpenAI-shaped', async () => {
    const missing = await fetch(`${h.gateway.url}/audio/translations`, { method: 'POST' });
    assert.equal(missing.status, 404);
    assert.equal(((await missing.json()) as { error: { type: string } }).error.type, 'invalid_request_error');
    assert.equal((await fetch(`${h.gateway.url}/audio/speech`)).status, 405);
  });
});

describe('gateway upstream failures', () => {
  let h: ServeHarness;
  before(async () => {
    h = await startServeHarness({ emulator: { realtime: false } });
  });
  after(() => h.close());

  const statuses: Array<[number, number, number, string]> = [
    [429, 8, 429, 'rate_limit_error'],
    [503, 14, 503, 'server_error'],
    [500, 13, 500, 'server_error'],
    [401, 16, 502, 'server_error'],
  ];
  for (const [upstream, code, expected, type] of statuses) {
    it(`Inworld ${upstream} before the first byte is ${expected} ${type}`, async () => {
      h.emulator.faults.add({ path: TTS, times: 1, action: { type: 'status', status: upstream, code, message: `upstream said ${upstream}`, ...(upstream === 429 ? { retryAfterSeconds: 3 } : {}) } });
      const error = await apiError(h.openai.audio.speech.create({ model: 'tts-1', voice: 'alloy', input: 'Hello.' }));
      assert.equal(error.status, expected);
      assert.equal(error.type, type);
      assert.match(error.message, new RegExp(`upstream said ${upstream}`));
      if (upstream === 429) assert.equal(error.headers?.get('retry-after'), '3');
    });
  }

  it('a failure after the first byte cuts the response; what arrived is a prefix of the audio', async () => {
    const whole = Buffer.from(await (await h.openai.audio.speech.create({ model: 'tts-1', voice: 'alloy', input: 'One two three four five six seven eight nine ten.', response_format: 'pcm' })).arrayBuffer());
    h.emulator.faults.add({ path: TTS, times: 1, action: { type: 'drop', afterChunks: 2 } });
    const response = await h.openai.audio.speech.create({ model: 'tts-1', voice: 'alloy', input: 'One two three four five six seven eight nine ten.', response_format: 'pcm' }).asResponse();
    assert.equal(response.status, 200);
    const received: Buffer[] = [];
    await assert.rejects(async () => {
      for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) received.push(Buffer.from(chunk));
    });
    const prefix = Buffer.concat(received);
    assert.ok(prefix.length > 0 && prefix.length < whole.length);
    assert.ok(whole.subarray(0, prefix.length).equals(prefix), 'the bytes sent are the start of the audio');
  });
});

describe('gateway security and cancellation', () => {
  it('refuses a non-loopback address without a token, and a short token', async () => {
    const inworld = new Inworld({ apiKey: 'k', baseUrl: 'http://127.0.0.1:9/', configPath: null, env: {} });
    await assert.rejects(startGateway({ inworld, host: '0.0.0.0', port: 0, checkVoices: false }), /refusing to listen on 0.0.0.0 without an access token/);
    await assert.rejects(startGateway({ inworld, host: '127.0.0.1', port: 0, token: 'short', checkVoices: false }), /too short/);
  });

  it('checks the bearer token on every request and never shows the Inworld key', async () => {
    const h = await startServeHarness({ gateway: { token: 'a-long-enough-token' } });
    try {
      assert.equal((await h.openai.models.list()).data.length > 0, true);
      const wrong = new OpenAI({ baseURL: h.gateway.url, apiKey: 'a-long-enough-tokeX', maxRetries: 0 });
      const error = await apiError(wrong.audio.speech.create({ model: 'tts-1', voice: 'alloy', input: 'Hello.' }));
      assert.equal(error.status, 401);
      assert.equal(error.code, 'invalid_api_key');
      assert.equal((await fetch(`${h.gateway.url}/models`)).status, 401);
      // An upstream failure that quotes the key must not carry it to the client.
      h.emulator.faults.add({ path: TTS, times: 1, action: { type: 'status', status: 400, code: 3, message: `bad key ${INWORLD_KEY} here` } });
      const leaked = await fetch(`${h.gateway.url}/audio/speech`, { method: 'POST', headers: { authorization: 'Bearer a-long-enough-token', 'content-type': 'application/json' }, body: JSON.stringify({ model: 'tts-1', voice: 'alloy', input: 'Hi.' }) });
      const text = await leaked.text();
      assert.equal(leaked.status, 400);
      assert.ok(!text.includes(INWORLD_KEY) && text.includes('bad key'), text);
      assert.ok(!JSON.stringify([...leaked.headers]).includes(INWORLD_KEY));
      assert.ok(!h.gatewayLog.join('\n').includes(INWORLD_KEY));
    } finally {
      await h.close();
    }
  });

  it('a client that disconnects mid-stream closes the upstream request', async () => {
    const h = await startServeHarness({ emulator: { realtime: true } });
    try {
      const response = await h.openai.audio.speech.create({ model: 'tts-1', voice: 'alloy', input: 'This sentence is long enough to take several seconds when it is paced at real time by the emulator.', response_format: 'pcm' }).asResponse();
      const reader = response.body!.getReader();
      await reader.read();
      await reader.cancel();
      const deadline = Date.now() + 3000;
      while (!h.emulatorLog.some((line) => line.includes(`${TTS} connection closed`)) && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20));
      assert.ok(h.emulatorLog.some((line) => line.includes(`${TTS} connection closed`)), h.emulatorLog.join('\n'));
    } finally {
      await h.close();
    }
  });
});
