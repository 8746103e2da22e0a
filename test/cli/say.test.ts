// `inworld say` end to end: the built CLI in a child process against the emulator on loopback.
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, beforeEach, describe, test } from 'node:test';
import { startEmulator, type RunningEmulator } from '../../src/emulator/index.js';
import { cleanEnv, runCli } from '../helpers/cli.js';
import { needs, needsSpeakerModule } from '../helpers/needs.js';

const KEY = 'c2F5LXRlc3Qta2V5OnNlY3JldA==';
let emulator: RunningEmulator;
let dir: string;

function env(extra: Record<string, string | undefined> = {}) {
  return cleanEnv({ INWORLD_API_KEY: KEY, INWORLD_BASE_URL: emulator.url, INWORLD_WS_URL: emulator.wsUrl, ...extra });
}

function ttsRequests() {
  return emulator.requests.find('/tts/v1/voice:stream');
}

/** Reads a WAV file we wrote: the canonical 44-byte header and the sizes in it. */
function readWav(path: string) {
  const bytes = readFileSync(path);
  assert.equal(bytes.toString('ascii', 0, 4), 'RIFF');
  assert.equal(bytes.toString('ascii', 8, 12), 'WAVE');
  assert.equal(bytes.toString('ascii', 36, 40), 'data');
  return {
    riffSize: bytes.readUInt32LE(4),
    sampleRateHertz: bytes.readUInt32LE(24),
    dataSize: bytes.readUInt32LE(40),
    fileSize: bytes.length,
  };
}

before(async () => {
  emulator = await startEmulator({ port: 0, engine: 'synthetic' });
  dir = mkdtempSync(join(tmpdir(), 'inworld-say-'));
});
after(async () => {
  await emulator.close();
});
beforeEach(() => {
  emulator.faults.clear();
  emulator.requests.clear();
});

describe('say writes audio', () => {
  test('a WAV file with true RIFF and data sizes', async () => {
    const out = join(dir, 'hello.wav');
    const result = await runCli(['say', 'Hello from Inworld.', 'This is a test.', '-o', out], { env: env() });
    assert.equal(result.code, 0, result.stderr);
    const wav = readWav(out);
    assert.equal(wav.sampleRateHertz, 24000);
    assert.ok(wav.dataSize > 24000 * 2 * 0.5, `expected at least half a second of audio, got ${wav.dataSize} bytes`);
    assert.equal(wav.dataSize, wav.fileSize - 44);
    assert.equal(wav.riffSize, wav.fileSize - 8);
    const [request] = ttsRequests();
    assert.ok(request, 'one request was sent');
    const body = request.body as Record<string, any>;
    assert.equal(body.text, 'Hello from Inworld. This is a test.');
    assert.equal(body.voiceId, 'Ashley');
    assert.equal(body.modelId, 'inworld-tts-2');
    assert.equal(body.audioConfig.sampleRateHertz, 24000);
    assert.equal(request.headers.authorization, `Basic ${KEY}`);
    assert.match(String(request.headers['x-user-agent']), /^inworld-cli\/\d+\.\d+\.\d+/);
    assert.match(String(request.headers['x-request-id']), /^[0-9a-f-]{36}$/);
    assert.deepEqual(readdirSync(dir).filter((name) => name.includes('.part')), [], 'no temporary file left');
  });

  test('format follows the extension: MP3 bytes as the server sent them', async () => {
    const out = join(dir, 'hello.mp3');
    const result = await runCli(['say', 'Hello in MP3.', '-o', out], { env: env() });
    assert.equal(result.code, 0, result.stderr);
    const bytes = readFileSync(out);
    const mp3 = bytes.subarray(0, 3).toString('latin1') === 'ID3' || (bytes[0] === 0xff && (bytes[1]! & 0xe0) === 0xe0);
    assert.ok(mp3, 'starts with an ID3 tag or an MPEG frame sync');
    assert.equal((ttsRequests()[0]!.body as any).audioConfig.audioEncoding, 'MP3');
  });

  test('μ-law defaults to 8 kHz', async () => {
    const out = join(dir, 'phone.ulaw');
    const result = await runCli(['say', 'Telephone.', '-o', out], { env: env() });
    assert.equal(result.code, 0, result.stderr);
    const config = (ttsRequests()[0]!.body as any).audioConfig;
    assert.deepEqual([config.audioEncoding, config.sampleRateHertz], ['MULAW', 8000]);
    assert.ok(readFileSync(out).length > 1000);
  });

  test('stdout gets WAV with a streaming header when it is a pipe', async () => {
    const result = await runCli(['say', 'Piped audio.'], { env: env() });
    assert.equal(result.code, 0, result.stderr);
    assert.equal(result.stdout.toString('ascii', 0, 4), 'RIFF');
    assert.ok(result.stdout.length > 44 + 1000);
  });

  test('text from standard input', async () => {
    const out = join(dir, 'stdin.wav');
    const result = await runCli(['say', '-o', out], { env: env(), input: 'Read from a pipe.' });
    assert.equal(result.code, 0, result.stderr);
    assert.equal((ttsRequests()[0]!.body as any).text, 'Read from a pipe.');
  });

  test('long text is split at sentence ends and joined into one WAV', async () => {
    const sentence = 'Dr. Smith met the team at 3.30 p.m. and e.g. discussed the plan in detail. ';
    const text = sentence.repeat(60); // about 4,500 characters: three requests
    const out = join(dir, 'long.wav');
    const result = await runCli(['say', '-o', out], { env: env(), input: text, timeoutMs: 60_000 });
    assert.equal(result.code, 0, result.stderr);
    const parts = ttsRequests().map((request) => (request.body as any).text as string);
    assert.ok(parts.length >= 3, `expected several requests, got ${parts.length}`);
    for (const part of parts) {
      assert.ok(part.length <= 2000, 'each request within the limit');
      assert.ok(part.endsWith('detail.'), `a part ends at a sentence end: …${part.slice(-30)}`);
    }
    assert.equal(parts.join(' '), text.trim());
    const wav = readWav(out);
    assert.equal(wav.dataSize, wav.fileSize - 44);
  });

  test('--subtitles writes SRT cues from word timestamps', async () => {
    const out = join(dir, 'sub.wav');
    const srt = join(dir, 'sub.srt');
    const result = await runCli(['say', 'One two three. Four five six.', '-o', out, '--subtitles', srt], { env: env() });
    assert.equal(result.code, 0, result.stderr);
    assert.equal((ttsRequests()[0]!.body as any).timestampType, 'WORD');
    const captions = readFileSync(srt, 'utf8');
    assert.match(captions, /^1\r?\n\d\d:\d\d:\d\d,\d\d\d --> \d\d:\d\d:\d\d,\d\d\d\r?\n/);
    assert.match(captions, /three\./);
  });
});

