// The recovery contract (protocol §7.2, LiveKit's stt_recovery tests), against the emulator's
// fault injection on real sockets: unexpected closes reconnect, re-send transcribeConfig and
// continue with the unacknowledged audio; finals are neither lost nor duplicated; a close after
// closeStream is clean; retries are bounded.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { ConnectionError } from '../../src/core/errors.js';
import type { RunningEmulator } from '../../src/emulator/index.js';
import type { FaultAction } from '../../src/emulator/faults/rules.js';
import { transcribeStream } from '../../src/stt/transcribe.js';
import { silence, tone } from './stt-fixtures.js';
import { audioBytes, clientFor, collect, collectUntilError, finals, scriptRule, STT_PATH, sttConnections, sttEmulator } from './stt-harness.js';

let emulator: RunningEmulator;
before(async () => {
  emulator = await sttEmulator();
});
after(() => emulator.close());

// Two turns: speech 0–600 ms and 1100–1700 ms; 22 chunks of 100 ms (3200 bytes) in all.
const AUDIO = Buffer.concat([tone(600), silence(500), tone(600), silence(500)]);
const TURNS = ['alpha beta', 'gamma delta'];
const FIRST_FINAL_END_BYTES = 600 * 32;

function arm(action: FaultAction, times?: number): void {
  emulator.faults.clear();
  emulator.requests.clear();
  emulator.faults.add(scriptRule(TURNS));
  emulator.faults.add({ protocol: 'ws', path: STT_PATH, ...(times !== undefined ? { times } : {}), action });
}

// At the API's 50 chunks/s the fault (counted in chunks the server processed) lands before the
// client has sent closeStream, as it would mid-stream in real use.
function options(maxRetries?: number) {
  return { sampleRateHertz: 16000, maxChunksPerSecond: 50, retryBaseDelayMs: 10, ...(maxRetries !== undefined ? { maxRetries } : {}) };
}

for (const closeCode of [1006, 1011, 1000]) {
  test(`a ${closeCode} close mid-turn reconnects, re-sends transcribeConfig and continues without losing or duplicating finals`, async () => {
    arm({ type: 'custom', name: 'stt-close', params: { afterChunks: 15, closeCode } }, 1);
    const events = await collect(transcribeStream(clientFor(emulator), [AUDIO], options()));
    assert.deepEqual(finals(events), TURNS);
    const reconnects = events.filter((e) => e.type === 'reconnecting');
    assert.equal(reconnects.length, 1);
    assert.match(reconnects[0]!.type === 'reconnecting' ? reconnects[0]!.reason : '', new RegExp(String(closeCode)));
    const connections = sttConnections(emulator);
    assert.equal(connections.length, 2);
    assert.ok('transcribeConfig' in (connections[1]![0] as object), 'the new connection starts with transcribeConfig');
    // The second connection gets everything after the first final: no audio lost, none of the
    // finalized turn repeated.
    assert.equal(audioBytes(connections[1]!), AUDIO.length - FIRST_FINAL_END_BYTES);
    assert.deepEqual(connections[1]!.at(-1), { closeStream: {} });
    // Times stay relative to the whole stream across the reconnect.
    const second = events.filter((e) => e.type === 'final')[1];
    assert.ok(second?.type === 'final' && second.startMs === 1100 && second.endMs === 1700, JSON.stringify(second));
  });
}

test('a drop in the first turn (after two server messages) replays the whole turn', async () => {
  arm({ type: 'ws-drop', afterMessages: 2 }, 1);
  const events = await collect(transcribeStream(clientFor(emulator), [AUDIO], options()));
  assert.deepEqual(finals(events), TURNS);
  const connections = sttConnections(emulator);
  assert.equal(connections.length, 2);
  assert.equal(audioBytes(connections[1]!), AUDIO.length, 'nothing was acknowledged, so everything is replayed');
});

