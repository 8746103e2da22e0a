// `say --server`, `say --batch --server`, `say --batch --shard` and `inworld jobs`, run as users
// run them (bin/inworld.js in a child process) against an emulator on loopback.
import { test, after, before, beforeEach } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtemp, readdir, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startEmulator, type RunningEmulator } from '../../src/emulator/index.js';
import { BIN, cleanEnv, runCli } from '../helpers/cli.js';

const ASYNC = '/tts/v1/voice:synthesizeAsync';
const BATCH = '/tts/v1/voice:synthesizeBatch';
let emulator: RunningEmulator;
let dir: string;
let env: Record<string, string>;

before(async () => {
  emulator = await startEmulator({ port: 0, engine: 'synthetic', quiet: true, jobDelayMs: 100 });
});
after(async () => {
  await emulator?.close();
});
beforeEach(async () => {
  emulator.requests.clear();
  emulator.faults.clear();
  emulator.options.jobDelayMs = 100;
  dir = await mkdtemp(join(tmpdir(), 'inworld-jobs-cli-'));
  env = cleanEnv({ INWORLD_BASE_URL: emulator.url, INWORLD_API_KEY: 'test-key', XDG_STATE_HOME: join(dir, 'state') });
});

const LINES = ['First line.', '', 'Second line.', '{"text":"Third line.","name":"third"}', 'Fourth line.', 'Fifth line.', 'Sixth line.', 'Seventh line.'];

