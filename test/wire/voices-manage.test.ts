// The voice lifecycle through the library (inworld.voices) against the emulator over loopback:
// the filters and paging on the wire, get, clone (and speaking with the clone), design, publish,
// update, delete; clone, design and publish never sent twice; a clone whose answer is late is
// looked up by name.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { PermissionDeniedError, RateLimitError, ServerError, ValidationError, NotFoundError } from '../../src/core/errors.js';
import { startEmulator, type RunningEmulator } from '../../src/emulator/index.js';
import { Inworld } from '../../src/inworld.js';
import { CloneTimeoutError } from '../../src/voices/clone.js';
import { mp3Sample, wavSample } from '../helpers/voice-samples.js';

let emulator: RunningEmulator;
before(async () => {
  emulator = await startEmulator({ port: 0, engine: 'synthetic', quiet: true, workspace: 'wire', cloneRateLimitPerMinute: 1000 });
});
after(() => emulator.close());

function inworld(options: { timeoutMs?: number; maxRetries?: number; apiKey?: string } = {}): Inworld {
  return new Inworld({ apiKey: options.apiKey ?? 'wire-key', baseUrl: emulator.url, env: {}, configPath: null, timeoutMs: options.timeoutMs ?? 5000, maxRetries: options.maxRetries ?? 2 });
}

const posts = (path: string): number => emulator.requests.find(path).filter((record) => record.method === 'POST').length;

test('list sends the filter expression, repeated languages= and pages to the end', async () => {
  emulator.requests.clear();
  const voices = await inworld().voices.list({ languages: ['ja', 'es-ES'], gender: 'Female', pageSize: 2 });
  assert.ok(voices.length >= 3);
  for (const voice of voices) {
    assert.equal(voice.gender, 'FEMALE');
    assert.ok(voice.languages.some((language) => language.startsWith('ja') || language === 'es-ES'), voice.id);
  }
  const [first, ...rest] = emulator.requests.find('/voices/v1/voices');
  assert.equal(first!.query.filter, 'gender = "female"');
  assert.match(first!.rawQuery!, /languages=ja&languages=es-ES/);
  assert.ok(rest.length >= 1 && rest.every((record) => record.query.pageToken), 'followed nextPageToken');

  emulator.requests.clear();
  const young = await inworld().voices.list({ language: 'en-US', ageGroup: 'young', source: 'system' });
  assert.ok(young.length > 0 && young.every((voice) => voice.ageGroup === 'YOUNG' && !voice.isCustom));
  assert.equal(emulator.requests.find('/voices/v1/voices')[0]!.query.filter, 'lang_code = "en-US" AND age_group = "young" AND source = "SYSTEM"');
  await assert.rejects(inworld().voices.list({ gender: 'fe male!' }), ValidationError);
});

test('a key without the Voices scope: a refusal, or with fallbackOnForbidden the legacy list (gender reported as not applied)', async () => {
  emulator.options.keysWithoutVoiceScope = ['narrow'];
  try {
    await assert.rejects(inworld({ apiKey: 'narrow' }).voices.list(), PermissionDeniedError);
    const result = await inworld({ apiKey: 'narrow' }).voices.listDetailed({ language: 'en', gender: 'male', fallbackOnForbidden: true });
    assert.equal(result.source, 'legacy');
    assert.deepEqual(result.ignoredFilters, ['gender']);
    await assert.rejects(inworld({ apiKey: 'narrow' }).voices.get('Ashley'), PermissionDeniedError);
  } finally {
    emulator.options.keysWithoutVoiceScope = [];
  }
});

test('clone from WAV and MP3, speak with the clone, get, update, delete', async () => {
  const client = inworld();
  const result = await client.voices.clone({
    displayName: 'Wire Clone',
    langCode: 'en-US',
    samples: [{ audio: wavSample(6), transcription: 'Hello there.' }, { audio: mp3Sample(4) }],
    tags: ['test'],
    removeBackgroundNoise: true,
  });
  assert.equal(result.voice.id, 'wire__wire_clone');
  assert.equal(result.voice.isCustom, true);
  assert.equal(result.samples.length, 2);
  assert.equal(result.samples[0]!.transcription, 'Hello there.');
  assert.match(result.samples[1]!.warnings[0]!, /only 4\.\d s/);
  const sent = emulator.requests.find('/voices/v1/voices:clone').at(-1)!.body as Record<string, any>;
  assert.equal(sent.langCode, 'EN_US');
  assert.deepEqual(sent.audioProcessingConfig, { removeBackgroundNoise: true });
  assert.equal(Buffer.from(sent.voiceSamples[0].audioData, 'base64').subarray(0, 4).toString('latin1'), 'RIFF');

  let bytes = 0;
  for await (const chunk of client.tts.synthesize({ text: 'Spoken by a clone.', voiceId: result.voice.id })) bytes += chunk.audio?.length ?? 0;
  assert.ok(bytes > 1000, 'the new voice speaks at once');
  assert.equal((await client.voices.get(result.voice.id)).displayName, 'Wire Clone');
  const updated = await client.voices.update(result.voice.id, { displayName: 'Renamed', tags: ['a'] });
  assert.deepEqual([updated.displayName, updated.tags], ['Renamed', ['a']]);
  await assert.rejects(client.voices.update(result.voice.id, {}), ValidationError);
  await client.voices.delete(result.voice.id);
  await assert.rejects(client.voices.get(result.voice.id), NotFoundError);
});

