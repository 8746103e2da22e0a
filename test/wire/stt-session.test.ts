// The streaming STT session against the emulator on a real socket: event order, scripted
// finals, manual turns with endTurn, empty finals, pacing, server errors and cancellation.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { RunningEmulator } from '../../src/emulator/index.js';
import { AuthenticationError, BadRequestError, UserAbortError } from '../../src/core/errors.js';
import { SttSession } from '../../src/stt/session.js';
import { END_TURN, transcribeStream } from '../../src/stt/transcribe.js';
import { pieces, silence, tone } from './stt-fixtures.js';
import { clientFor, collect, collectUntilError, finals, scriptRule, STT_PATH, sttConnections, sttEmulator } from './stt-harness.js';

let emulator: RunningEmulator;
before(async () => {
  emulator = await sttEmulator();
});
after(() => emulator.close());

function fresh(turns: string[]): void {
  emulator.faults.clear();
  emulator.requests.clear();
  emulator.faults.add(scriptRule(turns));
}

test('two spoken turns: speech_started, interims restating the turn, speech_stopped, finals with words and profile', async () => {
  fresh(['hello there friend', 'goodbye now']);
  const audio = Buffer.concat([silence(300), tone(1000), silence(600), tone(500), silence(600)]);
  const events = await collect(transcribeStream(clientFor(emulator), pieces(audio, 1234), { sampleRateHertz: 16000, maxChunksPerSecond: 0, voiceProfileTopN: 3 }));
  const types = events.map((e) => e.type).filter((t) => t !== 'usage');
  assert.deepEqual(types.slice(0, 2), ['speech_started', 'interim']);
  assert.deepEqual(finals(events), ['hello there friend', 'goodbye now']);
  const firstFinal = events.find((e) => e.type === 'final');
  assert.ok(firstFinal && firstFinal.type === 'final');
  assert.equal(firstFinal.turn, 1);
  assert.deepEqual(firstFinal.words.map((w) => w.word), ['hello', 'there', 'friend']);
  assert.equal(firstFinal.words[0]!.startMs, 300);
  assert.equal(firstFinal.words.at(-1)!.endMs, 1300);
  assert.equal(firstFinal.voiceProfile?.age?.length, 3);
  assert.ok(firstFinal.voiceProfile?.vocalStyle && firstFinal.voiceProfile.accent && firstFinal.voiceProfile.emotion && firstFinal.voiceProfile.pitch);
  const interims = events.filter((e) => e.type === 'interim').map((e) => (e.type === 'interim' ? e.text : ''));
  assert.ok(interims.includes('hello') && interims.includes('hello there'), `interims restate the turn so far: ${interims.join(' | ')}`);
  const startIndex = events.findIndex((e) => e.type === 'speech_started');
  const stopIndex = events.findIndex((e) => e.type === 'speech_stopped');
  const finalIndex = events.findIndex((e) => e.type === 'final');
  assert.ok(startIndex < stopIndex && stopIndex < finalIndex);
  const started = events[startIndex];
  assert.ok(started?.type === 'speech_started' && started.startTimeMs === 300);
  assert.ok(events.some((e) => e.type === 'usage'));
  // One connection, config first, closeStream last.
  const [messages] = sttConnections(emulator);
  assert.ok(messages);
  const first = messages[0] as { transcribeConfig?: Record<string, unknown> };
  assert.equal(first.transcribeConfig?.modelId, 'inworld/inworld-stt-1');
  assert.equal(first.transcribeConfig?.audioEncoding, 'LINEAR16');
  assert.deepEqual(messages.at(-1), { closeStream: {} });
  const chunkSizes = messages.flatMap((m) => ((m as { audioChunk?: { bytes: number } }).audioChunk ? [(m as { audioChunk: { bytes: number } }).audioChunk.bytes] : []));
  assert.ok(chunkSizes.slice(0, -1).every((bytes) => bytes === 3200), 'audio is re-chunked into 100 ms (3200-byte) chunks');
});

test('silence only: no turns, and closeStream ends the stream cleanly', async () => {
  fresh(['never said']);
  const events = await collect(transcribeStream(clientFor(emulator), [silence(2000)], { sampleRateHertz: 16000, maxChunksPerSecond: 0 }));
  assert.deepEqual(finals(events), []);
  assert.ok(!events.some((e) => e.type === 'speech_started'));
});

test('manual turns: endTurn finalizes each turn; an endTurn with no speech is an empty final that does not wedge the next turn', async () => {
  fresh(['first turn', 'second turn']);
  const input = [tone(500), silence(300), END_TURN, silence(300), END_TURN, tone(400), END_TURN] as const;
  const events = await collect(transcribeStream(clientFor(emulator), input, { sampleRateHertz: 16000, vadThreshold: 0, maxChunksPerSecond: 0 }));
  assert.deepEqual(finals(events), ['first turn', '', 'second turn']);
  assert.ok(!events.some((e) => e.type === 'speech_started'), 'manual mode has no server VAD events');
  const config = (sttConnections(emulator)[0]![0] as { transcribeConfig: { inworldSttV1Config: unknown } }).transcribeConfig;
  assert.deepEqual(config.inworldSttV1Config, { vadThreshold: 0 });
});

