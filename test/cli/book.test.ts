// `inworld book` end to end: the built CLI in a child process against the emulator on loopback.
// Resume is tested the hard way: the process killed half way (SIGINT and SIGKILL), run again,
// the requests counted through the emulator's recorder and the output compared byte for byte
// with an uninterrupted run.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, beforeEach, describe, test } from 'node:test';
import { startEmulator, type RunningEmulator } from '../../src/emulator/index.js';
import { BIN, cleanEnv, runCli } from '../helpers/cli.js';
import { sentences } from '../helpers/book-fixture.js';

const KEY = 'Ym9vay1jbGk6c2VjcmV0';
let emulator: RunningEmulator;
let dir: string;
let bookPath: string;
/** Four chapters of two requests each (a request holds at most 2,000 characters). */
const CHAPTERS = 4;
const PARTS = 8;

function env(extra: Record<string, string | undefined> = {}) {
  return cleanEnv({ INWORLD_API_KEY: KEY, INWORLD_BASE_URL: emulator.url, INWORLD_WS_URL: emulator.wsUrl, ...extra });
}

function ttsRequests(): number {
  return emulator.requests.find('/tts/v1/voice').length;
}

function book(args: string[], extra: Record<string, string | undefined> = {}) {
  return runCli(['book', bookPath, ...args], { env: env(extra), timeoutMs: 120_000 });
}

before(async () => {
  emulator = await startEmulator({ port: 0, engine: 'synthetic' });
  dir = mkdtempSync(join(tmpdir(), 'inworld-book-cli-'));
  bookPath = join(dir, 'novel.txt');
  const text = Array.from({ length: CHAPTERS }, (_, index) => `Chapter ${index + 1}\n\n${sentences(`In chapter ${index + 1} the`, 45)}\n`).join('\n');
  writeFileSync(bookPath, text);
});
after(async () => {
  await emulator.close();
});
beforeEach(() => {
  emulator.faults.clear();
  emulator.requests.clear();
  emulator.options.firstByteLatencyMs = 0;
  emulator.options.jobDelayMs = 0;
});

/** Starts the book, kills it with `signal` once `parts` parts were stored; resolves with its exit. */
function killHalfWay(args: string[], signal: NodeJS.Signals, parts: number): Promise<{ code: number | null; signal: NodeJS.Signals | null; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, 'book', bookPath, ...args, '--json'], { env: env(), stdio: ['ignore', 'pipe', 'pipe'] });
    let seen = 0;
    let stderr = '';
    let buffered = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.stdout.on('data', (chunk: Buffer) => {
      buffered += chunk.toString();
      const lines = buffered.split('\n');
      buffered = lines.pop()!;
      for (const line of lines) if ((JSON.parse(line) as { type: string }).type === 'progress' && ++seen === parts) child.kill(signal);
    });
    const timer = setTimeout(() => child.kill('SIGKILL'), 120_000);
    child.on('error', reject);
    child.on('close', (code, exitSignal) => {
      clearTimeout(timer);
      resolve({ code, signal: exitSignal, stderr });
    });
  });
}

function storedParts(workDir: string): number {
  return readdirSync(join(workDir, 'parts')).filter((name) => name.endsWith('.part')).length;
}

