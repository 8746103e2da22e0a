// Every command survives its reader leaving (`inworld … | head -n 1`): with its stdout, and
// separately its stderr, on a pipe whose reader closes early, each command stops quietly with
// exit 0 and no stack trace, and stops its work (no waiting on input nobody will hear).
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { delimiter, dirname } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { RunningEmulator } from '../../src/emulator/index.js';
import { fakeProgram } from '../helpers/alsa.js';
import { BIN } from '../helpers/cli.js';
import { READER_GONE_GRACE_MS } from '../../src/cli/reader-gone.js';
import { checkWavFile, envFor, quietEmulator, tempDir } from '../faults/harness.js';
import { silence, tone } from '../wire/stt-fixtures.js';
import { writeWav } from './transcribe-helpers.js';

type Closed = 'stdout' | 'stderr';

interface EarlyReaderRun {
  code: number | null;
  signal: NodeJS.Signals | null;
  /** What the other (still open) stream carried. */
  other: string;
  ms: number;
  /** How long the command ran on after its reader left. */
  msAfterLeaving?: number;
}

interface EarlyReaderOptions {
  /**
   * 'at-once': the reader is gone before the command writes; a RegExp: it leaves once that has been
   * read; 'when-quiet': once output began and then nothing came for a while (the command is idle).
   */
  leaveAfter?: 'at-once' | 'when-quiet' | RegExp;
  input?: string;
  /** Keep stdin open (a live pipe) instead of ending it after `input`. */
  keepStdinOpen?: boolean;
  env?: Record<string, string>;
}

let emulator: RunningEmulator;
const tmp = tempDir('inworld-reader-gone-');
let env: Record<string, string>;

before(async () => {
  emulator = await quietEmulator();
  env = envFor(emulator, { XDG_CONFIG_HOME: tmp.path('config'), XDG_CACHE_HOME: tmp.path('cache') });
});
after(async () => {
  await emulator.close();
  tmp.cleanup();
});

/** No output for this long means the command has written all it had and waits. */
const QUIET_MS = 700;

function runWithEarlyReader(args: string[], closed: Closed, options: EarlyReaderOptions = {}): Promise<EarlyReaderRun> {
  const started = performance.now();
  const child = spawn(process.execPath, [BIN, ...args], { env: options.env ?? env, stdio: ['pipe', 'pipe', 'pipe'] });
  const leaving = closed === 'stdout' ? child.stdout : child.stderr;
  const kept = closed === 'stdout' ? child.stderr : child.stdout;
  let other = '';
  kept.on('data', (chunk: Buffer) => (other += chunk.toString('utf8')));
  const leaveAfter = options.leaveAfter ?? 'at-once';
  let leftAt: number | undefined;
  const leave = () => {
    leftAt = performance.now();
    leaving.destroy();
  };
  if (leaveAfter === 'at-once') {
    leave();
  } else if (leaveAfter === 'when-quiet') {
    let quiet: NodeJS.Timeout | undefined;
    leaving.on('data', () => {
      clearTimeout(quiet);
      quiet = setTimeout(leave, QUIET_MS);
    });
  } else {
    let seen = '';
    leaving.on('data', (chunk: Buffer) => {
      seen += chunk.toString('utf8');
      if (leaveAfter.test(seen)) leave();
    });
  }
  child.stdin.on('error', () => {});
  if (options.keepStdinOpen) child.stdin.write(options.input ?? '');
  else child.stdin.end(options.input);
  const deadline = setTimeout(() => child.kill('SIGKILL'), 15_000);
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearTimeout(deadline);
      child.stdin.destroy();
      const now = performance.now();
      resolve({ code, signal, other, ms: Math.round(now - started), msAfterLeaving: leftAt === undefined ? undefined : Math.round(now - leftAt) });
    });
  });
}

function assertQuietExit(run: EarlyReaderRun, closed: Closed): void {
  assert.equal(run.signal, null, `killed by ${run.signal} (a hang)`);
  assert.equal(run.code, 0, `exit ${run.code}; the other stream said: ${run.other}`);
  if (closed === 'stdout') {
    assert.doesNotMatch(run.other, /EPIPE|ERR_STREAM|Unhandled|^\s+at |Cannot write/m, 'no stack trace or write error on stderr');
  }
}

const TURNS = Buffer.concat([silence(200), tone(500), silence(500), tone(500), silence(500), tone(500), silence(500)]);
const SENTENCES = 'The first sentence is here. A second one follows it. Then a third. And a fourth to end.\n';

