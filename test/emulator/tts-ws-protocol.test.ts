// The emulator's TTS WebSocket against protocol §3, driven by a raw `ws` client.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { RunningEmulator } from '../../src/emulator/index.js';
import { RawTtsClient, baseCreate, eventName, hasEvent, startTtsEmulator } from './tts-ws-helpers.js';

let emulator: RunningEmulator;
before(async () => {
  emulator = await startTtsEmulator({ limits: { sendTextChars: 1000 } });
});
after(async () => {
  await emulator.close();
});

async function client(): Promise<RawTtsClient> {
  return RawTtsClient.connect(emulator);
}

describe('TTS WebSocket emulator: contexts', () => {
  it('echoes the effective config with defaults in contextCreated', async () => {
    const c = await client();
    c.send({ contextId: 'c1', create: baseCreate });
    await c.until(() => hasEvent(c, 'c1', 'contextCreated'));
    const created = c.forContext('c1')[0]!;
    assert.equal(created.status.code, 0);
    assert.deepEqual(created.contextCreated, {
      voiceId: 'Ashley',
      modelId: 'inworld-tts-1.5-max',
      audioConfig: { audioEncoding: 'PCM', sampleRateHertz: 16000, speakingRate: 1 },
      bufferCharThreshold: 1000,
      maxBufferDelayMs: 3000,
      autoMode: false,
      timestampTransportStrategy: 'SYNC',
    });
    c.close();
  });

  it('processes pipelined frames in order: audio, flushCompleted, contextClosed last', async () => {
    const c = await client();
    c.send({ contextId: 'p', create: baseCreate });
    c.send({ contextId: 'p', send_text: { text: 'Welcome back. ' } });
    c.send({ contextId: 'p', send_text: { text: 'Your order has shipped.' } });
    c.send({ contextId: 'p', flush_context: {} });
    c.send({ contextId: 'p', close_context: {} });
    await c.until(() => hasEvent(c, 'p', 'contextClosed'));
    const events = c.events('p');
    assert.equal(events[0], 'contextCreated');
    assert.equal(events.at(-1), 'contextClosed');
    assert.equal(events.filter((e) => e === 'flushCompleted').length, 1, 'one generation, one flushCompleted (empty close flush sends none)');
    assert.equal(events.at(-2), 'flushCompleted');
    assert.ok(events.filter((e) => e === 'audioChunk').length >= 1);
    const first = c.forContext('p').find((r) => r.audioChunk)!;
    assert.equal(first.audioChunk.usage.processedCharactersCount, 'Welcome back. Your order has shipped.'.length);
    c.close();
  });

  it('accepts snake_case keys everywhere', async () => {
    const c = await client();
    c.send({
      context_id: 's',
      create: { voice_id: 'Ashley', model_id: 'inworld-tts-2', audio_config: { audio_encoding: 'PCM', sample_rate_hertz: 8000 } },
    });
    c.send({ context_id: 's', send_text: { text: 'Snake case.', flush_context: {} } });
    c.send({ context_id: 's', close_context: {} });
    await c.until(() => hasEvent(c, 's', 'contextClosed'));
    assert.deepEqual(c.forContext('s')[0]!.contextCreated.audioConfig, { audioEncoding: 'PCM', sampleRateHertz: 8000, speakingRate: 1 });
    assert.ok(hasEvent(c, 's', 'audioChunk'));
    c.close();
  });

  it('refuses a sixth context on one connection', async () => {
    const c = await client();
    for (let i = 1; i <= 6; i++) c.send({ contextId: `m${i}`, create: baseCreate });
    await c.until(() => c.forContext('m6').length > 0);
    for (let i = 1; i <= 5; i++) assert.ok(hasEvent(c, `m${i}`, 'contextCreated'));
    const refused = c.forContext('m6')[0]!;
    assert.notEqual(refused.status.code, 0);
    assert.match(refused.status.message, /max contexts limit reached/);
    // Closing one frees its slot once contextClosed is sent.
    c.send({ contextId: 'm1', close_context: {} });
    await c.until(() => hasEvent(c, 'm1', 'contextClosed'));
    c.send({ contextId: 'm7', create: baseCreate });
    await c.until(() => c.forContext('m7').length > 0);
    assert.ok(hasEvent(c, 'm7', 'contextCreated'));
    c.close();
  });

  it('answers code 5 for unknown contexts, naming the operation', async () => {
    const c = await client();
    c.send({ contextId: 'ghost', send_text: { text: 'hi' } });
    c.send({ contextId: 'ghost2', close_context: {} });
    await c.until(() => c.forContext('ghost2').length > 0);
    assert.deepEqual(c.forContext('ghost')[0]!.status, { code: 5, message: 'Context ghost not found during sendText', details: [] });
    assert.deepEqual(c.forContext('ghost2')[0]!.status, { code: 5, message: 'Context ghost2 not found during closeContext', details: [] });
    c.close();
  });

  it('rejects a contextless send_text when no context is open, and routes it when exactly one is', async () => {
    const c = await client();
    c.send({ send_text: { text: 'hello' } });
    await c.until((frames) => frames.length >= 1);
    assert.equal(c.frames[0]!.result!.status.message, 'context_id is required when 0 contexts are open (payload=SEND_TEXT)');
    c.send({ contextId: 'only', create: baseCreate });
    c.send({ send_text: { text: 'Routed by default.', flush_context: {} } });
    await c.until(() => hasEvent(c, 'only', 'flushCompleted'));
    c.close();
  });

  it('accepts an empty send_text as a keepalive on an open context', async () => {
    const c = await client();
    c.send({ contextId: 'k', create: baseCreate });
    c.send({ contextId: 'k', send_text: { text: '' } });
    c.send({ contextId: 'k', send_text: { text: 'Still here.', flush_context: {} } });
    c.send({ contextId: 'k', close_context: {} });
    await c.until(() => hasEvent(c, 'k', 'contextClosed'));
    assert.ok(c.events('k').every((e) => !e.startsWith('status:')));
    assert.equal(c.events('k').filter((e) => e === 'flushCompleted').length, 1);
    c.close();
  });

  it('rejects text over the send_text limit with a status error for that context', async () => {
    const c = await client();
    c.send({ contextId: 'long', create: baseCreate });
    c.send({ contextId: 'long', send_text: { text: 'a '.repeat(501) } });
    await c.until(() => c.events('long').some((e) => e.startsWith('status:')));
    const status = c.forContext('long').find((r) => r.status.code !== 0)!.status;
    assert.equal(status.code, 3);
    assert.match(status.message, /limit per send_text is 1000/);
    c.close();
  });

  it('answers wrong JSON types with a top-level error and no context', async () => {
    const c = await client();
    c.send({ contextId: 'bad', create: { ...baseCreate, applyTextNormalization: true } });
    c.send('not json');
    c.send({ contextId: 'bad', send_text: { text: 42 } });
    await c.until((frames) => frames.length >= 3);
    assert.ok(c.frames.every((f) => f.error && f.error.code === 3 && !f.result), JSON.stringify(c.frames));
    assert.match(c.frames[0]!.error!.message, /applyTextNormalization/);
    c.send({ contextId: 'bad', close_context: {} });
    await c.until(() => c.forContext('bad').length > 0);
    assert.equal(c.forContext('bad')[0]!.status.code, 5, 'the failed create left no context behind');
    c.close();
  });

  it('ignores unknown fields and unknown enum names', async () => {
    const c = await client();
    c.send({ contextId: 'u', create: { ...baseCreate, futureField: 1, deliveryMode: 'EXPRESSIVE', audioConfig: { ...baseCreate.audioConfig, bitrate: 5 } } });
    await c.until(() => c.forContext('u').length > 0);
    assert.ok(hasEvent(c, 'u', 'contextCreated'));
    assert.equal(c.forContext('u')[0]!.contextCreated.deliveryMode, undefined);
    c.close();
  });

  it('interleaves the frames of concurrent contexts, each in its own order', async () => {
    const c = await client();
    for (const id of ['x', 'y']) {
      c.send({ contextId: id, create: baseCreate });
      c.send({ contextId: id, send_text: { text: 'A fairly long sentence that takes several chunks to speak out loud.', flush_context: {} } });
      c.send({ contextId: id, close_context: {} });
    }
    await c.until(() => hasEvent(c, 'x', 'contextClosed') && hasEvent(c, 'y', 'contextClosed'));
    const order = c.frames.map((f) => f.result!.contextId as string);
    const firstClosed = Math.min(...['x', 'y'].map((id) => c.frames.findIndex((f) => f.result?.contextId === id && 'contextClosed' in f.result)));
    assert.ok(order.slice(0, firstClosed).includes('x') && order.slice(0, firstClosed).includes('y'), 'both contexts sent before either finished');
    for (const id of ['x', 'y']) assert.equal(c.events(id).at(-1), 'contextClosed');
    c.close();
  });
});

