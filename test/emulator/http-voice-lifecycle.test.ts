// The emulator's voice lifecycle over plain HTTP: clone (per-sample verdicts, the rate limit),
// design (previews with audio that expire), publish, PATCH, DELETE, the Voices scope, and the list
// filters that see the new voices.
import assert from 'node:assert/strict';
import { after, before, beforeEach, test } from 'node:test';
import type { RunningEmulator } from '../../src/emulator/index.js';
import { mp3Sample, notAudio, wavSample } from '../helpers/voice-samples.js';
import { AUTH, get, post, readJson, start, ttsBody } from './http-support.js';

let emulator: RunningEmulator;
before(async () => {
  emulator = await start({ workspace: 'lab', cloneRateLimitPerMinute: 1000 });
});
after(() => emulator.close());
beforeEach(() => {
  emulator.options.cloneRateLimitPerMinute = 1000;
  emulator.options.keysWithoutVoiceScope = [];
  emulator.options.previewTtlMs = 600_000;
});

function request(method: string, path: string, body?: unknown, headers: Record<string, string> = AUTH): Promise<Response> {
  return fetch(new URL(path.replace(/^\//, ''), emulator.url), { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
}

function cloneBody(name: string, samples: Buffer[], extra: Record<string, unknown> = {}): Record<string, unknown> {
  return { displayName: name, langCode: 'EN_US', voiceSamples: samples.map((audio) => ({ audioData: audio.toString('base64') })), ...extra };
}

test('clone: a custom voice named {workspace}__{name}, listed as custom, spoken by TTS at once', async () => {
  const response = await post(emulator, '/voices/v1/voices:clone', cloneBody('Grandma Reading', [wavSample(6), mp3Sample(8)], { description: 'Bedtime', tags: ['warm'] }));
  assert.equal(response.status, 200);
  const body = await readJson(response);
  assert.equal(body.voice.voiceId, 'lab__grandma_reading');
  assert.equal(body.voice.name, 'workspaces/lab/voices/grandma_reading');
  assert.equal(body.voice.source, 'IVC');
  assert.deepEqual(body.voice.tags, ['warm']);
  assert.equal(body.audioSamplesValidated.length, 2);
  for (const verdict of body.audioSamplesValidated) assert.deepEqual(verdict.errors, []);

  const custom = await readJson(await get(emulator, `/voices/v1/voices?filter=${encodeURIComponent('source = "IVC"')}`));
  assert.ok(custom.voices.some((voice: any) => voice.voiceId === 'lab__grandma_reading'));
  const legacy = await readJson(await get(emulator, '/tts/v1/voices'));
  assert.equal(legacy.voices.find((voice: any) => voice.voiceId === 'lab__grandma_reading').isCustom, true);
  const tts = await post(emulator, '/tts/v1/voice', ttsBody({ voiceId: 'lab__grandma_reading' }));
  assert.equal(tts.status, 200);
  assert.ok((await readJson(tts)).audioContent.length > 100);

  const again = await readJson(await post(emulator, '/voices/v1/voices:clone', cloneBody('Grandma Reading', [wavSample(5)])));
  assert.equal(again.voice.voiceId, 'lab__grandma_reading_2', 'a second voice of the same name gets its own id');
});

test('clone: each sample judged (not audio, too short, too long, short, quiet), voice made from the usable ones', async () => {
  const samples = [notAudio(), wavSample(2), wavSample(16), wavSample(4), wavSample(8, 180, 100)];
  const response = await post(emulator, '/voices/v1/voices:clone', cloneBody('Judged', samples));
  assert.equal(response.status, 200);
  const verdicts = (await readJson(response)).audioSamplesValidated;
  assert.match(verdicts[0].errors[0].text, /could not be decoded/);
  assert.match(verdicts[1].errors[0].text, /2\.0 s long; at least 3 s/);
  assert.match(verdicts[2].errors[0].text, /16\.0 s long; at most 15 s/);
  assert.deepEqual(verdicts[3].errors, []);
  assert.match(verdicts[3].warnings[0].text, /only 4\.0 s/);
  assert.match(verdicts[4].warnings[0].text, /almost silent/);

  const none = await post(emulator, '/voices/v1/voices:clone', cloneBody('Nothing usable', [notAudio(), wavSample(1)]));
  assert.equal(none.status, 400);
  const error = await readJson(none);
  assert.equal(error.code, 3);
  assert.match(error.message, /sample 1: .*decoded.*sample 2: .*1\.0 s/);
  const missing = await post(emulator, '/voices/v1/voices:clone', { displayName: 'x', voiceSamples: [] });
  assert.equal(missing.status, 400);
  const unnamed = await post(emulator, '/voices/v1/voices:clone', cloneBody('', [wavSample(5)]));
  assert.equal(unnamed.status, 400);
});

test('clone: 5 per minute per key, then 429 with Retry-After and code 8; other keys unaffected', async () => {
  emulator.options.cloneRateLimitPerMinute = 5;
  const headers = { ...AUTH, authorization: 'Basic rate-limited-key' };
  for (let i = 0; i < 5; i++) assert.equal((await post(emulator, '/voices/v1/voices:clone', cloneBody(`r${i}`, [wavSample(3)]), headers)).status, 200);
  const refused = await post(emulator, '/voices/v1/voices:clone', cloneBody('r6', [wavSample(3)]), headers);
  assert.equal(refused.status, 429);
  const retryAfter = Number(refused.headers.get('retry-after'));
  assert.ok(retryAfter >= 1 && retryAfter <= 60, String(retryAfter));
  assert.equal((await readJson(refused)).code, 8);
  const other = { ...AUTH, authorization: 'Basic another-key' };
  assert.equal((await post(emulator, '/voices/v1/voices:clone', cloneBody('other', [wavSample(3)]), other)).status, 200);
});

test('design: 1 to 3 previews with MP3 audio of the preview text; publish keeps one, at the top level', async () => {
  const response = await post(emulator, '/voices/v1/voices:design', {
    designPrompt: 'A calm older British man with a low, gravelly voice and a slow pace',
    previewText: 'Good evening, and welcome to the late show.',
    langCode: 'EN_GB',
    voiceDesignConfig: { numberOfSamples: 3 },
  });
  assert.equal(response.status, 200);
  const body = await readJson(response);
  assert.equal(body.langCode, 'EN_GB');
  assert.equal(body.previewVoices.length, 3);
  const audios = body.previewVoices.map((preview: any) => Buffer.from(preview.previewAudio, 'base64'));
  for (const audio of audios) assert.ok(audio[0] === 0xff && (audio[1] & 0xe0) === 0xe0 && audio.length > 2000, 'MPEG frames');
  assert.notDeepEqual(audios[0], audios[1], 'the previews sound different');
  const [first] = body.previewVoices;
  assert.equal((await post(emulator, '/tts/v1/voice', ttsBody({ voiceId: first.voiceId }))).status, 404, 'a preview is not a voice yet');

  const published = await post(emulator, `/voices/v1/voices/${first.voiceId}:publish`, { displayName: 'Late Show Host', tags: ['narrator'] });
  assert.equal(published.status, 200);
  const voice = await readJson(published);
  assert.equal(voice.voiceId, first.voiceId);
  assert.equal(voice.displayName, 'Late Show Host');
  assert.equal(voice.gender, 'MALE');
  assert.equal(voice.ageGroup, 'OLD');
  assert.equal((await post(emulator, '/tts/v1/voice', ttsBody({ voiceId: first.voiceId }))).status, 200);
  const twice = await post(emulator, `/voices/v1/voices/${first.voiceId}:publish`, { displayName: 'Again' });
  assert.equal(twice.status, 409);
  assert.equal((await readJson(twice)).code, 6);
  const elderly = await readJson(await get(emulator, `/voices/v1/voices?filter=${encodeURIComponent('age_group = "elderly" AND source = "IVC"')}`));
  assert.deepEqual(elderly.voices.map((v: any) => v.voiceId), [first.voiceId]);
});

test('design: bad requests are 400 (empty or long prompt, no preview text, 0 or 4 samples); languageCode accepted', async () => {
  const base = { designPrompt: 'A bright young woman', previewText: 'Hi!' };
  for (const bad of [{ designPrompt: '' }, { designPrompt: 'x'.repeat(1001) }, { previewText: '' }, { voiceDesignConfig: { numberOfSamples: 0 } }, { voiceDesignConfig: { numberOfSamples: 4 } }]) {
    const response = await post(emulator, '/voices/v1/voices:design', { ...base, ...bad });
    assert.equal(response.status, 400, JSON.stringify(bad).slice(0, 60));
    assert.equal((await readJson(response)).code, 3);
  }
  const ok = await readJson(await post(emulator, '/voices/v1/voices:design', { ...base, languageCode: 'es-ES' }));
  assert.equal(ok.langCode, 'ES_ES');
  assert.equal(ok.previewVoices.length, 1);
});

test('design: previews expire unless published (404, code 5)', async () => {
  emulator.options.previewTtlMs = 50;
  const body = await readJson(await post(emulator, '/voices/v1/voices:design', { designPrompt: 'A cheerful robot', previewText: 'Beep.' }));
  await new Promise((resolve) => setTimeout(resolve, 80));
  const late = await post(emulator, `/voices/v1/voices/${body.previewVoices[0].voiceId}:publish`, { displayName: 'Robot' });
  assert.equal(late.status, 404);
  const error = await readJson(late);
  assert.equal(error.code, 5);
  assert.match(error.message, /expire/);
});

test('PATCH changes the fields sent (or those in updateMask); DELETE removes; system voices and unknown ids refused', async () => {
  const { voice } = await readJson(await post(emulator, '/voices/v1/voices:clone', cloneBody('Editable', [wavSample(5)], { description: 'old' })));
  const patched = await readJson(await request('PATCH', `/voices/v1/voices/${voice.voiceId}`, { displayName: 'Edited', tags: ['a', 'b'] }));
  assert.equal(patched.displayName, 'Edited');
  assert.equal(patched.description, 'old');
  assert.deepEqual(patched.tags, ['a', 'b']);
  const masked = await readJson(await request('PATCH', `/voices/v1/voices/${voice.voiceId}?updateMask=description`, { displayName: 'Ignored', description: 'new' }));
  assert.equal(masked.displayName, 'Edited');
  assert.equal(masked.description, 'new');
  assert.equal((await readJson(await get(emulator, `/voices/v1/voices/${voice.voiceId}`))).description, 'new');

  const system = await request('PATCH', '/voices/v1/voices/Ashley', { displayName: 'Mine now' });
  assert.equal(system.status, 400);
  assert.equal((await request('DELETE', '/voices/v1/voices/Ashley')).status, 400);
  const unknown = await request('DELETE', '/voices/v1/voices/lab__nobody');
  assert.equal(unknown.status, 404);
  assert.equal((await readJson(unknown)).code, 5);

  const deleted = await request('DELETE', `/voices/v1/voices/${voice.voiceId}`);
  assert.equal(deleted.status, 200);
  assert.deepEqual(await readJson(deleted), {});
  assert.equal((await get(emulator, `/voices/v1/voices/${voice.voiceId}`)).status, 404);
  assert.equal((await post(emulator, '/tts/v1/voice', ttsBody({ voiceId: voice.voiceId }))).status, 404);
});

test('a key without the Voices scope gets 403 (code 7) on the Voice API, the legacy list still answers', async () => {
  emulator.options.keysWithoutVoiceScope = ['narrow-key'];
  const narrow = { ...AUTH, authorization: 'Basic narrow-key' };
  for (const response of [
    await get(emulator, '/voices/v1/voices', narrow),
    await post(emulator, '/voices/v1/voices:clone', cloneBody('x', [wavSample(5)]), narrow),
    await post(emulator, '/voices/v1/voices:design', { designPrompt: 'A voice', previewText: 'Hi' }, narrow),
    await request('DELETE', '/voices/v1/voices/lab__x', undefined, narrow),
  ]) {
    assert.equal(response.status, 403);
    assert.equal((await readJson(response)).code, 7);
  }
  assert.equal((await get(emulator, '/tts/v1/voices', narrow)).status, 200);
  assert.equal((await get(emulator, '/voices/v1/voices')).status, 200, 'other keys keep the scope');
});

test('list: repeated languages= (any of them), gender and age_group filters, owned', async () => {
  const both = await readJson(await get(emulator, '/voices/v1/voices?languages=JA_JP&languages=es'));
  const codes = new Set(both.voices.map((voice: any) => voice.langCode));
  assert.deepEqual([...codes].sort(), ['ES_ES', 'JA_JP']);
  const women = await readJson(await get(emulator, `/voices/v1/voices?filter=${encodeURIComponent('gender = "female" AND age_group = "young"')}&languages=en-US`));
  assert.ok(women.voices.length > 0);
  for (const voice of women.voices) assert.deepEqual([voice.gender, voice.ageGroup, voice.langCode], ['FEMALE', 'YOUNG', 'EN_US']);
  const owned = await readJson(await get(emulator, `/voices/v1/voices?filter=${encodeURIComponent('owned = "true"')}`));
  assert.ok(owned.voices.length > 0 && owned.voices.every((voice: any) => voice.source === 'IVC'));
});