test('minEndOfTurnSilence: a 400 ms pause splits turns at 200 ms but not at 600 ms', async () => {
  const audio = Buffer.concat([tone(400), silence(400), tone(400), silence(1000)]);
  fresh(['a', 'b', 'c']);
  const split = await collect(transcribeStream(clientFor(emulator), [audio], { sampleRateHertz: 16000, maxChunksPerSecond: 0, minEndOfTurnSilenceMs: 200 }));
  assert.deepEqual(finals(split), ['a', 'b']);
  const stopped = split.find((e) => e.type === 'speech_stopped');
  assert.ok(stopped?.type === 'speech_stopped' && stopped.silenceDurationMs === 200);
  fresh(['a', 'b', 'c']);
  const joined = await collect(transcribeStream(clientFor(emulator), [audio], { sampleRateHertz: 16000, maxChunksPerSecond: 0, minEndOfTurnSilenceMs: 600 }));
  assert.deepEqual(finals(joined), ['a']);
  const final = joined.find((e) => e.type === 'final');
  assert.ok(final?.type === 'final' && final.startMs === 0 && final.endMs === 1200);
});

test('stereo 44.1 kHz is sent at its own rate and channel count', async () => {
  fresh(['stereo words']);
  const audio = Buffer.concat([tone(600, 44100, 2), silence(500, 44100, 2)]);
  const events = await collect(transcribeStream(clientFor(emulator), [audio], { sampleRateHertz: 44100, channels: 2, maxChunksPerSecond: 0 }));
  assert.deepEqual(finals(events), ['stereo words']);
  const config = (sttConnections(emulator)[0]![0] as { transcribeConfig: Record<string, unknown> }).transcribeConfig;
  assert.equal(config.sampleRateHertz, 44100);
  assert.equal(config.numberOfChannels, 2);
});

test('pacing: at most maxChunksPerSecond, and realtime paces at 1x', async () => {
  fresh([]);
  const second = silence(1000);
  let start = performance.now();
  await collect(transcribeStream(clientFor(emulator), [second], { sampleRateHertz: 16000, maxChunksPerSecond: 50 }));
  const limitedMs = performance.now() - start;
  assert.ok(limitedMs >= 170, `10 chunks at 50/s take at least ~180 ms, took ${limitedMs.toFixed(0)}`);
  start = performance.now();
  await collect(transcribeStream(clientFor(emulator), [second], { sampleRateHertz: 16000, realtime: true }));
  const realtimeMs = performance.now() - start;
  assert.ok(realtimeMs >= 850, `1 s of audio at 1x takes about 1 s, took ${realtimeMs.toFixed(0)}`);
});

test('an unknown model is rejected by the server: an error event, then a BadRequestError, no retry', async () => {
  fresh([]);
  const { events, error } = await collectUntilError(transcribeStream(clientFor(emulator), [silence(300)], { sampleRateHertz: 16000, model: 'nope/not-a-model' }));
  assert.ok(error instanceof BadRequestError, String(error));
  assert.match((error as Error).message, /unknown model/);
  assert.equal(events.at(-1)?.type, 'error');
  assert.equal(sttConnections(emulator).length, 1);
});

test('a top-level error message mid-stream surfaces as an error event and a typed error', async () => {
  fresh(['x']);
  emulator.faults.add({ protocol: 'ws', path: STT_PATH, action: { type: 'custom', name: 'stt-error', params: { afterChunks: 3, code: 3, message: 'bad audio' } } });
  const { events, error } = await collectUntilError(transcribeStream(clientFor(emulator), [silence(1000)], { sampleRateHertz: 16000, maxChunksPerSecond: 0 }));
  assert.ok(error instanceof BadRequestError);
  assert.deepEqual(events.at(-1), { type: 'error', code: 3, message: 'bad audio' });
});

test('a 401 handshake is an AuthenticationError and is not retried', async () => {
  fresh([]);
  emulator.faults.add({ protocol: 'ws', path: STT_PATH, action: { type: 'status', status: 401, code: 16, message: 'bad key' } });
  const { error } = await collectUntilError(transcribeStream(clientFor(emulator, 5), [silence(300)], { sampleRateHertz: 16000 }));
  assert.ok(error instanceof AuthenticationError, String(error));
  assert.equal((error as AuthenticationError).status, 401);
  assert.equal(emulator.requests.find(STT_PATH).length, 1, 'exactly one handshake');
});

test('an AbortSignal stops the session with UserAbortError', async () => {
  fresh([]);
  const controller = new AbortController();
  const session = new SttSession(clientFor(emulator), { sampleRateHertz: 16000, realtime: true, signal: controller.signal });
  void (async () => {
    for (let i = 0; i < 100; i += 1) await session.write(silence(100));
  })().catch(() => {});
  const seen = collectUntilError(session);
  setTimeout(() => controller.abort(), 200);
  const { error } = await seen;
  assert.ok(error instanceof UserAbortError);
});

test('breaking out of the loop closes the session', async () => {
  fresh(['one', 'two']);
  const audio = Buffer.concat([tone(400), silence(400), tone(400), silence(400)]);
  const stream = transcribeStream(clientFor(emulator), [audio], { sampleRateHertz: 16000, maxChunksPerSecond: 0 });
  for await (const event of stream) if (event.type === 'final') break;
  await assert.rejects(stream.session.write(silence(100)));
});