describe('TTS WebSocket emulator: generations', () => {
  it('sends one flushCompleted per generation with text and none for an empty flush', async () => {
    const c = await client();
    c.send({ contextId: 'g', create: baseCreate });
    c.send({ contextId: 'g', send_text: { text: 'First.', flush_context: {} } });
    c.send({ contextId: 'g', flush_context: {} });
    c.send({ contextId: 'g', send_text: { text: 'Second.' } });
    c.send({ contextId: 'g', flush_context: {} });
    c.send({ contextId: 'g', close_context: {} });
    await c.until(() => hasEvent(c, 'g', 'contextClosed'));
    assert.equal(c.events('g').filter((e) => e === 'flushCompleted').length, 2);
    c.close();
  });

  it('restarts timestamps at 0 for each generation', async () => {
    const c = await client();
    c.send({ contextId: 't', create: { ...baseCreate, timestampType: 'WORD' } });
    c.send({ contextId: 't', send_text: { text: 'One two three.', flush_context: {} } });
    c.send({ contextId: 't', send_text: { text: 'Four five.', flush_context: {} } });
    c.send({ contextId: 't', close_context: {} });
    await c.until(() => hasEvent(c, 't', 'contextClosed'));
    const generations: number[][] = [[]];
    for (const r of c.forContext('t')) {
      if (r.flushCompleted) generations.push([]);
      const starts = r.audioChunk?.timestampInfo?.wordAlignment?.wordStartTimeSeconds as number[] | undefined;
      if (starts) generations.at(-1)!.push(...starts);
    }
    assert.ok(generations[0]!.length === 3 && generations[1]!.length === 2);
    assert.ok(generations[0]![0]! < 0.2 && generations[1]![0]! < 0.2, JSON.stringify(generations));
    assert.ok(generations[1]![0]! < generations[0]!.at(-1)!);
  });

  it('ASYNC transport: audio-only chunks, then timestamp-only chunks before flushCompleted', async () => {
    const c = await client();
    c.send({ contextId: 'a', create: { ...baseCreate, timestampType: 'CHARACTER', timestampTransportStrategy: 'ASYNC' } });
    c.send({ contextId: 'a', send_text: { text: 'Async timing test.', flush_context: {} } });
    await c.until(() => hasEvent(c, 'a', 'flushCompleted'));
    const chunks = c.forContext('a').filter((r) => r.audioChunk).map((r) => r.audioChunk);
    const lastAudio = chunks.findLastIndex((ch) => ch.audioContent);
    const firstTimes = chunks.findIndex((ch) => ch.timestampInfo);
    assert.ok(firstTimes > lastAudio, 'timestamps trail the audio');
    assert.equal(chunks[firstTimes].audioContent, undefined);
    assert.equal(chunks[firstTimes].timestampInfo.characterAlignment.characters.join(''), 'Async timing test.');
    assert.equal(c.events('a').at(-1), 'flushCompleted');
    c.close();
  });

  it('WAV puts a header on the first chunk of each generation, LINEAR16 on every chunk', async () => {
    const c = await client();
    c.send({ contextId: 'w', create: { ...baseCreate, audioConfig: { audioEncoding: 'WAV', sampleRateHertz: 16000 } } });
    c.send({ contextId: 'l', create: { ...baseCreate, audioConfig: { audioEncoding: 'LINEAR16', sampleRateHertz: 16000 } } });
    for (const id of ['w', 'l']) {
      c.send({ contextId: id, send_text: { text: 'A sentence long enough for several chunks of audio.', flush_context: {} } });
      c.send({ contextId: id, send_text: { text: 'And a second generation after it.', flush_context: {} } });
      c.send({ contextId: id, close_context: {} });
    }
    await c.until(() => hasEvent(c, 'w', 'contextClosed') && hasEvent(c, 'l', 'contextClosed'));
    const headerPattern = (id: string) => {
      const marks: string[] = [];
      for (const r of c.forContext(id)) {
        if (r.flushCompleted) marks.push('|');
        if (r.audioChunk?.audioContent) marks.push(Buffer.from(r.audioChunk.audioContent, 'base64').subarray(0, 4).toString('latin1') === 'RIFF' ? 'H' : '.');
      }
      return marks.join('');
    };
    assert.match(headerPattern('w'), /^H\.+\|H\.+\|$/);
    assert.match(headerPattern('l'), /^H{2,}\|H{2,}\|$/);
    const linear = Buffer.from(c.forContext('l').find((r) => r.audioChunk)!.audioChunk.audioContent, 'base64');
    assert.equal(linear.readUInt32LE(40), linear.length - 44, 'LINEAR16 header sizes describe the chunk');
    c.close();
  });

  it('generates without a flush when the buffer reaches bufferCharThreshold', async () => {
    const c = await client();
    c.send({ contextId: 'b', create: { ...baseCreate, bufferCharThreshold: 20, maxBufferDelayMs: 600_000 } });
    c.send({ contextId: 'b', send_text: { text: 'short ' } });
    c.send({ contextId: 'b', send_text: { text: 'and now past twenty characters' } });
    await c.until(() => hasEvent(c, 'b', 'flushCompleted'));
    c.close();
  });

  it('generates after maxBufferDelayMs without a flush', async () => {
    const c = await client();
    c.send({ contextId: 'd', create: { ...baseCreate, maxBufferDelayMs: 30 } });
    c.send({ contextId: 'd', send_text: { text: 'waiting text' } });
    await c.until(() => hasEvent(c, 'd', 'flushCompleted'));
    c.close();
  });

  it('autoMode generates at sentence ends and keeps the unfinished rest buffered', async () => {
    const c = await client();
    c.send({ contextId: 'auto', create: { ...baseCreate, autoMode: true, maxBufferDelayMs: 600_000 } });
    c.send({ contextId: 'auto', send_text: { text: 'First sentence. Second one is not' } });
    await c.until(() => hasEvent(c, 'auto', 'flushCompleted'));
    const usage = c.forContext('auto').find((r) => r.audioChunk)!.audioChunk.usage;
    assert.equal(usage.processedCharactersCount, 'First sentence.'.length);
    c.send({ contextId: 'auto', close_context: {} });
    await c.until(() => hasEvent(c, 'auto', 'contextClosed'));
    assert.equal(c.events('auto').filter((e) => e === 'flushCompleted').length, 2);
    c.close();
  });

  it('sends MP3 and OGG_OPUS audio that concatenates', async () => {
    const c = await client();
    c.send({ contextId: 'mp3', create: { ...baseCreate, audioConfig: { audioEncoding: 'MP3', sampleRateHertz: 24000 } } });
    c.send({ contextId: 'ogg', create: { ...baseCreate, audioConfig: { audioEncoding: 'OGG_OPUS', sampleRateHertz: 24000 } } });
    for (const id of ['mp3', 'ogg']) {
      c.send({ contextId: id, send_text: { text: 'Compressed audio.', flush_context: {} } });
      c.send({ contextId: id, close_context: {} });
    }
    await c.until(() => hasEvent(c, 'mp3', 'contextClosed') && hasEvent(c, 'ogg', 'contextClosed'));
    const bytes = (id: string) =>
      Buffer.concat(c.forContext(id).filter((r) => r.audioChunk?.audioContent).map((r) => Buffer.from(r.audioChunk.audioContent, 'base64')));
    assert.equal(bytes('ogg').subarray(0, 4).toString('latin1'), 'OggS');
    const mp3 = bytes('mp3');
    assert.ok(mp3.length > 100);
    assert.ok(mp3[0] === 0xff || mp3.subarray(0, 3).toString('latin1') === 'ID3');
    c.close();
  });
});