test('--captions prints the spoken words on stderr, sentence per line', async () => {
  const result = await runCli(['say', 'Hello there. This is a captions test.', '-o', join(dir, 'captions.wav'), '--captions', '--quiet'], {
    env: env(),
  });
  assert.equal(result.code, 0, result.stderr);
  assert.equal(result.stderr, 'Hello there.\nThis is a captions test.\n');
  assert.equal((ttsRequests()[0]!.body as any).timestampType, 'WORD');
});

describe('say rejects bad input before any request (exit 2)', () => {
  const cases: Array<[string, string[], RegExp, string?]> = [
    ['empty text', ['say', '   '], /Nothing to speak/],
    ['unknown extension', ['say', 'hi', '-o', 'x.m4a'], /extension/i],
    ['speaking rate out of range', ['say', 'hi', '--speaking-rate', '2'], /--speaking-rate/],
    ['temperature zero', ['say', 'hi', '--temperature', '0'], /--temperature/],
    ['unknown encoding', ['say', 'hi', '--encoding', 'AAC'], /--encoding|AAC/],
    ['bad sample rate', ['say', 'hi', '--sample-rate', '100'], /--sample-rate/],
    ['unknown flag', ['say', 'hi', '--bogus'], /unknown option/],
    ['missing file', ['say', '-f', '/nonexistent/text.txt'], /Cannot read/],
    ['subtitles with a wrong extension', ['say', 'hi', '--subtitles', 'x.txt'], /\.srt or \.vtt/],
    ['μ-law at 24 kHz', ['say', 'hi', '-o', 'x.ulaw', '--sample-rate', '24000'], /8000/],
  ];
  for (const [name, args, message] of cases) {
    test(name, async () => {
      const result = await runCli(args, { env: env() });
      assert.equal(result.code, 2, result.stderr);
      assert.match(result.stderr, message);
      assert.equal(result.stderr.trim().split('\n').length, 1, `one line: ${result.stderr}`);
      assert.equal(emulator.requests.list().length, 0, 'no request sent');
    });
  }

  test('missing key says how to set it and mentions --emulator', async () => {
    const result = await runCli(['say', 'hi', '-o', join(dir, 'nokey.wav')], { env: env({ INWORLD_API_KEY: undefined }) });
    assert.equal(result.code, 2);
    assert.match(result.stderr, /INWORLD_API_KEY/);
    assert.match(result.stderr, /--emulator/);
    assert.equal(emulator.requests.list().length, 0);
  });

  test('binary input is refused', async () => {
    const result = await runCli(['say', '-o', join(dir, 'bin.wav')], { env: env(), input: Buffer.from([0x48, 0x00, 0x01, 0xff]) });
    assert.equal(result.code, 2);
    assert.match(result.stderr, /binary|UTF-8/);
  });
});