test('say --server writes the WAV and the subtitles from one async job; a re-run sends nothing', async () => {
  const out = join(dir, 'long.wav');
  const args = ['say', 'A long text for the server. It has a second sentence.', '-o', out, '--server', '--subtitles', join(dir, 'long.srt')];
  const run = await runCli(args, { env });
  assert.equal(run.code, 0, run.stderr);
  const wav = await readFile(out);
  assert.equal(wav.subarray(0, 4).toString(), 'RIFF');
  assert.equal(wav.readUInt32LE(40), wav.length - 44);
  assert.match(await readFile(join(dir, 'long.srt'), 'utf8'), /^1\n00:00:00,\d{3} --> .*\nA long text/);
  assert.match(run.stderr, /Submitted job workspaces\/emulator\/ttsAsyncJobs\//);
  assert.equal(emulator.requests.find(ASYNC).length, 1);
  assert.ok(!run.stderr.includes('test-key') && !run.stdout.toString().includes('test-key'));
  emulator.requests.clear();
  const again = await runCli(args, { env });
  assert.equal(again.code, 0, again.stderr);
  assert.equal(emulator.requests.list().length, 0);
  const list = await runCli(['jobs', 'list'], { env });
  assert.match(list.stdout.toString(), /async\s+downloaded\s+\d+\s+\S*long\.wav/);
});

test('bad input for --server: one line, exit 2, nothing sent', async () => {
  const tooLong = await runCli(['say', '-o', join(dir, 'x.mp3'), '--server'], { env, input: 'a'.repeat(100_001) });
  assert.equal(tooLong.code, 2);
  assert.match(tooLong.stderr, /100001 characters; one server-side job takes at most 100000/);
  const noFile = await runCli(['say', 'hi', '--server'], { env });
  assert.equal(noFile.code, 2);
  assert.match(noFile.stderr, /--server writes a file: pass -o <file>/);
  const badShard = await runCli(['say', '--batch', 'x.txt', '--shard', '0/3'], { env });
  assert.equal(badShard.code, 2);
  assert.match(badShard.stderr, /--shard takes i\/n with 1 <= i <= n/);
  assert.equal(emulator.requests.list().length, 0);
});

test('say --batch --server: one batch job, results in the files a local --batch writes', async () => {
  const file = join(dir, 'lines.txt');
  await writeFile(file, `${LINES.join('\n')}\n`);
  const run = await runCli(['say', '--batch', file, '--out-dir', join(dir, 'out'), '--encoding', 'MP3', '--server'], { env });
  assert.equal(run.code, 0, run.stderr);
  assert.deepEqual((await readdir(join(dir, 'out'))).sort(), ['0001.mp3', '0003.mp3', '0005.mp3', '0006.mp3', '0007.mp3', '0008.mp3', 'third.mp3']);
  assert.equal(emulator.requests.find(BATCH).length, 1);
  assert.equal(emulator.requests.find(BATCH)[0]!.body && (emulator.requests.find(BATCH)[0]!.body as { items: unknown[] }).items.length, 7);
  assert.match(run.stderr, /Batch: 7 written/);
});

async function shardedRun(n: number, extra: string[]): Promise<string[][]> {
  const file = join(dir, 'lines.txt');
  await writeFile(file, `${LINES.join('\n')}\n`);
  const shards: string[][] = [];
  for (let i = 1; i <= n; i += 1) {
    const out = join(dir, `shard-${extra.length}-${i}`);
    const run = await runCli(['say', '--batch', file, '--out-dir', out, '--encoding', 'MP3', '--shard', `${i}/${n}`, ...extra], { env });
    assert.equal(run.code, 0, run.stderr);
    shards.push((await readdir(out)).sort());
  }
  return shards;
}

test('--shard i/n: the n shards together write every line exactly once (local and --server)', async () => {
  for (const extra of [[], ['--server']]) {
    const shards = await shardedRun(3, extra);
    const all = shards.flat().sort();
    assert.deepEqual(all, ['0001.mp3', '0003.mp3', '0005.mp3', '0006.mp3', '0007.mp3', '0008.mp3', 'third.mp3']);
    assert.equal(new Set(all).size, all.length);
    // The k-th non-blank line (from 0) goes to shard k mod 3 + 1: shard 1 has the 0th, 3rd and
    // 6th, which are lines 1, 5 and 8 of the file (line 2 is blank).
    assert.deepEqual(shards[0], ['0001.mp3', '0005.mp3', '0008.mp3']);
    assert.ok(shards.every((shard) => shard.length >= 2));
  }
});

/** Starts `say --server`, waits until its record holds the job's name, then sends `signal`. */
async function killAfterSubmit(args: string[], signal: NodeJS.Signals): Promise<{ code: number | null; stderr: string }> {
  const child = spawn(process.execPath, [BIN, ...args], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const jobs = join(dir, 'state', 'inworld', 'jobs');
  for (let i = 0; i < 200; i += 1) {
    const names = await readdir(jobs).catch(() => []);
    const records = await Promise.all(names.filter((n) => n.endsWith('.job.json')).map((n) => readFile(join(jobs, n), 'utf8').catch(() => '{}')));
    if (records.some((text) => /"name": "workspaces\//.test(text))) break;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  child.kill(signal);
  const code = await new Promise<number | null>((resolve) => child.on('close', (c) => resolve(c)));
  return { code, stderr };
}

for (const signal of ['SIGINT', 'SIGKILL'] as const) {
  test(`after ${signal} once the job was submitted, inworld jobs list/show/wait/download finish it; nothing is submitted twice`, async () => {
    emulator.options.jobDelayMs = 1500;
    const out = join(dir, 'killed.mp3');
    const args = ['say', 'This job outlives the command that submitted it.', '-o', out, '--server'];
    const killed = await killAfterSubmit(args, signal);
    if (signal === 'SIGINT') {
      assert.equal(killed.code, 130);
      assert.match(killed.stderr, /Interrupted: the job workspaces\/\S+ goes on on the server; `inworld jobs wait \S+` downloads it/);
    }
    assert.equal(emulator.requests.find(ASYNC).length, 1);
    const listed = await runCli(['jobs', 'list', '--json'], { env });
    const [record] = listed.stdout.toString().trim().split('\n').map((line) => JSON.parse(line) as { id: string; state: string; name: string });
    assert.equal(record?.state, 'running');
    const shown = await runCli(['jobs', 'show', record!.id], { env });
    assert.match(shown.stdout.toString(), /on the server: (running|done)/);
    const waited = await runCli(['jobs', 'wait', record!.name], { env });
    assert.equal(waited.code, 0, waited.stderr);
    assert.ok((await readFile(out)).length > 0);
    const downloaded = await runCli(['jobs', 'download', record!.id, '--json'], { env });
    assert.equal(downloaded.code, 0, downloaded.stderr);
    assert.equal((JSON.parse(downloaded.stdout.toString()) as { state: string }).state, 'downloaded');
    // The original command again: the recorded job is found, not submitted a second time.
    const rerun = await runCli(args, { env });
    assert.equal(rerun.code, 0, rerun.stderr);
    assert.equal(emulator.requests.find(ASYNC).length, 1);
  });
}

test('jobs: an unknown job is a usage error naming the work directory', async () => {
  const run = await runCli(['jobs', 'wait', 'nope', '--work-dir', join(dir, 'empty')], { env });
  assert.equal(run.code, 2);
  assert.match(run.stderr, /No job "nope" in .*empty/);
});