describe('inworld book', () => {
  let clean: Buffer;

  test('writes one WAV with a cue point per chapter, JSON events on stdout, and reuses every part on a re-run', async () => {
    const out = join(dir, 'clean.wav');
    const result = await book(['-o', out, '--json', '--concurrency', '3']);
    assert.equal(result.code, 0, result.stderr);
    assert.equal(ttsRequests(), PARTS);
    const events = result.stdout.toString().trim().split('\n').map((line) => JSON.parse(line) as Record<string, unknown>);
    assert.equal(events.filter((event) => event.type === 'chapter-start').length, CHAPTERS);
    assert.equal(events.filter((event) => event.type === 'chapter-done').length, CHAPTERS);
    assert.equal(events.filter((event) => event.type === 'progress').length, PARTS);
    const done = events.at(-1)!;
    assert.equal(done.type, 'done');
    assert.equal(done.synthesized, PARTS);
    assert.deepEqual((done.chapters as Array<{ title: string }>).map((chapter) => chapter.title), ['Chapter 1', 'Chapter 2', 'Chapter 3', 'Chapter 4']);
    clean = readFileSync(out);
    const cue = clean.indexOf('cue ');
    assert.ok(cue > 44 && clean.readUInt32LE(cue + 8) === CHAPTERS, 'a cue chunk with one point per chapter follows the audio');
    assert.equal(clean.readUInt32LE(4), clean.length - 8, 'the RIFF size covers the cue and label chunks');
    emulator.requests.clear();
    const again = await book(['-o', out]);
    assert.equal(again.code, 0, again.stderr);
    assert.equal(ttsRequests(), 0);
    assert.match(again.stderr, /Wrote .*clean\.wav \(4 chapters, .* 0 parts synthesized, 8 reused\)/);
  });

  for (const signal of ['SIGINT', 'SIGKILL'] as const) {
    test(`killed half way with ${signal}, a re-run requests only the missing parts and writes the same bytes`, async () => {
      assert.ok(clean, 'the clean run came first');
      emulator.options.firstByteLatencyMs = 200;
      const out = join(dir, `${signal}.wav`);
      const killed = await killHalfWay(['-o', out, '--concurrency', '2'], signal, PARTS / 2);
      if (signal === 'SIGINT') {
        assert.equal(killed.code, 130, killed.stderr);
        assert.match(killed.stderr, /finished parts are kept in .*\.parts; run the same command again to resume/);
      } else {
        assert.equal(killed.signal, 'SIGKILL');
      }
      assert.equal(existsSync(out), false, 'no output before every part is there');
      const stored = storedParts(`${out}.parts`);
      assert.ok(stored >= PARTS / 2 && stored < PARTS, `half the parts are stored (${stored})`);
      emulator.requests.clear();
      const rerun = await book(['-o', out, '--concurrency', '2']);
      assert.equal(rerun.code, 0, rerun.stderr);
      assert.equal(ttsRequests(), PARTS - stored, `the re-run sent ${ttsRequests()} requests for ${PARTS - stored} missing parts`);
      assert.deepEqual(readFileSync(out), clean);
    });
  }

  test('shards fill one work directory; a run without --shard assembles with no request', async () => {
    const out = join(dir, 'sharded.wav');
    for (const shard of ['1/3', '2/3', '3/3']) {
      const result = await book(['-o', out, '--shard', shard]);
      assert.equal(result.code, 0, result.stderr);
      assert.match(result.stderr, new RegExp(`Shard ${shard.replace('/', '\\/')}: \\d+ parts synthesized`));
      assert.equal(existsSync(out), false, 'a shard writes parts only');
    }
    assert.equal(ttsRequests(), PARTS, 'each part was requested by exactly one shard');
    emulator.requests.clear();
    const final = await book(['-o', out]);
    assert.equal(final.code, 0, final.stderr);
    assert.equal(ttsRequests(), 0);
    assert.deepEqual(readFileSync(out), clean);
  });

  test('a chapter that keeps failing is named with its number and title; the others finish; a re-run completes it', async () => {
    const out = join(dir, 'failing.wav');
    // One request at a time: request 3 is chapter 2's first part.
    emulator.faults.add({ path: '/tts/v1/voice', skip: 2, times: 1, action: { type: 'status', status: 500 } });
    const result = await book(['-o', out, '--concurrency', '1', '--retries', '0']);
    assert.equal(result.code, 1, result.stderr);
    assert.match(result.stderr, /chapter 2 \("Chapter 2"\) failed/);
    assert.match(result.stderr, /1 of 4 chapters failed \(chapter 2\)/);
    assert.equal(existsSync(out), false);
    assert.equal(storedParts(`${out}.parts`), PARTS - 1);
    emulator.requests.clear();
    const rerun = await book(['-o', out]);
    assert.equal(rerun.code, 0, rerun.stderr);
    assert.equal(ttsRequests(), 1);
    assert.deepEqual(readFileSync(out), clean);
  });

  test('--split-chapters writes one numbered, titled file per chapter', async () => {
    const split = join(dir, 'split');
    const result = await book(['--split-chapters', split, '--encoding', 'WAV', '--work-dir', join(dir, 'clean.wav.parts')]);
    assert.equal(result.code, 0, result.stderr);
    assert.equal(ttsRequests(), 0, 'the same requests as the clean WAV: all reused');
    assert.deepEqual(readdirSync(split).sort(), ['01 - Chapter 1.wav', '02 - Chapter 2.wav', '03 - Chapter 3.wav', '04 - Chapter 4.wav']);
  });
});