describe('say reports API failures (exit 1) and leaves no partial file', () => {
  test('401: status, message, request id, never the key', async () => {
    emulator.faults.add({ path: '/tts/v1/voice:stream', action: { type: 'status', status: 401, code: 16, message: 'invalid credentials' } });
    const out = join(dir, 'denied.wav');
    const result = await runCli(['say', 'hi', '-o', out], { env: env() });
    assert.equal(result.code, 1);
    assert.match(result.stderr, /401/);
    assert.match(result.stderr, /invalid credentials/);
    assert.match(result.stderr, /request [0-9a-f-]{36}/);
    assert.ok(!result.stderr.includes(KEY), 'the key is not printed');
    assert.equal(ttsRequests().length, 1, '401 is not retried');
    assert.equal(existsSync(out), false);
  });

  test('unknown voice: 404 from the server, pointing at `inworld voices`', async () => {
    const result = await runCli(['say', 'hi', '-o', join(dir, 'voice.wav'), '--voice', 'NoSuchVoice'], { env: env() });
    assert.equal(result.code, 1);
    assert.match(result.stderr, /404|NOT_FOUND/);
    assert.match(result.stderr, /inworld voices/);
  });

  test('a misspelt voice gets "did you mean"', async () => {
    const result = await runCli(['say', 'hi', '-o', join(dir, 'voice.wav'), '--voice', 'ashly'], { env: env() });
    assert.equal(result.code, 1);
    assert.match(result.stderr, /Did you mean "Ashley"/);
    assert.equal(result.stderr.trim().split('\n').length, 1);
  });

  test('503 twice then success is retried', async () => {
    emulator.faults.add({ path: '/tts/v1/voice:stream', times: 2, action: { type: 'status', status: 503, code: 14, message: 'busy' } });
    const out = join(dir, 'retried.wav');
    const result = await runCli(['say', 'Retry me.', '-o', out], { env: env() });
    assert.equal(result.code, 0, result.stderr);
    assert.equal(ttsRequests().length, 3);
    readWav(out);
  });

  test('an error line mid-stream fails the command and removes the file', async () => {
    emulator.faults.add({ path: '/tts/v1/voice:stream', action: { type: 'stream-error', afterChunks: 1, code: 13, message: 'synthesis broke' } });
    const out = join(dir, 'broken.wav');
    const result = await runCli(['say', 'A sentence long enough to take several chunks of audio to say.', '-o', out], { env: env() });
    assert.equal(result.code, 1);
    assert.match(result.stderr, /synthesis broke/);
    assert.equal(existsSync(out), false);
    assert.deepEqual(readdirSync(dir).filter((name) => name.includes('.part')), []);
  });

  test('connection refused', async () => {
    const result = await runCli(['say', 'hi', '-o', join(dir, 'refused.wav'), '--retries', '0'], {
      env: env({ INWORLD_BASE_URL: 'http://127.0.0.1:9/' }),
    });
    assert.equal(result.code, 1);
    assert.match(result.stderr, /connect|refused/i);
  });
});

