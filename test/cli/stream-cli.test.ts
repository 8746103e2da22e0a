// `inworld stream` end to end: the built CLI (bin/inworld.js, run `npm run build` first) against an
// in-test emulator, text piped on stdin.
import assert from 'node:assert/strict';
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, beforeEach, describe, it } from 'node:test';
import type { RunningEmulator } from '../../src/emulator/index.js';
import { TEST_API_KEY, startTtsEmulator } from '../emulator/tts-ws-helpers.js';

const BIN = join(import.meta.dirname, '..', '..', 'bin', 'inworld.js');
const TEXT = 'The first sentence is here. A second one follows it! Does the third ask a question? The fourth ends it.\n';

let emulator: RunningEmulator;
let dir: string;
before(async () => {
  emulator = await startTtsEmulator();
  dir = mkdtempSync(join(tmpdir(), 'inworld-stream-'));
});
after(async () => {
  await emulator.close();
  rmSync(dir, { recursive: true, force: true });
});
beforeEach(() => {
  emulator.faults.clear();
});

interface Run {
  code: number | null;
  stdout: Buffer;
  stderr: string;
}

function start(args: string[]): ChildProcessWithoutNullStreams {
  const env: NodeJS.ProcessEnv = { PATH: process.env.PATH, HOME: dir, XDG_CONFIG_HOME: dir, NO_COLOR: '1', INWORLD_API_KEY: TEST_API_KEY };
  return spawn(process.execPath, [BIN, 'stream', '--base-url', emulator.url, ...args], { env });
}

function finish(child: ChildProcessWithoutNullStreams): Promise<Run> {
  const out: Buffer[] = [];
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => out.push(chunk));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  return new Promise((resolve) => child.on('close', (code) => resolve({ code, stdout: Buffer.concat(out), stderr })));
}

function run(args: string[], input: string | Buffer): Promise<Run> {
  const child = start(args);
  const done = finish(child);
  child.stdin.end(input);
  return done;
}

function file(name: string): string {
  return join(dir, name);
}

function checkWav(bytes: Buffer): Buffer {
  assert.equal(bytes.toString('latin1', 0, 4), 'RIFF');
  assert.equal(bytes.toString('latin1', 8, 12), 'WAVE');
  assert.equal(bytes.readUInt32LE(4), bytes.length - 8, 'RIFF size');
  assert.equal(bytes.readUInt32LE(40), bytes.length - 44, 'data size');
  return bytes.subarray(44);
}

