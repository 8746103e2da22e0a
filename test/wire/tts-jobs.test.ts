// Server-side jobs, client against the emulator over loopback: submit, poll, download; resume
// from the record; never a second submission once the body left; polls retried; failures and
// expired URLs reported; limits refused before any request.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile, readdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { ConnectionError, ServerError, ValidationError } from '../../src/core/errors.js';
import { synthesizeWithJob } from '../../src/tts/jobs/async-job.js';
import { SignedUrlExpiredError, downloadToFile } from '../../src/tts/jobs/download.js';
import { getOperation, submitAsyncJob, waitForOperation } from '../../src/tts/jobs/operations.js';
import { JobRecordStore } from '../../src/tts/jobs/records.js';
import { FAST_POLL, jobsFixture } from '../helpers/jobs-emulator.js';

const ASYNC = '/tts/v1/voice:synthesizeAsync';
const jobs = jobsFixture('inworld-jobs-');
const client = jobs.client;

const request = { text: 'A long chapter, read by the server. It has two sentences.', voiceId: 'Ashley', timestampType: 'WORD' as const, audioConfig: { audioEncoding: 'MP3' as const } };

test('an async job is submitted, polled and downloaded; its name is recorded; the signed URLs get no credentials', async () => {
  const out = { audio: join(jobs.dir, 'chapter.mp3'), timestamps: join(jobs.dir, 'chapter.timestamps.json') };
  const result = await synthesizeWithJob(client(), request, { workDir: join(jobs.dir, 'jobs'), output: out, backoff: FAST_POLL });
  assert.match(result.name, /^workspaces\/emulator\/ttsAsyncJobs\/[0-9a-f-]+\/operations\/\d+-\S+$/);
  assert.equal(result.resumed, false);
  const audio = await readFile(out.audio);
  assert.ok(audio.length > 100 && audio.length === result.audioBytes);
  assert.ok(result.timestamps?.words && result.timestamps.words.length >= 8);
  const [record] = await new JobRecordStore(join(jobs.dir, 'jobs')).list();
  assert.equal(record?.name, result.name);
  assert.equal(record?.state, 'downloaded');
  assert.equal(jobs.emulator.requests.find(ASYNC).length, 1);
  const downloads = jobs.emulator.requests.list().filter((r) => r.path.startsWith('/storage/'));
  assert.equal(downloads.length, 2);
  for (const download of downloads) assert.equal(download.headers.authorization, undefined);
  // Nothing half-written is left beside the outputs.
  assert.deepEqual((await readdir(jobs.dir)).sort(), ['chapter.mp3', 'chapter.timestamps.json', 'jobs']);
});

test('a re-run finds the recorded job: no second submission, and no request at all once downloaded', async () => {
  const out = { audio: join(jobs.dir, 'a.mp3') };
  const options = { workDir: jobs.dir, output: out, backoff: FAST_POLL };
  const plain = { ...request, timestampType: undefined };
  const first = await synthesizeWithJob(client(), plain, options);
  jobs.emulator.requests.clear();
  const again = await synthesizeWithJob(client(), plain, options);
  assert.equal(again.name, first.name);
  assert.equal(again.resumed, true);
  assert.equal(jobs.emulator.requests.list().length, 0);
  // The audio file gone: the recorded job is polled and downloaded again, not resubmitted.
  await rm(out.audio);
  const third = await synthesizeWithJob(client(), plain, options);
  assert.equal(third.name, first.name);
  assert.equal(jobs.emulator.requests.find(ASYNC).length, 0);
  assert.ok((await readFile(out.audio)).length > 0);
});

test('a connection cut after the submission was sent is never retried, and the record says the job may exist', async () => {
  jobs.emulator.faults.add({ path: ASYNC, times: 1, action: { type: 'drop' } });
  const store = new JobRecordStore(jobs.dir);
  await assert.rejects(
    synthesizeWithJob(client(3), request, { workDir: jobs.dir, output: { audio: join(jobs.dir, 'x.mp3') }, backoff: FAST_POLL }),
    (error: unknown) => error instanceof ConnectionError && !error.requestNotSent,
  );
  assert.equal(jobs.emulator.requests.find(ASYNC).length, 1);
  const [record] = await store.list();
  assert.equal(record?.state, 'submitting');
  // Running it again does not submit either: it says why and how to go on.
  await assert.rejects(
    synthesizeWithJob(client(3), request, { workDir: jobs.dir, output: { audio: join(jobs.dir, 'x.mp3') }, backoff: FAST_POLL }),
    (error: unknown) => error instanceof ValidationError && /may exist/.test(error.message),
  );
  assert.equal(jobs.emulator.requests.find(ASYNC).length, 1);
});

test('a refused submission leaves no record and the same call can be made again', async () => {
  jobs.emulator.faults.add({ path: ASYNC, times: 1, action: { type: 'status', status: 400, message: 'bad voice' } });
  await assert.rejects(synthesizeWithJob(client(), request, { workDir: jobs.dir, output: { audio: join(jobs.dir, 'y.mp3') }, backoff: FAST_POLL }));
  assert.deepEqual(await new JobRecordStore(jobs.dir).list(), []);
});

