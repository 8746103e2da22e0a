// Fault injection on the emulator's TTS WebSocket: each rule is added to the emulator's registry
// and matched at the handshake, exactly as a CLI test or `inworld emulator --fault` would do it.
import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import type { RunningEmulator } from '../../src/emulator/index.js';
import { RawTtsClient, TTS_WS_PATH, baseCreate, hasEvent, startTtsEmulator } from './tts-ws-helpers.js';

let emulator: RunningEmulator;
before(async () => {
  emulator = await startTtsEmulator();
});
after(async () => {
  await emulator.close();
});
beforeEach(() => {
  emulator.faults.clear();
});

const LONG_TEXT = 'This sentence is long enough to need a good number of audio chunks from the emulator.';

function speak(c: RawTtsClient, id: string, text = LONG_TEXT): void {
  c.send({ contextId: id, create: baseCreate });
  c.send({ contextId: id, send_text: { text, flush_context: {} } });
  c.send({ contextId: id, close_context: {} });
}

describe('TTS WebSocket emulator faults', () => {
  it('tts-drop destroys the socket after N chunks of a chosen context', async () => {
    emulator.faults.add({ protocol: 'ws', path: TTS_WS_PATH, times: 1, action: { type: 'custom', name: 'tts-drop', params: { context: 'b', afterChunks: 2 } } });
    const c = await RawTtsClient.connect(emulator);
    speak(c, 'b');
    await c.whenClosed();
    assert.equal(c.events('b').filter((e) => e === 'audioChunk').length, 2);
    assert.ok(!hasEvent(c, 'b', 'contextClosed'));
    assert.equal(c.closeCode, 1006, 'no close frame');
    // times=1: the next connection is healthy.
    const next = await RawTtsClient.connect(emulator);
    speak(next, 'b');
    await next.until(() => hasEvent(next, 'b', 'contextClosed'));
    next.close();
  });

  it('tts-status fails only the chosen context (by creation index) and frees its slot', async () => {
    emulator.faults.add({
      protocol: 'ws',
      times: 1,
      action: { type: 'custom', name: 'tts-status', params: { contextIndex: 1, afterChunks: 1, code: 13, message: 'synthesis backend failed' } },
    });
    const c = await RawTtsClient.connect(emulator);
    for (const id of ['s0', 's1', 's2']) speak(c, id);
    await c.until(() => ['s0', 's2'].every((id) => hasEvent(c, id, 'contextClosed')) && hasEvent(c, 's1', 'status:13'));
    const failed = c.forContext('s1');
    assert.deepEqual(failed.at(-1)!.status, { code: 13, message: 'synthesis backend failed', details: [] });
    assert.equal(failed.filter((r) => r.audioChunk).length, 1);
    assert.ok(!hasEvent(c, 's1', 'contextClosed'));
    c.close();
  });

  it('tts-status from a spec string', async () => {
    emulator.faults.add('action=custom,name=tts-status,code=8,message=quota,protocol=ws,times=1');
    const c = await RawTtsClient.connect(emulator);
    speak(c, 'q');
    await c.until(() => hasEvent(c, 'q', 'status:8'));
    assert.equal(c.forContext('q').at(-1)!.status.message, 'quota');
    c.close();
  });

  it('tts-no-context-closed never confirms the close', async () => {
    emulator.faults.add({ protocol: 'ws', times: 1, action: { type: 'custom', name: 'tts-no-context-closed' } });
    const c = await RawTtsClient.connect(emulator);
    speak(c, 'n', 'Short.');
    speak(c, 'marker', 'Done.');
    // Contexts finish in order of their chains; wait for the flushes of both instead.
    await c.until(() => hasEvent(c, 'n', 'flushCompleted') && hasEvent(c, 'marker', 'flushCompleted'));
    c.send({ contextId: 'n', send_text: { text: 'again' } });
    await c.until(() => hasEvent(c, 'n', 'status:5'));
    assert.ok(!hasEvent(c, 'n', 'contextClosed'));
    c.close();
  });

  it('tts-stall holds a context for `ms` and then continues', async () => {
    emulator.faults.add({ protocol: 'ws', times: 1, action: { type: 'custom', name: 'tts-stall', params: { afterChunks: 1, ms: 40 } } });
    const c = await RawTtsClient.connect(emulator);
    const started = Date.now();
    speak(c, 'st');
    await c.until(() => hasEvent(c, 'st', 'contextClosed'));
    assert.ok(Date.now() - started >= 35);
  });

  it('tts-latency delays each generation', async () => {
    emulator.faults.add({ protocol: 'ws', times: 1, action: { type: 'custom', name: 'tts-latency', params: { ms: 30 } } });
    const c = await RawTtsClient.connect(emulator);
    const started = Date.now();
    c.send({ contextId: 'lat', create: baseCreate });
    c.send({ contextId: 'lat', send_text: { text: 'One.', flush_context: {} } });
    c.send({ contextId: 'lat', send_text: { text: 'Two.', flush_context: {} } });
    c.send({ contextId: 'lat', close_context: {} });
    await c.until(() => hasEvent(c, 'lat', 'contextClosed'));
    assert.ok(Date.now() - started >= 55, 'two generations, 30 ms each');
    c.close();
  });

  it('tts-empty-flush sends flushCompleted for an empty flush', async () => {
    emulator.faults.add({ protocol: 'ws', times: 1, action: { type: 'custom', name: 'tts-empty-flush' } });
    const c = await RawTtsClient.connect(emulator);
    c.send({ contextId: 'e', create: baseCreate });
    c.send({ contextId: 'e', flush_context: {} });
    await c.until(() => hasEvent(c, 'e', 'flushCompleted'));
    c.close();
  });

  it('tts-idle pauses an idle connection with a top-level ABORTED error, then drops it', async () => {
    emulator.faults.add({ protocol: 'ws', times: 1, action: { type: 'custom', name: 'tts-idle', params: { ms: 30 } } });
    const c = await RawTtsClient.connect(emulator);
    await c.whenClosed();
    assert.deepEqual(c.frames.at(-1)!.error!.code, 10);
    assert.equal(c.frames.at(-1)!.error!.message, 'Paused due to inactivity');
  });

  it('ws-error sends a top-level error after N messages', async () => {
    emulator.faults.add({ protocol: 'ws', times: 1, action: { type: 'ws-error', afterMessages: 1, code: 14, message: 'backend restarting' } });
    const c = await RawTtsClient.connect(emulator);
    c.send({ contextId: 'we', create: baseCreate });
    await c.until((frames) => frames.some((f) => f.error));
    assert.deepEqual(c.frames[1]!.error, { code: 14, message: 'backend restarting', details: [] });
    c.close();
  });

  it('ws-reorder-close lets contextClosed overtake the audio', async () => {
    emulator.faults.add({ protocol: 'ws', times: 1, action: { type: 'ws-reorder-close' } });
    const c = await RawTtsClient.connect(emulator);
    speak(c, 'r', 'Race.');
    await c.until(() => hasEvent(c, 'r', 'flushCompleted'));
    const events = c.events('r');
    assert.ok(events.indexOf('contextClosed') < events.indexOf('audioChunk'));
    c.close();
  });
});