test('a close after closeStream is a clean end, even with 1011: no reconnect, no error', async () => {
  // Sent without pacing, the last chunk and closeStream leave together; the server closes 1011
  // on that last chunk, after both finals, when closeStream is already on its way.
  arm({ type: 'custom', name: 'stt-close', params: { afterChunks: 22, closeCode: 1011 } });
  const events = await collect(transcribeStream(clientFor(emulator), [AUDIO], { ...options(), maxChunksPerSecond: 0 }));
  assert.deepEqual(finals(events), TURNS);
  assert.equal(sttConnections(emulator).length, 1);
  assert.ok(!events.some((e) => e.type === 'reconnecting'));
});

test('retries are bounded: a server that always drops fails with a ConnectionError naming the reason', async () => {
  arm({ type: 'custom', name: 'stt-close', params: { afterChunks: 2, closeCode: 1011 } });
  const { events, error } = await collectUntilError(transcribeStream(clientFor(emulator), [AUDIO], options(2)));
  assert.ok(error instanceof ConnectionError, String(error));
  assert.match((error as Error).message, /after 2 retries.*1011/);
  assert.equal(sttConnections(emulator).length, 3);
  assert.equal(events.filter((e) => e.type === 'reconnecting').length, 2);
});

test('with maxRetries 0 an unexpected close is a ConnectionError at once', async () => {
  arm({ type: 'ws-drop', afterMessages: 1 });
  const { error } = await collectUntilError(transcribeStream(clientFor(emulator), [AUDIO], options(0)));
  assert.ok(error instanceof ConnectionError);
  assert.equal(sttConnections(emulator).length, 1);
});

test('a handshake refused with 503 is retried, and the stream then completes', async () => {
  arm({ type: 'status', status: 503, code: 14, message: 'busy' }, 1);
  const events = await collect(transcribeStream(clientFor(emulator), [AUDIO], options()));
  assert.deepEqual(finals(events), TURNS);
  assert.equal(emulator.requests.find(STT_PATH).length, 2);
});

test('a retryable server error (UNAVAILABLE) mid-stream reconnects instead of failing', async () => {
  arm({ type: 'custom', name: 'stt-error', params: { afterChunks: 15, code: 14, message: 'try again' } }, 1);
  const events = await collect(transcribeStream(clientFor(emulator), [AUDIO], options()));
  assert.deepEqual(finals(events), TURNS);
  assert.ok(events.some((e) => e.type === 'error'));
});

test('a message that is not JSON is a damaged stream: reconnect and replay, finals intact', async () => {
  arm({ type: 'custom', name: 'stt-malformed', params: { afterChunks: 15 } }, 1);
  const events = await collect(transcribeStream(clientFor(emulator), [AUDIO], options()));
  assert.deepEqual(finals(events), TURNS);
  assert.equal(sttConnections(emulator).length, 2);
});

test('a sender far ahead of the finals keeps its unacknowledged audio: a drop then loses no turn', async () => {
  // 40 turns of 1 s speech and 1 s silence, sent without any pacing, with room to replay only
  // 3 s. The client can send far more than 3 s past the server's last final (socket buffers), so
  // without a bound on unacknowledged audio the oldest is pushed out of the replay buffer and a
  // drop mid-stream loses the turns in it.
  const turns = Array.from({ length: 40 }, (_, i) => `turn ${i + 1}`);
  const audio = Buffer.concat(turns.flatMap(() => [tone(1000), silence(1000)]));
  emulator.faults.clear();
  emulator.requests.clear();
  emulator.faults.add(scriptRule(turns));
  emulator.faults.add({ protocol: 'ws', path: STT_PATH, times: 1, action: { type: 'custom', name: 'stt-close', params: { afterChunks: 400, closeCode: 1006 } } });
  const stream = transcribeStream(clientFor(emulator), [audio], { sampleRateHertz: 16000, maxChunksPerSecond: 0, retryBaseDelayMs: 10, replayLimitMs: 3000 });
  const events = await collect(stream);
  assert.deepEqual(finals(events), turns);
  assert.equal(stream.session.stats.replayDroppedBytes, 0);
  assert.equal(sttConnections(emulator).length, 2, 'the stream was dropped once');
});