describe('TTS WebSocket emulator: event names', () => {
  it('eventName covers every result kind', () => {
    assert.equal(eventName({ contextId: 'x', status: { code: 5 } }), 'status:5');
  });
});

describe('TTS WebSocket emulator: update_config', () => {
  const wavRate = (result: Record<string, any>): number => Buffer.from(result.audioChunk.audioContent, 'base64').readUInt32LE(24);

  it('speaks the buffered text with the old config, then answers contextUpdated and uses the new one', async () => {
    const c = await client();
    c.send({ contextId: 'u', create: { ...baseCreate, audioConfig: { audioEncoding: 'WAV', sampleRateHertz: 16000 } } });
    c.send({ contextId: 'u', send_text: { text: 'Said before the change.' } });
    c.send({ contextId: 'u', update_config: { voiceId: 'Dennis', audio_config: { sample_rate_hertz: 8000 } } });
    c.send({ contextId: 'u', send_text: { text: 'Said after it.', flush_context: {} } });
    c.send({ contextId: 'u', close_context: {} });
    await c.until(() => hasEvent(c, 'u', 'contextClosed'));
    const results = c.forContext('u');
    const events = results.map(eventName).filter((e, i, all) => e !== 'audioChunk' || all[i - 1] !== 'audioChunk');
    assert.deepEqual(events, ['contextCreated', 'audioChunk', 'flushCompleted', 'contextUpdated', 'audioChunk', 'flushCompleted', 'contextClosed']);
    const updated = results.find((r) => r.contextUpdated)!.contextUpdated;
    assert.equal(updated.voiceId, 'Dennis');
    assert.equal(updated.modelId, baseCreate.modelId);
    assert.deepEqual(updated.audioConfig, { audioEncoding: 'WAV', sampleRateHertz: 8000, speakingRate: 1 });
    const audio = results.filter((r) => r.audioChunk?.audioContent);
    const updatedAt = results.findIndex((r) => r.contextUpdated);
    assert.equal(wavRate(audio.find((r) => results.indexOf(r) < updatedAt)!), 16000);
    assert.equal(wavRate(audio.find((r) => results.indexOf(r) > updatedAt)!), 8000);
    c.close();
  });

  it('takes the camelCase key, and refuses a model change or an unknown context', async () => {
    const c = await client();
    c.send({ contextId: 'v', create: baseCreate });
    c.send({ contextId: 'v', updateConfig: { bufferCharThreshold: 50 } });
    await c.until(() => hasEvent(c, 'v', 'contextUpdated'));
    assert.equal(c.forContext('v').find((r) => r.contextUpdated)!.contextUpdated.bufferCharThreshold, 50);
    c.send({ contextId: 'v', update_config: { modelId: 'inworld-tts-2' } });
    await c.until(() => hasEvent(c, 'v', 'status:3'));
    assert.match(c.forContext('v').at(-1)!.status.message, /model/);
    c.send({ contextId: 'nope', update_config: { voiceId: 'Dennis' } });
    await c.until(() => c.forContext('nope').length > 0);
    assert.equal(c.forContext('nope')[0]!.status.code, 5);
    assert.equal(c.frames.filter((f) => f.error).length, 0);
    c.close();
  });
});
