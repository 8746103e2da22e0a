// The emulated STT WebSocket at the wire level, with a plain `ws` client: the message rules,
// close codes and faults a client cannot see through the library's abstractions.
import assert from 'node:assert/strict';
import { after, before, beforeEach, test } from 'node:test';
import WebSocket from 'ws';
import { startEmulator, type RunningEmulator } from '../../src/emulator/index.js';
import { silence, tone } from '../wire/stt-fixtures.js';
import { scriptRule, STT_PATH } from '../wire/stt-harness.js';

let emulator: RunningEmulator;
before(async () => {
  emulator = await startEmulator({ port: 0, quiet: true });
});
after(() => emulator.close());
beforeEach(() => {
  emulator.faults.clear();
  emulator.requests.clear();
});

interface Exchange {
  messages: Array<Record<string, any>>;
  code: number;
}

/** Sends `outgoing` in order on a fresh connection and collects everything until the close. */
function exchange(outgoing: unknown[]): Promise<Exchange> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(`${emulator.wsUrl}${STT_PATH}`, { headers: { Authorization: 'Basic a2V5' } });
    const messages: Array<Record<string, any>> = [];
    socket.on('open', () => {
      for (const message of outgoing) socket.send(typeof message === 'string' ? message : JSON.stringify(message));
    });
    socket.on('message', (data) => messages.push(JSON.parse(data.toString())));
    socket.on('close', (code) => resolve({ messages, code }));
    socket.on('error', () => {});
    socket.on('unexpected-response', (_req, res) => reject(new Error(`handshake ${res.statusCode}`)));
  });
}

const CONFIG = { transcribeConfig: { modelId: 'inworld/inworld-stt-1', audioEncoding: 'LINEAR16', sampleRateHertz: 16000, numberOfChannels: 1 } };
const chunk = (pcm: Buffer) => ({ audioChunk: { content: pcm.toString('base64') } });

test('the first message must be transcribeConfig: an INVALID_ARGUMENT error, then close 1008', async () => {
  const { messages, code } = await exchange([chunk(silence(100))]);
  assert.equal(messages[0]!.error.code, 3);
  assert.match(messages[0]!.error.message, /first message must be transcribeConfig/);
  assert.equal(code, 1008);
});

test('streaming takes LINEAR16 only', async () => {
  const { messages } = await exchange([{ transcribeConfig: { ...CONFIG.transcribeConfig, audioEncoding: 'MP3' } }]);
  assert.equal(messages[0]!.error.code, 3);
  assert.match(messages[0]!.error.message, /LINEAR16/);
});

test('snake_case envelope and fields are accepted; closeStream flushes the turn and closes 1000', async () => {
  emulator.faults.add(scriptRule(['snake case works']));
  const { messages, code } = await exchange([
    { transcribe_config: { model_id: 'inworld/inworld-stt-1', audio_encoding: 'LINEAR16', sample_rate_hertz: 16000, voice_profile_config: { enable_voice_profile: true, top_n: 2 } } },
    { audio_chunk: { content: tone(500).toString('base64') } },
    { close_stream: {} },
  ]);
  assert.equal(code, 1000);
  const final = messages.find((m) => m.result?.transcription?.isFinal);
  assert.equal(final!.result.transcription.transcript, 'snake case works');
  assert.equal(final!.result.transcription.voiceProfile.emotion.length, 2);
  for (const word of final!.result.transcription.wordTimestamps) {
    assert.equal(typeof word.startTimeMs, 'number');
    assert.equal(typeof word.endTimeMs, 'number');
  }
  assert.ok(messages.some((m) => m.result?.usage?.transcribedAudioMs === 500));
});

test('endTurn without speech gives an empty final; without a script the text says it is emulated', async () => {
  const { messages } = await exchange([
    { ...CONFIG, transcribeConfig: { ...CONFIG.transcribeConfig, inworldSttV1Config: { vadThreshold: 0 } } },
    chunk(silence(300)),
    { endTurn: {} },
    chunk(tone(300)),
    { endTurn: {} },
    { closeStream: {} },
  ]);
  const finals = messages.filter((m) => m.result?.transcription?.isFinal).map((m) => m.result.transcription.transcript);
  assert.deepEqual(finals, ['', 'emulated transcript']);
});

test('fault: a drop without a close frame is seen as 1006 by the client', async () => {
  emulator.faults.add({ protocol: 'ws', path: STT_PATH, action: { type: 'custom', name: 'stt-close', params: { afterChunks: 2, closeCode: 1006 } } });
  const { code } = await exchange([CONFIG, chunk(silence(100)), chunk(silence(100)), chunk(silence(100))]);
  assert.equal(code, 1006);
});

test('fault: close 1011 mid-turn, and a top-level error message', async () => {
  emulator.faults.add({ protocol: 'ws', path: STT_PATH, times: 1, action: { type: 'ws-close', closeCode: 1011, afterMessages: 1 } });
  const closed = await exchange([CONFIG, chunk(tone(300)), chunk(tone(300))]);
  assert.equal(closed.code, 1011);
  assert.ok(closed.messages[0]!.result.speechStarted);
  emulator.faults.add({ protocol: 'ws', path: STT_PATH, times: 1, action: { type: 'ws-error', code: 8, message: 'rate limit exceeded' } });
  const errored = await exchange([CONFIG, { closeStream: {} }]);
  assert.deepEqual(errored.messages[0], { error: { code: 8, message: 'rate limit exceeded', details: [] } });
});

test('fault: the spec-string form of stt-close fires, whether posted to the control endpoint or given at start', async () => {
  const spec = `action=custom,name=stt-close,after-chunks=10,close-code=1011,protocol=ws,path=${STT_PATH}`;
  const posted = await fetch(new URL('_emulator/faults', emulator.url), { method: 'POST', body: JSON.stringify({ spec }) });
  assert.equal(posted.status, 200);
  const chunks = Array.from({ length: 12 }, () => chunk(silence(100)));
  const viaControl = await exchange([CONFIG, ...chunks, { closeStream: {} }]);
  assert.equal(viaControl.code, 1011);

  const started = await startEmulator({ port: 0, quiet: true, faults: ['action=custom,name=stt-close,after-chunks=2,close-code=1011'] });
  try {
    const code = await new Promise<number>((resolve) => {
      const socket = new WebSocket(`${started.wsUrl}${STT_PATH}`, { headers: { Authorization: 'Basic a2V5' } });
      socket.on('open', () => {
        for (const message of [CONFIG, chunk(silence(100)), chunk(silence(100)), chunk(silence(100)), { closeStream: {} }]) socket.send(JSON.stringify(message));
      });
      socket.on('close', (closeCode) => resolve(closeCode));
      socket.on('error', () => {});
    });
    assert.equal(code, 1011);
  } finally {
    await started.close();
  }
});

test('a 401 handshake through the status fault', async () => {
  emulator.faults.add({ protocol: 'ws', path: STT_PATH, action: { type: 'status', status: 401, code: 16, message: 'no' } });
  await assert.rejects(exchange([CONFIG]), /handshake 401/);
});

test('the script comes from INWORLD_EMULATOR_STT_SCRIPT when no rule gives one', async () => {
  const { parseEnvScript } = await import('../../src/emulator/stt/script.js');
  assert.deepEqual(parseEnvScript('["a b", "c"]'), ['a b', 'c']);
  assert.deepEqual(parseEnvScript('one | two'), ['one', 'two']);
  assert.equal(parseEnvScript(''), undefined);
});