describe('inworld stream', () => {
  it('writes a WAV file from piped stdin, one sentence at a time', async () => {
    const result = await run(['-o', file('a.wav'), '--sample-rate', '16000'], TEXT);
    assert.equal(result.code, 0, result.stderr);
    const pcm = checkWav(readFileSync(file('a.wav')));
    assert.ok(pcm.length > 16000, 'some seconds of audio');
    assert.match(result.stderr, /Wrote .*a\.wav \(4 sentences/);
    const sends = (emulator.requests.list().at(-1)!.messages as any[]).filter((m) => m.send_text);
    assert.deepEqual(
      sends.map((m) => m.send_text.text.trim()),
      ['The first sentence is here.', 'A second one follows it!', 'Does the third ask a question?', 'The fourth ends it.'],
    );
    assert.ok(sends.every((m) => m.send_text.flush_context !== undefined));
  });

  it('writes raw PCM, MP3, OGG and G.711 files by extension', async () => {
    for (const [name, check] of [
      ['a.pcm', (b: Buffer) => assert.ok(b.length > 1000 && b.length % 2 === 0)],
      ['a.mp3', (b: Buffer) => assert.ok(b[0] === 0xff || b.toString('latin1', 0, 3) === 'ID3')],
      ['a.ogg', (b: Buffer) => assert.equal(b.toString('latin1', 0, 4), 'OggS')],
      ['a.ulaw', (b: Buffer) => assert.ok(b.length > 1000)],
    ] as const) {
      const result = await run(['-o', file(name)], TEXT);
      assert.equal(result.code, 0, result.stderr);
      check(readFileSync(file(name)));
    }
  });

  it('writes WAV with a streaming header to stdout', async () => {
    const result = await run(['-o', '-'], 'Standard output. Two sentences.');
    assert.equal(result.code, 0, result.stderr);
    assert.equal(result.stdout.toString('latin1', 0, 4), 'RIFF');
    assert.ok(result.stdout.length > 1000);
  });

  it('speaks the first sentence before stdin ends', { timeout: 20_000 }, async () => {
    const child = start(['-o', '-', '--encoding', 'PCM']);
    const done = finish(child);
    child.stdin.write('This first sentence must be heard early.\n');
    // Wait for audio of sentence one while stdin is still open: a tool that waited for the end
    // of input would never produce it, and this test would time out.
    await new Promise<void>((resolve) => child.stdout.once('data', () => resolve()));
    child.stdin.end('And this one comes later.\n');
    const result = await done;
    assert.equal(result.code, 0, result.stderr);
  });

  it('Ctrl-C exits 130 and leaves a valid WAV of what arrived', { timeout: 20_000 }, async () => {
    const child = start(['-o', file('int.wav'), '--sample-rate', '16000', '--json']);
    const done = finish(child);
    child.stdin.write('A first sentence that will be written before the interruption.\n');
    // Wait until its audio is complete, then interrupt while stdin is still open.
    await new Promise<void>((resolve) => {
      let seen = '';
      child.stderr.on('data', (chunk: Buffer) => {
        seen += chunk.toString();
        if (seen.includes('"sentence_done"')) resolve();
      });
    });
    child.kill('SIGINT');
    const result = await done;
    assert.equal(result.code, 130, result.stderr);
    const pcm = checkWav(readFileSync(file('int.wav')));
    assert.ok(pcm.length > 0);
  });

  it('exits 2 ("nothing to speak", as say does) and writes nothing for empty input', async () => {
    const result = await run(['-o', file('empty.wav')], '  \n\n ');
    assert.equal(result.code, 2, result.stderr);
    assert.match(result.stderr, /Nothing to speak/);
    assert.equal(existsSync(file('empty.wav')), false);
    const out = await run(['-o', '-'], '');
    assert.equal(out.code, 2);
    assert.equal(out.stdout.length, 0);
  });

  it('rejects binary and invalid UTF-8 input with exit 2', async () => {
    const binary = await run(['-o', file('bin.wav')], Buffer.from([0x48, 0x69, 0x00, 0x01, 0x02]));
    assert.equal(binary.code, 2);
    assert.match(binary.stderr, /binary/);
    const invalid = await run(['-o', file('bad.wav')], Buffer.from([0x48, 0x69, 0xc3, 0x28, 0x2e]));
    assert.equal(invalid.code, 2);
    assert.match(invalid.stderr, /UTF-8/);
    assert.equal(existsSync(file('bin.wav')), false);
  });

  it('refuses FLAC and bad buffer flags before connecting', async () => {
    const before = emulator.requests.list().length;
    const flac = await run(['-o', file('x.flac')], TEXT);
    assert.equal(flac.code, 2);
    assert.match(flac.stderr, /FLAC/);
    const chars = await run(['-o', file('x.wav'), '--buffer-chars', '5000'], TEXT);
    assert.equal(chars.code, 2);
    assert.equal(emulator.requests.list().length, before);
  });

  it('passes --buffer-chars and --max-buffer-delay in create', async () => {
    const result = await run(['-o', file('buf.wav'), '--buffer-chars', '300', '--max-buffer-delay', '1500'], 'Buffered.');
    assert.equal(result.code, 0, result.stderr);
    const create = (emulator.requests.list().at(-1)!.messages as any[])[0].create;
    assert.equal(create.bufferCharThreshold, 300);
    assert.equal(create.maxBufferDelayMs, 1500);
  });

  it('fails with exit 1, the server code and message on a status error, keeping a valid file', async () => {
    emulator.faults.add({ protocol: 'ws', times: 1, action: { type: 'custom', name: 'tts-status', params: { afterChunks: 6, code: 13, message: 'synthesis failed' } } });
    const result = await run(['-o', file('err.wav'), '--sample-rate', '16000'], TEXT);
    assert.equal(result.code, 1);
    assert.match(result.stderr, /INTERNAL/);
    assert.match(result.stderr, /synthesis failed/);
    const pcm = checkWav(readFileSync(file('err.wav')));
    assert.ok(pcm.length > 0);
  });

  it('recovers from a dropped connection: the file is rewound, nothing duplicated', async () => {
    const clean = await run(['-o', file('clean.wav'), '--sample-rate', '16000'], TEXT);
    assert.equal(clean.code, 0, clean.stderr);
    emulator.faults.add({ protocol: 'ws', times: 1, action: { type: 'custom', name: 'tts-drop', params: { afterChunks: 12 } } });
    const dropped = await run(['-o', file('dropped.wav'), '--sample-rate', '16000'], TEXT);
    assert.equal(dropped.code, 0, dropped.stderr);
    assert.match(dropped.stderr, /resuming from sentence \d/);
    assert.ok(readFileSync(file('dropped.wav')).equals(readFileSync(file('clean.wav'))), 'identical to the undisturbed run');
  });

  it('recovers on stdout by restarting the sentence, and says so', async () => {
    emulator.faults.add({ protocol: 'ws', times: 1, action: { type: 'custom', name: 'tts-drop', params: { afterChunks: 12 } } });
    const result = await run(['-o', '-', '--encoding', 'PCM'], TEXT);
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stderr, /restarting sentence \d from its beginning/);
  });

  it('writes subtitles with monotonic timings across sentences', async () => {
    const result = await run(['-o', file('sub.wav'), '--subtitles', file('sub.srt')], TEXT);
    assert.equal(result.code, 0, result.stderr);
    const srt = readFileSync(file('sub.srt'), 'utf8');
    const times = [...srt.matchAll(/(\d\d):(\d\d):(\d\d),(\d\d\d) --> (\d\d):(\d\d):(\d\d),(\d\d\d)/g)].map((m) => {
      const at = (h: string, mi: string, s: string, ms: string) => Number(h) * 3600 + Number(mi) * 60 + Number(s) + Number(ms) / 1000;
      return [at(m[1]!, m[2]!, m[3]!, m[4]!), at(m[5]!, m[6]!, m[7]!, m[8]!)] as const;
    });
    assert.ok(times.length >= 2, srt);
    for (let i = 1; i < times.length; i++) assert.ok(times[i]![0] >= times[i - 1]![1] - 1e-3, `cue ${i} starts after cue ${i - 1} ends`);
    assert.match(srt, /fourth/);
    const pcm = checkWav(readFileSync(file('sub.wav')));
    assert.ok(times.at(-1)![1] <= pcm.length / 48000 + 0.01, 'captions end within the audio');
  });

  it('prints JSON progress events on stderr with --json', async () => {
    const result = await run(['-o', file('j.wav'), '--json'], TEXT);
    assert.equal(result.code, 0, result.stderr);
    const lines = result.stderr.trim().split('\n');
    assert.ok(lines.every((line) => line.startsWith('{')), result.stderr);
    const events = lines.map((line) => JSON.parse(line) as { type: string });
    const types = events.map((e) => e.type);
    assert.equal(types.filter((t) => t === 'sentence').length, 4);
    assert.equal(types.filter((t) => t === 'sentence_done').length, 4);
    assert.ok(types.includes('first_audio'));
    assert.equal(types.at(-1), 'done');
  });

  it('reads --file', async () => {
    writeFileSync(file('in.txt'), TEXT);
    const result = await run(['-f', file('in.txt'), '-o', file('f.wav')], '');
    assert.equal(result.code, 0, result.stderr);
    checkWav(readFileSync(file('f.wav')));
    const missing = await run(['-f', file('missing.txt'), '-o', file('g.wav')], '');
    assert.equal(missing.code, 2);
  });
});