describe('inworld book --server', () => {
  const ASYNC = '/tts/v1/voice:synthesizeAsync';

  test('one async job per chapter, assembled into the same kind of file; a re-run submits nothing', async () => {
    emulator.options.jobDelayMs = 50;
    const out = join(dir, 'server.wav');
    const result = await book(['-o', out, '--server', '--json']);
    assert.equal(result.code, 0, result.stderr);
    assert.equal(emulator.requests.find(ASYNC).length, CHAPTERS, 'each chapter fits one job');
    const events = result.stdout.toString().trim().split('\n').map((line) => JSON.parse(line) as Record<string, unknown>);
    assert.equal(events.filter((event) => event.type === 'job').length, CHAPTERS);
    assert.equal((events.at(-1)!.chapters as unknown[]).length, CHAPTERS);
    const wav = readFileSync(out);
    assert.equal(wav.readUInt32LE(wav.indexOf('cue ') + 8), CHAPTERS);
    emulator.requests.clear();
    const again = await book(['-o', out, '--server']);
    assert.equal(again.code, 0, again.stderr);
    assert.equal(emulator.requests.find(ASYNC).length, 0);
  });

  test('killed with SIGKILL while a job runs, the re-run resumes that job instead of submitting it again', async () => {
    emulator.options.jobDelayMs = 3000;
    const out = join(dir, 'server-killed.wav');
    const killed = await new Promise<NodeJS.Signals | null>((resolve) => {
      const child = spawn(process.execPath, [BIN, 'book', bookPath, '-o', out, '--server', '--json', '--concurrency', '1'], { env: env(), stdio: ['ignore', 'pipe', 'ignore'] });
      child.stdout.on('data', (chunk: Buffer) => {
        if (chunk.toString().includes('"type":"job"')) child.kill('SIGKILL');
      });
      child.on('close', (_code, signal) => resolve(signal));
    });
    assert.equal(killed, 'SIGKILL');
    assert.equal(emulator.requests.find(ASYNC).length, 1, 'one job was submitted before the kill');
    emulator.requests.clear();
    emulator.options.jobDelayMs = 50;
    const rerun = await book(['-o', out, '--server', '--concurrency', '1']);
    assert.equal(rerun.code, 0, rerun.stderr);
    assert.match(rerun.stderr, /Resuming job \S+ for chapter 1 \("Chapter 1"\)/);
    assert.equal(emulator.requests.find(ASYNC).length, CHAPTERS - 1, 'the recorded job was not submitted again');
  });
});

describe('inworld book refuses bad input before any request (exit 2, one line)', () => {
  const refusals: Array<[string, string[], RegExp, (() => void)?]> = [
    ['a work directory made for another book', ['-o', 'x.wav', '--work-dir', 'OTHER'], /was made for another book \(other\.txt\).*pass another --work-dir or delete it/],
    ['an output format it cannot write', ['-o', 'book.ogg'], /Cannot tell the book's format from .*book\.ogg/],
    ['no output named', [], /Name the output with -o/],
    ['a bad shard', ['-o', 'x.wav', '--shard', '4/3'], /--shard takes i\/n/],
    ['--play', ['-o', 'x.wav', '--play'], /--play and --player are for `inworld say`/],
  ];
  for (const [what, args, message] of refusals) {
    test(what, async () => {
      const other = join(dir, 'other.parts');
      mkdirSync(other, { recursive: true });
      writeFileSync(join(other, 'book.json'), JSON.stringify({ kind: 'inworld-book-work-dir', version: 1, source: 'other.txt', textHash: 'x' }));
      const result = await runCli(['book', bookPath, ...args.map((arg) => (arg === 'OTHER' ? other : arg.endsWith('.wav') || arg.endsWith('.ogg') ? join(dir, arg) : arg))], { env: env() });
      assert.equal(result.code, 2, result.stderr);
      assert.match(result.stderr, message);
      assert.equal(result.stderr.trim().split('\n').length <= 2, true, result.stderr);
      assert.equal(ttsRequests(), 0);
    });
  }

  test('a chapter range outside the book', async () => {
    const result = await runCli(['book', bookPath, '-o', join(dir, 'range.wav'), '--chapters', '7-9'], { env: env() });
    assert.equal(result.code, 2, result.stderr);
    assert.match(result.stderr, /chapter 7 is outside the book/);
    assert.equal(ttsRequests(), 0);
  });

  test('more chapters than an MP3 chapter table holds', async () => {
    const long = join(dir, 'many-chapters.txt');
    writeFileSync(long, Array.from({ length: 256 }, (_, index) => `Chapter ${index + 1}\n\nA short line of text.\n`).join('\n'));
    const result = await runCli(['book', long, '-o', join(dir, 'many.mp3')], { env: env() });
    assert.equal(result.code, 2, result.stderr);
    assert.match(result.stderr, /256 chapters; an MP3's chapter table holds at most 255/);
    assert.equal(ttsRequests(), 0);
    const fewer = await runCli(['book', long, '-o', join(dir, 'many.mp3'), '--list-chapters'], { env: env() });
    assert.equal(fewer.code, 0, fewer.stderr);
  });

  test('M4B without ffmpeg', async () => {
    const empty = mkdtempSync(join(tmpdir(), 'inworld-no-ffmpeg-'));
    const result = await runCli(['book', bookPath, '-o', join(dir, 'book.m4b')], { env: env({ PATH: empty }) });
    assert.equal(result.code, 2, result.stderr);
    assert.match(result.stderr, /encoded to AAC by ffmpeg, which is not installed/);
    assert.equal(ttsRequests(), 0);
  });
});
