// Every file the CLI writes is checked before the first request, and a file that fails mid-way
// (a full disk, a directory removed) is named as the user gave it, never as its temporary name,
// with every output of the run left valid or absent. Root passes permission checks, so the
// failures here are real ones root gets too: a missing directory (ENOENT), a path under a file
// (ENOTDIR), a directory where a file should go (EISDIR), and /dev/full behind a symbolic link
// with the right extension (ENOSPC on the first write).
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, beforeEach, describe, test } from 'node:test';
import { startEmulator, type RunningEmulator } from '../../src/emulator/index.js';
import { cleanEnv, runCli } from '../helpers/cli.js';
import { tone } from '../wire/stt-fixtures.js';
import { scriptRule } from '../wire/stt-harness.js';
import { writeWav } from './transcribe-helpers.js';

const KEY = 'b3V0cHV0cy10ZXN0OmtleQ==';
const TTS_WS_PATH = '/tts/v1/voice:streamBidirectional';
let emulator: RunningEmulator;
let work: string;

function env() {
  return cleanEnv({ INWORLD_API_KEY: KEY, INWORLD_BASE_URL: emulator.url, INWORLD_WS_URL: emulator.wsUrl, NO_COLOR: '1' });
}

/** Runs the CLI in the work directory, so paths (and messages) are relative, as users type them. */
function run(args: string[], input?: string) {
  return runCli(args, { env: env(), cwd: work, input });
}

/** Every `.part` file left anywhere under the work directory. */
function partFiles(dir = work): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    if (entry.isDirectory()) return partFiles(join(dir, entry.name));
    return entry.name.endsWith('.part') ? [join(dir, entry.name)] : [];
  });
}

function oneLine(stderr: string): string {
  const lines = stderr.trim().split('\n');
  assert.equal(lines.length, 1, `one line on stderr:\n${stderr}`);
  return lines[0]!;
}

before(async () => {
  emulator = await startEmulator({ port: 0, engine: 'synthetic', quiet: true });
  work = mkdtempSync(join(tmpdir(), 'inworld-outputs-'));
  writeFileSync(join(work, 'afile'), 'a file, not a directory\n');
  mkdirSync(join(work, 'adir.srt'));
  mkdirSync(join(work, 'adir'));
  writeFileSync(join(work, 'lines.txt'), 'First line.\nSecond line.\n');
  writeWav(join(work, 'speech.wav'), tone(800));
  for (const name of ['full.srt', 'full.vtt', 'full.pcm', 'full.txt', 'full.json']) symlinkSync('/dev/full', join(work, name));
});
after(async () => {
  await emulator.close();
  rmSync(work, { recursive: true, force: true });
});
beforeEach(() => {
  emulator.faults.clear();
  emulator.requests.clear();
  emulator.faults.add(scriptRule(['Hello there.']));
});

describe('every output is checked before the first request: exit 2, one line, nothing sent', () => {
  const cases: Array<[string, string[], RegExp, string?]> = [
    ['say --subtitles in a missing directory', ['say', 'hi', '-o', 'ok.wav', '--subtitles', 'nodir/x.srt'], /^inworld: Cannot write nodir\/x\.srt: no such directory nodir$/],
    ['say --subtitles under a file', ['say', 'hi', '-o', 'ok.wav', '--subtitles', 'afile/x.srt'], /^inworld: Cannot write afile\/x\.srt: afile is not a directory$/],
    ['say --subtitles naming a directory', ['say', 'hi', '-o', 'ok.wav', '--subtitles', 'adir.srt'], /^inworld: Cannot write adir\.srt: it is a directory$/],
    ['say -o two directories deep that are missing', ['say', 'hi', '-o', 'no/such/ok.wav'], /^inworld: Cannot write no\/such\/ok\.wav: no such directory no$/],
    ['say -o under a file', ['say', 'hi', '-o', 'afile/ok.wav'], /^inworld: Cannot write afile\/ok\.wav: afile is not a directory$/],
    ['stream --subtitles in a missing directory', ['stream', '-o', 'ok.wav', '--subtitles', 'nodir/x.vtt'], /^inworld: Cannot write nodir\/x\.vtt: no such directory nodir$/, 'Hello there.\n'],
    ['stream -f naming a directory', ['stream', '-f', 'adir', '-o', 'ok.wav'], /^inworld: Cannot read adir: it is a directory$/],
    ['say -f naming a directory', ['say', '-f', 'adir', '-o', 'ok.wav'], /^inworld: Cannot read adir: it is a directory$/],
    ['transcribe -o in a missing directory', ['transcribe', 'speech.wav', '-o', 'nodir/x.srt'], /^inworld: Cannot write nodir\/x\.srt: no such directory nodir$/],
    ['transcribe -o under a file', ['transcribe', 'speech.wav', '-o', 'afile/x.json'], /^inworld: Cannot write afile\/x\.json: afile is not a directory$/],
    ['transcribe of a directory', ['transcribe', 'adir'], /^inworld: Cannot read adir: it is a directory$/],
    ['say --batch --out-dir with a file in the way', ['say', '--batch', 'lines.txt', '--out-dir', 'afile'], /^inworld: Cannot create output directory afile: a file of that name is in the way$/],
    ['say --batch --out-dir under a file', ['say', '--batch', 'lines.txt', '--out-dir', 'afile/clips'], /^inworld: Cannot create output directory afile\/clips: afile is not a directory$/],
    ['say --batch of a directory', ['say', '--batch', 'adir', '--out-dir', 'clips'], /^inworld: Cannot read batch file adir: it is a directory$/],
  ];
  for (const [name, args, message, input] of cases) {
    test(name, async () => {
      const result = await run(args, input);
      assert.equal(result.code, 2, result.stderr);
      assert.match(oneLine(result.stderr), message);
      assert.deepEqual(emulator.requests.list(), [], 'no request sent');
      assert.equal(existsSync(join(work, 'ok.wav')), false, 'no audio file');
      assert.deepEqual(partFiles(), [], 'no temporary file left');
    });
  }
});