test('design previews carry audio; publish makes a voice', async () => {
  const client = inworld();
  const design = await client.voices.design({ designPrompt: 'A bright young woman with a quick, playful delivery', previewText: 'Ready when you are!', numberOfSamples: 2, langCode: 'en-US' });
  assert.equal(design.previews.length, 2);
  assert.equal(design.langCode, 'EN_US');
  for (const preview of design.previews) assert.ok(preview.audio.length > 1000 && preview.audio[0] === 0xff);
  const sent = emulator.requests.find('/voices/v1/voices:design').at(-1)!.body as Record<string, any>;
  assert.deepEqual(sent.voiceDesignConfig, { numberOfSamples: 2 });
  assert.equal(sent.langCode, 'EN_US');
  const voice = await client.voices.publish(design.previews[1]!.id, { displayName: 'Playful', description: 'Quick and bright' });
  assert.equal(voice.id, design.previews[1]!.id);
  assert.equal(voice.displayName, 'Playful');
  assert.equal(voice.gender, 'FEMALE');
  await assert.rejects(client.voices.design({ designPrompt: '', previewText: 'x' }), ValidationError);
  await assert.rejects(client.voices.design({ designPrompt: 'x'.repeat(1001), previewText: 'x' }), ValidationError);
  await assert.rejects(client.voices.design({ designPrompt: 'A voice', previewText: 'x', numberOfSamples: 4 }), ValidationError);
});

test('clone, design and publish are not retried after a 503 or 429; get is', async () => {
  const client = inworld({ maxRetries: 3 });
  for (const [path, call] of [
    ['/voices/v1/voices:clone', () => client.voices.clone({ displayName: 'No retry', samples: [{ audio: wavSample(5) }] })],
    ['/voices/v1/voices:design', () => client.voices.design({ designPrompt: 'A calm voice', previewText: 'Hello' })],
    ['/voices/v1/voices/wire__x:publish', () => client.voices.publish('wire__x', { displayName: 'X' })],
  ] as const) {
    emulator.requests.clear();
    emulator.faults.add({ path, times: 3, action: { type: 'status', status: 503 } });
    await assert.rejects(call(), ServerError);
    assert.equal(posts(path), 1, `${path} sent once`);
    emulator.faults.clear();
  }
  emulator.requests.clear();
  emulator.faults.add({ path: '/voices/v1/voices:clone', times: 1, action: { type: 'status', status: 429, retryAfterSeconds: 0 } });
  await assert.rejects(client.voices.clone({ displayName: 'Limited', samples: [{ audio: wavSample(5) }] }), RateLimitError);
  assert.equal(posts('/voices/v1/voices:clone'), 1);
  emulator.faults.clear();

  emulator.requests.clear();
  emulator.faults.add({ path: '/voices/v1/voices/Ashley', times: 1, action: { type: 'status', status: 503 } });
  assert.equal((await client.voices.get('Ashley')).id, 'Ashley');
  assert.equal(emulator.requests.find('/voices/v1/voices/Ashley').length, 2, 'a read is retried');
});

test('a clone whose answer comes after the client timeout is sent once, then found by name', async () => {
  emulator.options.cloneLatencyMs = 1500;
  emulator.requests.clear();
  try {
    const error = await inworld({ maxRetries: 3 }).voices.clone({ displayName: 'Slow Clone', samples: [{ audio: wavSample(5) }] }, { timeoutMs: 300 }).catch((e: unknown) => e);
    assert.ok(error instanceof CloneTimeoutError, String(error));
    assert.equal(error.retryable, false);
    assert.deepEqual(error.matches.map((voice) => voice.id), ['wire__slow_clone']);
    assert.match(error.message, /a voice named "Slow Clone" exists \(wire__slow_clone\)/);
    assert.equal(posts('/voices/v1/voices:clone'), 1, 'not retried');
    assert.ok(emulator.requests.find('/voices/v1/voices').length >= 1, 'looked up in the list');
  } finally {
    emulator.options.cloneLatencyMs = 0;
  }
});

test('a clone that never reached completion: no voice of that name, and the error says so', async () => {
  emulator.requests.clear();
  emulator.faults.add({ path: '/voices/v1/voices:clone', times: 1, action: { type: 'stall', at: 'headers', ms: 2000 } });
  try {
    const error = await inworld().voices.clone({ displayName: 'Never Made', samples: [{ audio: wavSample(5) }] }, { timeoutMs: 300 }).catch((e: unknown) => e);
    assert.ok(error instanceof CloneTimeoutError, String(error));
    assert.deepEqual(error.matches, []);
    assert.match(error.message, /no voice named "Never Made" exists yet/);
    assert.equal(posts('/voices/v1/voices:clone'), 1);
  } finally {
    emulator.faults.clear();
  }
});

test('a clone refused before any connection existed may be retried (nothing reached a server)', async () => {
  const closed = await startEmulator({ port: 0, engine: 'synthetic', quiet: true });
  const url = closed.url;
  await closed.close();
  const lines: string[] = [];
  const client = new Inworld({ apiKey: 'k', baseUrl: url, env: {}, configPath: null, maxRetries: 2, logger: { debug: (line: string) => lines.push(line) } });
  await assert.rejects(client.voices.clone({ displayName: 'Refused', samples: [{ audio: wavSample(5) }] }), /connection refused/);
  assert.equal(lines.filter((line) => /voices:clone attempt/.test(line)).length, 2, 'two retries after a refused connection');
});
