// Flags that contradict each other, or that would be silently ignored together, are refused
// before any request: exit 2, one line naming them and the fix.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, beforeEach, describe, test } from 'node:test';
import { startEmulator, type RunningEmulator } from '../../src/emulator/index.js';
import { cleanEnv, runCli } from '../helpers/cli.js';

let emulator: RunningEmulator;
let dir: string;

function env(extra: Record<string, string | undefined> = {}) {
  return cleanEnv({ INWORLD_API_KEY: 'ZmxhZ3M6Y29uZmxpY3Q=', INWORLD_BASE_URL: emulator.url, INWORLD_WS_URL: emulator.wsUrl, ...extra });
}

/** A short mono 16 kHz WAV of silence. */
function wav(path: string): string {
  const data = Buffer.alloc(16000);
  const header = Buffer.alloc(44);
  header.write('RIFF', 0, 'ascii');
  header.writeUInt32LE(36 + data.length, 4);
  header.write('WAVEfmt ', 8, 'ascii');
  header.writeUInt32LE(16, 16);
  header.writeUInt16LE(1, 20);
  header.writeUInt16LE(1, 22);
  header.writeUInt32LE(16000, 24);
  header.writeUInt32LE(32000, 28);
  header.writeUInt16LE(2, 32);
  header.writeUInt16LE(16, 34);
  header.write('data', 36, 'ascii');
  header.writeUInt32LE(data.length, 40);
  writeFileSync(path, Buffer.concat([header, data]));
  return path;
}

before(async () => {
  emulator = await startEmulator({ port: 0, host: '127.0.0.1', quiet: true, engine: 'synthetic' });
  dir = mkdtempSync(join(tmpdir(), 'inworld-flags-'));
  wav(join(dir, 'speech.wav'));
  writeFileSync(join(dir, 'lines.txt'), 'One line.\n');
});
after(async () => {
  await emulator.close();
  rmSync(dir, { recursive: true, force: true });
});
beforeEach(() => emulator.requests.clear());

type Case = [name: string, args: string[], message: RegExp, extraEnv?: Record<string, string>];

const cases: Case[] = [
  // The four.
  ['--encoding MP3 with -o x.wav', ['say', 'hi', '--encoding', 'MP3', '-o', '@/x.wav'], /--encoding MP3 does not match the extension of .*x\.wav \(WAV\)\. Drop --encoding, or name the file with \.mp3$/],
  ['stream: --encoding WAV with -o x.mp3', ['stream', '--encoding', 'WAV', '-o', '@/x.mp3'], /--encoding WAV does not match the extension of .*x\.mp3 \(MP3\)/],
  ['--emulator with --base-url', ['say', 'hi', '-o', '@/x.wav', '--emulator', '--base-url', 'http://127.0.0.1:9/'], /--base-url is not used with --emulator: .*Drop --base-url, or drop --emulator/],
  ['--emulator with --ws-url', ['stream', '-o', '@/x.wav', '--emulator', '--ws-url', 'ws://127.0.0.1:9/'], /--ws-url is not used with --emulator/],
  ['INWORLD_EMULATOR=1 with --base-url', ['voices', '--base-url', 'http://127.0.0.1:9/'], /--base-url is not used with INWORLD_EMULATOR=1: .*Unset INWORLD_EMULATOR, or drop --base-url/, { INWORLD_EMULATOR: '1' }],
  ['--quiet with --verbose (one line even with --verbose)', ['say', 'hi', '-o', '@/x.wav', '-q', '--verbose'], /--quiet and --verbose contradict each other\. Drop one of them$/],
  ['transcribe --no-voice-profile with --voice-profile-top-n', ['transcribe', '@/speech.wav', '--no-voice-profile', '--voice-profile-top-n', '3'], /--voice-profile-top-n is not used with --no-voice-profile/],
  // Pairs found silently ignored.
  ['--emulator with --insecure', ['say', 'hi', '-o', '@/x.wav', '--emulator', '--insecure'], /--insecure is not used with --emulator/],
  ['say --out-dir without --batch', ['say', 'hi', '-o', '@/x.wav', '--out-dir', '@/clips'], /--out-dir is where --batch writes its files\. Add --batch, or drop --out-dir$/],
  ['say --concurrency without --batch', ['say', 'hi', '-o', '@/x.wav', '--concurrency', '4'], /--concurrency .* Add --batch, or drop --concurrency$/],
  ['say --batch with --captions', ['say', '--batch', '@/lines.txt', '--out-dir', '@/clips', '--captions'], /--captions is not used with --batch/],
  ['say --batch with --timings', ['say', '--batch', '@/lines.txt', '--out-dir', '@/clips', '--timings'], /--timings is not used with --batch/],
  ['say --batch with --timestamps', ['say', '--batch', '@/lines.txt', '--out-dir', '@/clips', '--timestamps', 'word'], /--timestamps is not used with --batch/],
  ['--player with nothing playing', ['say', 'hi', '-o', '@/x.wav', '--player', 'aplay'], /--player chooses the program that plays the audio, and nothing plays here\. Add --play, or drop --player$/],
  ['--timestamp-transport without timestamps', ['say', 'hi', '-o', '@/x.wav', '--timestamp-transport', 'async'], /--timestamp-transport does nothing without timestamps/],
  ['stream --json with --captions', ['stream', '-o', '@/x.wav', '--json', '--captions'], /--captions would mix caption text into the JSON lines/],
  ['transcribe --realtime with --mic', ['transcribe', '--mic', '--realtime'], /--realtime is not needed with --mic/],
  ['transcribe --realtime with --batch', ['transcribe', '@/speech.wav', '--batch', '--realtime'], /--realtime is not used with --batch/],
  ['transcribe --max-chunk-rate with --batch', ['transcribe', '@/speech.wav', '--batch', '--max-chunk-rate', '10'], /--max-chunk-rate is not used with --batch/],
  ['transcribe --sample-rate with --mic', ['transcribe', '--mic', '--sample-rate', '16000'], /--sample-rate describes raw audio on standard input/],
  ['transcribe end-of-turn settings with --vad-threshold 0', ['transcribe', '@/speech.wav', '--vad-threshold', '0', '--min-end-of-turn-silence', '300'], /--min-end-of-turn-silence does nothing with --vad-threshold 0/],
  ['voices -o without --preview', ['voices', '-o', '@/x.wav'], /--output is where --preview writes its sample/],
  ['voices --preview with --json', ['voices', '--preview', 'Dennis', '--json'], /--json is not used with --preview/],
  // transcribe --language is checked as config set language is.
  ['transcribe --language english', ['transcribe', '@/speech.wav', '--language', 'english'], /--language must be a BCP-47 code such as en-US or ja-JP, not "english"/],
];