test('polls answered 503 (with Retry-After) are retried until the job is done', async () => {
  const { operation } = await submitAsyncJob(client(), { text: 'Hello there.', voiceId: 'Ashley', modelId: 'inworld-tts-2', audioConfig: { audioEncoding: 'MP3', sampleRateHertz: 24000 } });
  jobs.emulator.faults.add({ path: '/lro/v1alpha/*', times: 3, action: { type: 'status', status: 503, retryAfterSeconds: 0 } });
  const done = await waitForOperation(client(), operation.name, { backoff: FAST_POLL });
  assert.equal(done.done, true);
  assert.ok(done.response?.audioUri);
  assert.ok(jobs.emulator.requests.find().filter((r) => r.path.startsWith('/lro/')).length >= 4);
});

test('a job that fails is reported with its error, and its record says failed', async () => {
  jobs.emulator.faults.add({ path: ASYNC, times: 1, action: { type: 'custom', name: 'job-fail', params: { code: 13, message: 'alignment failed' } } });
  await assert.rejects(
    synthesizeWithJob(client(), request, { workDir: jobs.dir, output: { audio: join(jobs.dir, 'f.mp3') }, backoff: FAST_POLL }),
    (error: unknown) => error instanceof ServerError && /alignment failed/.test(error.message),
  );
  const [record] = await new JobRecordStore(jobs.dir).list();
  assert.equal(record?.state, 'failed');
  assert.match(record?.error?.message ?? '', /alignment failed/);
});

test('an expired URL is a clear error; a fresh read of the operation gives URLs that work', async () => {
  const { operation } = await submitAsyncJob(client(), { text: 'Hello there.', voiceId: 'Ashley', modelId: 'inworld-tts-2', audioConfig: { audioEncoding: 'MP3', sampleRateHertz: 24000 } });
  jobs.emulator.faults.add({ path: '/lro/v1alpha/*', times: 1, action: { type: 'custom', name: 'expired-urls' } });
  const done = await waitForOperation(client(), operation.name, { backoff: FAST_POLL });
  await assert.rejects(downloadToFile(client(), done.response!.audioUri!, join(jobs.dir, 'e.mp3'), { what: 'audio' }), (error: unknown) => {
    assert.ok(error instanceof SignedUrlExpiredError);
    assert.match(error.message, /expired/);
    assert.match(error.hint ?? '', /inworld jobs download/);
    return true;
  });
  const fresh = await getOperation(client(), operation.name);
  assert.ok((await downloadToFile(client(), fresh.response!.audioUri!, join(jobs.dir, 'e.mp3'))) > 0);
  // A tampered signature is refused the same way. The first hex digit is changed to another one
  // (replacing it with a fixed digit left the URL intact one time in sixteen).
  const tampered = fresh.response!.audioUri!.replace(/signature=(.)/, (_match, digit: string) => `signature=${digit === '0' ? '1' : '0'}`);
  await assert.rejects(downloadToFile(client(), tampered, join(jobs.dir, 't.mp3')), SignedUrlExpiredError);
});

test('synthesizeWithJob reads the operation again by itself when a URL expired', async () => {
  jobs.emulator.faults.add({ path: '/lro/v1alpha/*', action: { type: 'custom', name: 'expired-urls' }, times: 1, skip: 0 });
  jobs.emulator.options.jobDelayMs = 0;
  try {
    const result = await synthesizeWithJob(client(), { ...request, timestampType: undefined }, { workDir: jobs.dir, output: { audio: join(jobs.dir, 'r.mp3') }, backoff: FAST_POLL });
    assert.ok(result.audioBytes > 0);
  } finally {
    jobs.emulator.options.jobDelayMs = 50;
  }
});

test('text over the job limit is refused before any request; the emulator applies its own limit too', async () => {
  await assert.rejects(
    synthesizeWithJob(client(), { ...request, text: 'a'.repeat(100_001) }, { workDir: jobs.dir, output: { audio: join(jobs.dir, 'l.mp3') } }),
    (error: unknown) => error instanceof ValidationError && /100001 characters.*at most 100000/.test(error.message),
  );
  await assert.rejects(
    synthesizeWithJob(client(), { ...request, text: 'a'.repeat(10_001) }, { workDir: jobs.dir, output: { audio: join(jobs.dir, 'l.mp3') }, maxTextChars: 10_000 }),
    /On-Demand/,
  );
  assert.equal(jobs.emulator.requests.list().length, 0);
  assert.deepEqual(await new JobRecordStore(jobs.dir).list(), []);
  jobs.emulator.options.limits.asyncChars = 10_000;
  try {
    await assert.rejects(submitAsyncJob(client(), { text: 'b'.repeat(10_001), voiceId: 'Ashley', modelId: 'inworld-tts-2', audioConfig: { audioEncoding: 'MP3', sampleRateHertz: 24000 } }), /HTTP 400/);
  } finally {
    jobs.emulator.options.limits.asyncChars = 100_000;
  }
});

test('timestamps in a language without alignment are refused at submit', async () => {
  await assert.rejects(
    submitAsyncJob(client(), { text: 'こんにちは', voiceId: 'Ashley', modelId: 'inworld-tts-2', language: 'ja-JP', timestampType: 'WORD', audioConfig: { audioEncoding: 'MP3', sampleRateHertz: 24000 } }),
    /HTTP 400.*not supported for language/,
  );
});