describe('a failure mid-way names the file asked for and leaves every output valid or absent (exit 1)', () => {
  test('say: the subtitles hit a full disk, so the audio is not left as a success either', async () => {
    const result = await run(['say', 'Hello there, this is a test.', '-o', 'ok.wav', '--subtitles', 'full.srt']);
    assert.equal(result.code, 1, result.stderr);
    assert.equal(oneLine(result.stderr), 'inworld: Cannot write full.srt: no space left on the device');
    assert.equal(emulator.requests.find('/tts/v1/voice:stream').length, 1, 'the request was made');
    assert.equal(existsSync(join(work, 'ok.wav')), false, 'no audio file');
    assert.deepEqual(partFiles(), []);
  });

  test('say: the audio hits a full disk, so no subtitles are left', async () => {
    const result = await run(['say', 'Hello there, this is a test.', '-o', 'full.pcm', '--subtitles', 'ok.srt']);
    assert.equal(result.code, 1, result.stderr);
    assert.equal(oneLine(result.stderr), 'inworld: Cannot write full.pcm: no space left on the device');
    assert.equal(existsSync(join(work, 'ok.srt')), false, 'no subtitles file');
    assert.deepEqual(partFiles(), []);
  });

  test('stream: the subtitles hit a full disk, so the audio is not left as a success either', async () => {
    const result = await run(['stream', '-o', 'ok.wav', '--subtitles', 'full.vtt'], 'One sentence here. And another one.\n');
    assert.equal(result.code, 1, result.stderr);
    assert.equal(oneLine(result.stderr), 'inworld: Cannot write full.vtt: no space left on the device');
    assert.ok(emulator.requests.find(TTS_WS_PATH).length > 0, 'the request was made');
    assert.equal(existsSync(join(work, 'ok.wav')), false, 'no audio file');
    assert.deepEqual(partFiles(), []);
  });

  for (const name of ['full.txt', 'full.json']) {
    test(`transcribe -o ${name} on a full disk`, async () => {
      const result = await run(['transcribe', 'speech.wav', '-o', name, '-q']);
      assert.equal(result.code, 1, result.stderr);
      assert.equal(oneLine(result.stderr), `inworld: Cannot write ${name}: no space left on the device`);
      assert.deepEqual(partFiles(), []);
    });
  }

  test("say: the subtitles' directory is removed mid-run, and the audio goes with it", async () => {
    mkdirSync(join(work, 'subs'));
    emulator.faults.add({ path: '/tts/v1/voice:stream', action: { type: 'stall', at: 'mid-stream', afterChunks: 2, ms: 1500 } });
    const done = run(['say', 'A sentence long enough to take several chunks of audio to say.', '-o', 'ok.wav', '--subtitles', 'subs/x.srt']);
    const deadline = Date.now() + 10_000;
    while (emulator.requests.list().length === 0 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20));
    assert.equal(partFiles(join(work, 'subs')).length, 1, 'the subtitles file is reserved before the request');
    rmSync(join(work, 'subs'), { recursive: true });
    const result = await done;
    assert.equal(result.code, 1, result.stderr);
    assert.equal(oneLine(result.stderr), 'inworld: Cannot write subs/x.srt: no such directory subs');
    assert.equal(existsSync(join(work, 'ok.wav')), false, 'no audio file');
    assert.deepEqual(partFiles(), []);
  });
});

describe('say --batch: "Run the same command again" only where a retry can help', () => {
  test('a line the server refuses (unknown voice, 404): no retry advice', async () => {
    writeFileSync(join(work, 'refused.txt'), '{"text":"Unknown voice.","voice":"NoSuchVoice"}\n');
    const result = await run(['say', '--batch', 'refused.txt', '--out-dir', 'refused', '-q']);
    assert.equal(result.code, 1, result.stderr);
    assert.match(result.stderr, /1 of 1 lines failed/);
    assert.doesNotMatch(result.stderr, /Run the same command again/);
  });

  test('a line that fails on an unavailable server (503 after every retry): the advice is given', async () => {
    emulator.faults.add({ protocol: 'ws', path: TTS_WS_PATH, times: 100, action: { type: 'status', status: 503, code: 14, message: 'busy' } });
    writeFileSync(join(work, 'busy.txt'), 'Busy line.\n');
    const result = await run(['say', '--batch', 'busy.txt', '--out-dir', 'busy', '-q', '--retries', '0']);
    assert.equal(result.code, 1, result.stderr);
    assert.match(result.stderr, /1 of 1 lines failed\. Run the same command again to retry only those lines/);
  });
});