describe('conflicting or ignored flags: exit 2, one line, nothing sent', () => {
  for (const [name, args, message, extraEnv] of cases) {
    test(name, async () => {
      const result = await runCli(args.map((arg) => arg.replace('@', dir)), { env: env(extraEnv) });
      assert.equal(result.code, 2, result.stderr);
      assert.match(result.stderr.trim(), message);
      assert.equal(result.stderr.trim().split('\n').length, 1, `one line: ${result.stderr}`);
      assert.deepEqual(emulator.requests.list(), [], 'no request sent');
    });
  }
});

describe('what still goes together', () => {
  const fine: Array<[string, string[]]> = [
    ['an extension that agrees with --encoding (LINEAR16 and .wav)', ['say', 'hi', '--encoding', 'LINEAR16', '-o', '@/agree.wav']],
    ['--encoding for a name that does not tell (x.bin)', ['say', 'hi', '--encoding', 'MP3', '-o', '@/x.bin']],
    ['--timestamp-transport with --subtitles', ['say', 'hi', '-o', '@/sub.wav', '--subtitles', '@/sub.srt', '--timestamp-transport', 'async']],
    ['transcribe --language en_us (normalised)', ['transcribe', '@/speech.wav', '--language', 'en_us']],
  ];
  for (const [name, args] of fine) {
    test(name, async () => {
      const result = await runCli(args.map((arg) => arg.replace('@', dir)), { env: env() });
      assert.equal(result.code, 0, result.stderr);
    });
  }
});

test('config set language and transcribe --language refuse "english" with the same words', async () => {
  const home = mkdtempSync(join(tmpdir(), 'inworld-flags-config-'));
  try {
    const config = await runCli(['config', 'set', 'language', 'english'], { env: env({ XDG_CONFIG_HOME: home }) });
    const flag = await runCli(['transcribe', join(dir, 'speech.wav'), '--language', 'english'], { env: env() });
    assert.equal(config.code, 2, config.stderr);
    assert.equal(flag.code, 2, flag.stderr);
    const problem = /must be a BCP-47 code such as en-US or ja-JP, not "english"/;
    assert.match(config.stderr, problem);
    assert.match(flag.stderr, problem);
  } finally {
    rmSync(home, { recursive: true, force: true });
  }
});
