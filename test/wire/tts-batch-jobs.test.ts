// Batch jobs, client against the emulator over loopback: one submission for many items, the
// results file read and every item downloaded; one invalid item rejects the whole batch; a
// batch cut off after its name was recorded is finished from its record.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { BadRequestError, UserAbortError, ValidationError } from '../../src/core/errors.js';
import { synthesizeBatchWithJob } from '../../src/tts/jobs/batch-job.js';
import { submitBatchJob } from '../../src/tts/jobs/operations.js';
import { parseBatchResults } from '../../src/tts/jobs/protocol.js';
import { finishRecordedJob } from '../../src/tts/jobs/recorded.js';
import { JobRecordStore } from '../../src/tts/jobs/records.js';
import { FAST_POLL, jobsFixture } from '../helpers/jobs-emulator.js';

const BATCH = '/tts/v1/voice:synthesizeBatch';
const jobs = jobsFixture('inworld-batch-jobs-');
const client = jobs.client;

const items = (n: number) =>
  Array.from({ length: n }, (_, i) => ({
    customId: `line-${i + 1}`,
    request: { text: `Line number ${i + 1}.`, voiceId: i % 2 ? 'Dennis' : 'Ashley', audioConfig: { audioEncoding: i % 2 ? ('MP3' as const) : ('PCM' as const) } },
    output: { audio: join(jobs.dir, `line-${i + 1}.${i % 2 ? 'mp3' : 'wav'}`), ...(i % 2 ? {} : { wavSampleRateHertz: 24_000 }) },
  }));

test('a batch is one submission; every item lands in its own file (mixed voices and formats)', async () => {
  const result = await synthesizeBatchWithJob(client(), items(5), { workDir: jobs.dir, backoff: FAST_POLL });
  assert.match(result.name, /\/ttsBatchJobs\//);
  assert.deepEqual(result.items.map((i) => i.status), ['written', 'written', 'written', 'written', 'written']);
  assert.equal(jobs.emulator.requests.find(BATCH).length, 1);
  const wav = await readFile(join(jobs.dir, 'line-1.wav'));
  assert.equal(wav.subarray(0, 4).toString(), 'RIFF');
  assert.equal(wav.readUInt32LE(40), wav.length - 44);
  assert.ok((await readFile(join(jobs.dir, 'line-2.mp3'))).length > 0);
  const [record] = await new JobRecordStore(jobs.dir).list();
  assert.equal(record?.state, 'downloaded');
});

test('one invalid item rejects the whole batch, naming it; nothing is created', async () => {
  const body = { items: [{ customId: 'ok', request: { text: 'Fine.', voiceId: 'Ashley', modelId: 'inworld-tts-2', audioConfig: { audioEncoding: 'MP3' as const, sampleRateHertz: 24000 } } }, { customId: 'bad', request: { text: 'Bad.', voiceId: 'NoSuchVoice', modelId: 'inworld-tts-2', audioConfig: { audioEncoding: 'MP3' as const, sampleRateHertz: 24000 } } }] };
  await assert.rejects(submitBatchJob(client(), body), (error: unknown) => error instanceof BadRequestError && /items\[1\] \(customId "bad"\)/.test(error.message));
  assert.equal(jobs.emulator.requests.find(BATCH).length, 1);
  // The client's own checks refuse bad items before any request.
  jobs.emulator.requests.clear();
  await assert.rejects(synthesizeBatchWithJob(client(), [...items(1), { ...items(1)[0]! }], { workDir: jobs.dir }), (error: unknown) => error instanceof ValidationError && /used twice/.test(error.message));
  await assert.rejects(synthesizeBatchWithJob(client(), [{ ...items(1)[0]!, request: { text: 'x'.repeat(100_001) } }], { workDir: jobs.dir }), /Batch item line-1: Text is 100001 characters/);
  assert.equal(jobs.emulator.requests.list().length, 0);
});

test('a batch interrupted while it runs is finished from its record alone', async () => {
  jobs.emulator.options.jobDelayMs = 400;
  const controller = new AbortController();
  try {
    const run = synthesizeBatchWithJob(client(), items(3), { workDir: jobs.dir, backoff: FAST_POLL, signal: controller.signal, onSubmitted: () => controller.abort() });
    await assert.rejects(run, UserAbortError);
  } finally {
    jobs.emulator.options.jobDelayMs = 50;
  }
  const store = new JobRecordStore(jobs.dir);
  const [record] = await store.list();
  assert.equal(record?.state, 'running');
  const finished = await finishRecordedJob(client(), store, record!, { backoff: FAST_POLL });
  assert.equal(finished.items?.filter((i) => i.status === 'written').length, 3);
  assert.equal(jobs.emulator.requests.find(BATCH).length, 1);
});

test('the results file reader takes JSON Lines, an array, or {results}, flat or nested', () => {
  const lines = parseBatchResults('{"customId":"a","audioUri":"https://x/a"}\n\n{"customId":"b","error":{"code":3,"message":"no"}}\n');
  assert.deepEqual(lines, [{ customId: 'a', audioUri: 'https://x/a' }, { customId: 'b', error: { code: 3, message: 'no' } }]);
  assert.deepEqual(parseBatchResults('[{"custom_id":"a","response":{"audio_uri":"https://x/a"}}]'), [{ customId: 'a', audioUri: 'https://x/a' }]);
  assert.equal(parseBatchResults('{"results":[{"customId":"a","audioUri":"u"}]}')[0]?.audioUri, 'u');
  assert.match(parseBatchResults('{"customId":"c"}')[0]?.error?.message ?? '', /no audio/);
});