interface Case {
  name: string;
  args: () => string[];
  input?: string;
  /** The reader closes once this has arrived on the closed stream (else: before any write). */
  leaveAfter?: RegExp;
}

const CASES: Case[] = [
  { name: 'transcribe', args: () => ['transcribe', writeWav(tmp.path('turns.wav'), TURNS)], leaveAfter: /\n/ },
  { name: 'transcribe --json', args: () => ['transcribe', writeWav(tmp.path('turns-json.wav'), TURNS), '--json'], leaveAfter: /\n/ },
  // --emulator as a user would type it; its in-process server also makes the command outlive its write.
  { name: 'voices', args: () => ['voices', '--emulator'] },
  { name: 'voices --json', args: () => ['voices', '--json', '--emulator'] },
  { name: 'stream --json -o -', args: () => ['stream', '--json', '-o', '-'], input: SENTENCES, leaveAfter: /\n|RIFF/ },
  { name: 'say -o -', args: () => ['say', 'A sentence long enough for more than one chunk of audio.', '-o', '-'], leaveAfter: /RIFF/ },
  { name: 'say -o file', args: () => ['say', 'Hello there.', '-o', tmp.path('say.wav'), '--emulator'] },
  { name: 'doctor', args: () => ['doctor', '--emulator'] },
  { name: 'completion bash', args: () => ['completion', 'bash'] },
  { name: 'config list', args: () => ['config', 'list'] },
  { name: 'emulator', args: () => ['emulator', '--port', '0'] },
  { name: 'login', args: () => ['login'], input: 'ZW11bGF0b3I6a2V5\n' },
  { name: '--help', args: () => ['--help'] },
];

for (const closed of ['stdout', 'stderr'] as const) {
  describe(`the reader of ${closed} leaves`, () => {
    for (const testCase of CASES) {
      test(`${testCase.name}: exit 0, no stack trace`, async () => {
        const run = await runWithEarlyReader(testCase.args(), closed, { input: testCase.input, leaveAfter: testCase.leaveAfter });
        assertQuietExit(run, closed);
      });
    }
  });
}

describe('a command whose reader left stops its work', () => {
  // The reader may leave after the last write (the audio of the input so far already sits in the
  // socket's buffer): with stdin open and quiet, only the idle check notices.
  test('stream -o - on a live pipe ends when stdout is gone, without waiting for more input', async () => {
    const run = await runWithEarlyReader(['stream', '-o', '-'], 'stdout', { input: 'Hello there. This is live.\n', keepStdinOpen: true, leaveAfter: /RIFF/ });
    assertQuietExit(run, 'stdout');
  });

  test('stream -o - that wrote all its audio and waits on a quiet live pipe ends when stdout is gone', async () => {
    const run = await runWithEarlyReader(['stream', '-o', '-'], 'stdout', { input: 'Hello there.\n', keepStdinOpen: true, leaveAfter: 'when-quiet' });
    assertQuietExit(run, 'stdout');
    // Stopped by noticing the reader, not by the grace period that ends a stuck command anyway.
    assert.ok(run.msAfterLeaving !== undefined && run.msAfterLeaving < READER_GONE_GRACE_MS, `ran on for ${run.msAfterLeaving} ms after its reader left`);
  });

  test('transcribe --mic stops recording when stdout is gone after the first turn', async () => {
    const raw = tmp.path('mic.raw');
    writeFileSync(raw, TURNS);
    // A microphone that goes on recording (silence) for as long as nobody stops it.
    const binDir = fakeProgram(tmp.path('mic-bin'), 'arecord', 'cat "$FAKE_MIC_RAW"; exec cat /dev/zero');
    const micEnv = { ...env, PATH: [binDir, dirname(process.execPath), '/usr/bin', '/bin'].join(delimiter), FAKE_MIC_RAW: raw };
    const run = await runWithEarlyReader(['transcribe', '--mic', '--no-voice-profile'], 'stdout', { env: micEnv, leaveAfter: /\n/ });
    assertQuietExit(run, 'stdout');
    assert.ok(run.ms < 10_000, `took ${run.ms} ms`);
  });

  test('stream --json -o x.wav: stderr (the events) gone mid-way leaves a valid WAV', async () => {
    const path = tmp.path('events-gone.wav');
    const run = await runWithEarlyReader(['stream', '--json', '-o', path], 'stderr', {
      input: SENTENCES,
      keepStdinOpen: true,
      leaveAfter: /"first_audio"/,
    });
    assertQuietExit(run, 'stderr');
    const wav = checkWavFile(path);
    assert.ok(wav.valid, wav.reason);
    assert.ok(wav.data!.length > 0, 'the audio before the reader left is kept');
  });
});