describe('say on Ctrl-C', () => {
  test('leaves a valid WAV of what arrived and exits 130', async () => {
    emulator.faults.add({ path: '/tts/v1/voice:stream', action: { type: 'stall', at: 'mid-stream', afterChunks: 2 } });
    const out = join(dir, 'interrupted.wav');
    const { spawn } = await import('node:child_process');
    const { BIN } = await import('../helpers/cli.js');
    const child = spawn(process.execPath, [BIN, 'say', 'A long sentence that keeps going for quite a while.', '-o', out], {
      env: env(),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    // Wait until the stalled request has delivered its first chunks (the temp file grows), then interrupt.
    const partial = () => readdirSync(dir).find((name) => name.includes('interrupted.wav') && name.endsWith('.part'));
    const deadline = Date.now() + 10_000;
    while (!(partial() && readFileSync(join(dir, partial()!)).length > 44) && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    child.kill('SIGINT');
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    assert.equal(code, 130);
    const wav = readWav(out);
    assert.ok(wav.dataSize > 0);
    assert.equal(wav.dataSize, wav.fileSize - 44);
  });
});

describe('voices', () => {
  test('a table, filtered by language', async () => {
    const result = await runCli(['voices', '--lang', 'en'], { env: env() });
    assert.equal(result.code, 0, result.stderr);
    const text = result.stdout.toString();
    assert.match(text.split('\n')[0]!, /^ID\s+NAME\s+LANGUAGES/);
    assert.match(text, /\nAshley\s/);
    const [request] = emulator.requests.find('/voices/v1/voices');
    assert.match(String(request!.query.filter), /lang_code\s*=\s*"en"/);
  });

  test('--json prints an array of voices', async () => {
    const result = await runCli(['voices', '--json'], { env: env() });
    assert.equal(result.code, 0, result.stderr);
    const voices = JSON.parse(result.stdout.toString()) as Array<{ id: string }>;
    assert.ok(voices.length > 5);
    assert.ok(voices.some((voice) => voice.id === 'Dennis'));
  });

  test('--preview speaks a sample in that voice', async () => {
    const out = join(dir, 'preview.wav');
    const result = await runCli(['voices', '--preview', 'Dennis', '-o', out], { env: env() });
    assert.equal(result.code, 0, result.stderr);
    assert.equal((ttsRequests()[0]!.body as any).voiceId, 'Dennis');
    readWav(out);
  });

  test('--emulator needs no key', async () => {
    const result = await runCli(['voices', '--json', '--emulator'], { env: cleanEnv() });
    assert.equal(result.code, 0, result.stderr);
    assert.ok(JSON.parse(result.stdout.toString()).length > 5);
  });
});

test('say --emulator writes a file with no key and no network', async () => {
  const out = join(dir, 'offline.wav');
  writeFileSync(join(dir, 'marker'), '');
  const result = await runCli(['say', 'Hello from Inworld', '-o', out, '--emulator'], { env: cleanEnv() });
  assert.equal(result.code, 0, result.stderr);
  readWav(out);
});

describe('say on the speakers (fake ALSA device)', () => {
  // The default player order: the speaker module, else aplay.
  test('--play sends the same PCM to the device as to the file', { skip: needsSpeakerModule() && needs('aplay') }, async () => {
    const { fakeAlsa } = await import('../helpers/alsa.js');
    const alsa = fakeAlsa('file');
    try {
      const out = join(dir, 'played.wav');
      const result = await runCli(['say', 'Play this through the device.', '-o', out, '--play'], {
        env: env({ XDG_CONFIG_HOME: alsa.dir, ALSA_OUT: alsa.outPath }),
      });
      assert.equal(result.code, 0, result.stderr);
      const data = readFileSync(out).subarray(44);
      const played = readFileSync(alsa.outPath);
      assert.ok(data.length > 10_000);
      // aplay pads its last period with silence, so the device may hold a little more.
      assert.ok(played.length >= data.length, `played ${played.length} of ${data.length} bytes`);
      assert.ok(played.subarray(0, data.length).equals(data), 'the device received exactly the synthesized PCM');
    } finally {
      alsa.cleanup();
    }
  });

  test('no audio device: one clear line, exit 1, no request, no file', async () => {
    const { fakeAlsa } = await import('../helpers/alsa.js');
    const alsa = fakeAlsa('missing');
    try {
      const out = join(dir, 'nodevice.wav');
      const result = await runCli(['say', 'Nowhere to play.', '-o', out, '--play', '--player', 'aplay'], {
        env: env({ XDG_CONFIG_HOME: alsa.dir }),
      });
      assert.equal(result.code, 1);
      assert.match(result.stderr, /aplay|audio/i);
      assert.equal(result.stderr.trim().split('\n').length, 1, result.stderr);
      assert.equal(ttsRequests().length, 0);
      assert.equal(existsSync(out), false);
    } finally {
      alsa.cleanup();
    }
  });
});

describe('say --batch', () => {
  test('one file per line, JSON lines with their own voice, and a resumable re-run', async () => {
    const work = mkdtempSync(join(tmpdir(), 'inworld-batch-'));
    const list = join(work, 'lines.txt');
    writeFileSync(list, ['First line.', 'Second line.', '{"text":"Third, by Dennis.","voice":"Dennis","name":"dennis"}', '', 'Fourth line.'].join('\n'));
    const outDir = join(work, 'out');
    const first = await runCli(['say', '--batch', list, '--out-dir', outDir, '--concurrency', '3'], { env: env() });
    assert.equal(first.code, 0, first.stderr);
    const files = readdirSync(outDir).sort();
    assert.equal(files.length, 4, files.join(', '));
    assert.ok(files.every((name) => name.endsWith('.wav')));
    assert.ok(files.some((name) => name.includes('dennis')));
    for (const name of files) readWav(join(outDir, name));
    const second = await runCli(['say', '--batch', list, '--out-dir', outDir], { env: env() });
    assert.equal(second.code, 0, second.stderr);
    assert.match(second.stderr, /0 written, 4 already done/);
  });

  test('--batch with text arguments is a usage error', async () => {
    const result = await runCli(['say', 'hello', '--batch', 'x.txt'], { env: env() });
    assert.equal(result.code, 2);
    assert.equal(emulator.requests.list().length, 0);
  });
});
