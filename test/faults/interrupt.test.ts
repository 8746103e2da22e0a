// Interruption (issue 5, part 2): SIGINT and SIGTERM during say (file, and speakers through the
// fake ALSA device), stream and transcribe --mic (a fake arecord on PATH). Each must exit 130 /
// 143, leave WAV files valid with true sizes, leave no player or recorder process behind, and
// print no stack trace or unhandled rejection. SIGPIPE: `inworld say … -o - | head -c 100` ends
// quietly. Needs `npm run build` first.
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { delimiter, dirname, join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { RunningEmulator } from '../../src/emulator/index.js';
import { fakeAlsa, fakeProgram } from '../helpers/alsa.js';
import { BIN } from '../helpers/cli.js';
import { needs } from '../helpers/needs.js';
import { silence, tone } from '../wire/stt-fixtures.js';
import { scriptRule } from '../wire/stt-harness.js';
import { recordFigures } from './figures.js';
import { TTS_STREAM_PATH, TTS_WS_PATH, checkWavFile, envFor, quietEmulator, startCli, tempDir, type Run } from './harness.js';

const SIGNALS = [
  ['SIGINT', 130],
  ['SIGTERM', 143],
] as const;

let emulator: RunningEmulator;
const tmp = tempDir('inworld-interrupt-');
let interrupted = 0;

before(async () => {
  emulator = await quietEmulator();
});
after(async () => {
  await emulator.close();
  tmp.cleanup();
  recordFigures('interrupt', { 'runs interrupted by a signal': interrupted });
});

async function waitFor(condition: () => boolean, what: string, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

/** Every descendant of `pid` (children, grandchildren…), from /proc via pgrep. */
function descendants(pid: number): number[] {
  const result = spawnSync('pgrep', ['-P', String(pid)], { encoding: 'utf8' });
  const children = result.stdout.split('\n').filter(Boolean).map(Number);
  return children.flatMap((child) => [child, ...descendants(child)]);
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  // A zombie is dead but not yet reaped by its (new) parent.
  try {
    return !/^\S+\s+\(.*\)\s+Z/.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return false;
  }
}

/** A temp file (`.name.*.part`) in `dir` that has grown past `bytes`. */
function partFileGrown(dir: string, bytes: number): boolean {
  return readdirSync(dir).some((name) => name.endsWith('.part') && statSync(join(dir, name)).size > bytes);
}

function assertCleanStderr(run: Run): void {
  assert.doesNotMatch(run.stderr, /Unhandled|uncaught|^\s+at .+:\d+:\d+\)?$/im, `no stack trace or unhandled rejection:\n${run.stderr}`);
  const hidden = run.stderr.lastIndexOf('\u001b[?25l');
  if (hidden >= 0) assert.ok(run.stderr.lastIndexOf('\u001b[?25h') > hidden, 'the cursor is shown again');
}

async function assertGone(pids: number[]): Promise<void> {
  await waitFor(() => pids.every((pid) => !alive(pid)), `child processes ${pids.join(', ')} to exit`, 3000).catch(() => {});
  const left = pids.filter(alive);
  for (const pid of left) process.kill(pid, 'SIGKILL');
  assert.deepEqual(left, [], 'no child process outlives the CLI');
}

function assertValidPrefixWav(path: string): number {
  const wav = checkWavFile(path);
  assert.ok(wav.valid, `a valid WAV with true sizes: ${wav.reason}`);
  assert.ok(wav.data!.length > 0, 'holds the audio that arrived');
  return wav.data!.length;
}

/** The one line a signal leaves on stderr: what was kept, e.g. "Interrupted: kept 2.2 s of audio in out.wav". */
function assertKeptLine(run: Run, signal: string, what: RegExp): string {
  const lines = run.stderr.trim().split('\n');
  assert.equal(lines.length, 1, `one line on stderr:\n${run.stderr}`);
  const word = signal === 'SIGINT' ? 'Interrupted' : 'Terminated';
  assert.match(lines[0]!, new RegExp(`^${word}: ${what.source}$`));
  return lines[0]!;
}

/** The seconds of 24 kHz 16-bit mono audio in a WAV's data, as the kept line rounds them. */
function secondsIn(path: string): string {
  return (checkWavFile(path).data!.length / 48_000).toFixed(1);
}

describe('say', { concurrency: 2 }, () => {
  for (const [signal, code] of SIGNALS) {
    test(`${signal} while writing a file: exit ${code}, a valid WAV of what arrived`, async () => {
      const own = await quietEmulator();
      const dir = tempDir('inworld-int-say-');
      try {
        own.faults.add({ path: TTS_STREAM_PATH, action: { type: 'stall', at: 'mid-stream', afterChunks: 3 } });
        const out = join(dir.dir, 'out.wav');
        const { child, done } = startCli(['say', 'A long sentence that keeps going for quite a while, and then some more.', '-o', out], { env: envFor(own) });
        child.stdin.end();
        await waitFor(() => partFileGrown(dir.dir, 44), 'audio in the temp file');
        child.kill(signal);
        interrupted += 1;
        const run = await done;
        assert.equal(run.code, code, run.stderr);
        assertValidPrefixWav(out);
        assert.deepEqual(readdirSync(dir.dir).filter((name) => name.endsWith('.part')), [], 'the temp file became the output');
        assertKeptLine(run, signal, new RegExp(`kept ${secondsIn(out).replace('.', '\\.')} s of audio in ${out}`));
        assertCleanStderr(run);
      } finally {
        dir.cleanup();
        await own.close();
      }
    });

    test(`${signal} while playing (--play, aplay on the fake ALSA device): exit ${code}, player gone`, { skip: needs('aplay', 'pgrep') }, async () => {
      const own = await quietEmulator();
      const alsa = fakeAlsa('file');
      try {
        own.faults.add({ path: TTS_STREAM_PATH, action: { type: 'stall', at: 'mid-stream', afterChunks: 3 } });
        const out = join(alsa.dir, 'out.wav');
        const { child, done } = startCli(['say', 'Playing while the server stalls, then interrupted.', '-o', out, '--play', '--player', 'aplay'], {
          env: envFor(own, { XDG_CONFIG_HOME: alsa.dir, ALSA_OUT: alsa.outPath }),
        });
        child.stdin.end();
        await waitFor(() => partFileGrown(alsa.dir, 44) && descendants(child.pid!).length > 0, 'audio in the file and a player running');
        // Give the player a moment to take the audio written so far.
        await new Promise((resolve) => setTimeout(resolve, 300));
        const players = descendants(child.pid!);
        assert.ok(players.length > 0, 'a player process is running');
        child.kill(signal);
        interrupted += 1;
        const run = await done;
        assert.equal(run.code, code, run.stderr);
        await assertGone(players);
        const data = assertValidPrefixWav(out);
        const played = existsSync(alsa.outPath) ? readFileSync(alsa.outPath) : Buffer.alloc(0);
        const wav = readFileSync(out).subarray(44);
        const common = Math.min(played.length, data);
        assert.ok(played.subarray(0, common).equals(wav.subarray(0, common)), 'the device got the same PCM as the file');
        assertCleanStderr(run);
      } finally {
        alsa.cleanup();
        await own.close();
      }
    });
  }
});

describe('say: a signal before any audio arrived', () => {
  test('SIGINT while the server has not answered: exit 130, no file, "Interrupted: nothing was written"', async () => {
    const own = await quietEmulator();
    const dir = tempDir('inworld-int-none-');
    try {
      own.faults.add({ path: TTS_STREAM_PATH, action: { type: 'stall', at: 'headers' } });
      const out = join(dir.dir, 'out.wav');
      const { child, done } = startCli(['say', 'Nothing of this will arrive.', '-o', out], { env: envFor(own) });
      child.stdin.end();
      await waitFor(() => own.requests.find(TTS_STREAM_PATH).length > 0, 'the request to arrive');
      child.kill('SIGINT');
      interrupted += 1;
      const run = await done;
      assert.equal(run.code, 130, run.stderr);
      assertKeptLine(run, 'SIGINT', /nothing was written/);
      assert.deepEqual(readdirSync(dir.dir), [], 'no file, not even an empty WAV');
      assertCleanStderr(run);
    } finally {
      dir.cleanup();
      await own.close();
    }
  });
});

describe('say on a terminal (a pty from `script`): the spinner stops and the cursor comes back', { concurrency: 2, skip: needs('script', 'pgrep') }, () => {
  // `script` gives the CLI a real terminal; `stty cols 0` is a pty with no size (CI runners), where
  // ora's clear once looped forever and the CLI ignored Ctrl-C at 100% CPU.
  for (const columns of [80, 0]) {
    test(`SIGINT with ${columns} columns: exit 130, cursor shown, WAV valid`, async () => {
      const own = await quietEmulator();
      const dir = tempDir('inworld-int-tty-');
      try {
        own.faults.add({ path: TTS_STREAM_PATH, action: { type: 'stall', at: 'mid-stream', afterChunks: 3 } });
        const out = join(dir.dir, 'out.wav');
        const command = `stty cols ${columns}; exec "${process.execPath}" "${BIN}" say "A long sentence that keeps going for a while." -o "${out}"`;
        const child = spawn('script', ['-q', '-e', '-c', command, '/dev/null'], { env: { ...envFor(own), TERM: 'xterm' }, stdio: ['pipe', 'pipe', 'pipe'] });
        let terminal = '';
        child.stdout.on('data', (chunk: Buffer) => (terminal += chunk.toString('latin1')));
        const closed = new Promise<number | null>((resolve) => child.on('close', resolve));
        await waitFor(() => partFileGrown(dir.dir, 44), 'audio in the temp file');
        const cli = descendants(child.pid!).find((pid) => readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes('inworld.js'));
        assert.ok(cli, 'the CLI runs under script');
        process.kill(cli, 'SIGINT');
        interrupted += 1;
        const hang = setTimeout(() => process.kill(cli, 'SIGKILL'), 10_000);
        const code = await closed;
        clearTimeout(hang);
        assert.equal(code, 130, `exit ${code}; terminal: ${JSON.stringify(terminal.slice(-200))}`);
        const hidden = terminal.lastIndexOf('\u001b[?25l');
        if (hidden >= 0) assert.ok(terminal.lastIndexOf('\u001b[?25h') > hidden, 'the cursor is shown again');
        assert.doesNotMatch(terminal, /Unhandled|^\s+at .+:\d+:\d+\)?\r?$/m);
        assertValidPrefixWav(out);
      } finally {
        dir.cleanup();
        await own.close();
      }
    });
  }
});

describe('stream', { concurrency: 2 }, () => {
  for (const [signal, code] of SIGNALS) {
    test(`${signal} with stdin still open: exit ${code}, a valid WAV of the sentences so far`, { skip: needs('pgrep') }, async () => {
      const dir = tempDir('inworld-int-stream-');
      try {
        const out = join(dir.dir, 'out.wav');
        const { child, done } = startCli(['stream', '-o', out], { env: envFor(emulator) });
        child.stdin.write('The first sentence arrives now. ');
        child.stdin.write('And a second one follows it.\n');
        await waitFor(() => partFileGrown(dir.dir, 44 + 48_000), 'audio of the first sentence');
        const before = descendants(child.pid!);
        child.kill(signal);
        interrupted += 1;
        const run = await done;
        child.stdin.destroy();
        assert.equal(run.code, code, run.stderr);
        assertValidPrefixWav(out);
        assertKeptLine(run, signal, new RegExp(`kept ${secondsIn(out).replace('.', '\\.')} s of audio in ${out}`));
        await assertGone(before);
        assertCleanStderr(run);
      } finally {
        dir.cleanup();
      }
    });
  }

  test('SIGINT while the server stalls mid-sentence: exit 130, not a hang', async () => {
    const own = await quietEmulator();
    const dir = tempDir('inworld-int-stream-stall-');
    try {
      own.faults.add({ protocol: 'ws', path: TTS_WS_PATH, action: { type: 'custom', name: 'tts-stall', params: { afterChunks: 3 } } });
      const out = join(dir.dir, 'out.wav');
      const { child, done } = startCli(['stream', '-o', out], { env: envFor(own), deadlineMs: 15_000 });
      child.stdin.end('A sentence long enough to stall in the middle of its audio.\n');
      await waitFor(() => partFileGrown(dir.dir, 44), 'some audio');
      child.kill('SIGINT');
      interrupted += 1;
      const run = await done;
      assert.equal(run.killed, false, 'ended by itself after SIGINT');
      assert.equal(run.code, 130, run.stderr);
      assertValidPrefixWav(out);
      assertCleanStderr(run);
    } finally {
      dir.cleanup();
      await own.close();
    }
  });
});

describe('transcribe --mic', { concurrency: 2 }, () => {
  for (const [signal, code] of SIGNALS) {
    test(`${signal} while recording: exit ${code}, the recorder gone, finals kept (also in the -o file, as the line says)`, async () => {
      const own = await quietEmulator();
      const dir = tempDir('inworld-int-mic-');
      try {
        own.faults.add(scriptRule(['Before the signal.', 'Cut short.']));
        const raw = join(dir.dir, 'mic.raw');
        writeFileSync(raw, Buffer.concat([tone(600), silence(600), tone(600)]));
        const pidFile = join(dir.dir, 'recorder.pid');
        // The fake recorder plays the speech, then keeps the device open like a real microphone.
        const binDir = fakeProgram(dir.dir, 'arecord', `echo $$ > "${pidFile}"\ncat "$FAKE_MIC_RAW"\nexec sleep 60`);
        const env = envFor(own, { PATH: [binDir, dirname(process.execPath), '/usr/bin', '/bin'].join(delimiter), FAKE_MIC_RAW: raw });
        const txt = join(dir.dir, 'transcript.txt');
        const { child, done } = startCli(['transcribe', '--mic', '--json', '--no-voice-profile', '-o', txt], { env });
        child.stdin.end();
        let stdout = '';
        child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
        await waitFor(() => (stdout.match(/"speech_started"/g) ?? []).length >= 2 && existsSync(pidFile), 'the second turn to start');
        const recorder = Number(readFileSync(pidFile, 'utf8').trim());
        assert.ok(alive(recorder), 'the recorder runs');
        child.kill(signal);
        interrupted += 1;
        const run = await done;
        assert.equal(run.code, code, run.stderr);
        await assertGone([recorder]);
        const finals = run.stdout
          .toString()
          .trim()
          .split('\n')
          .map((line) => JSON.parse(line) as { type: string; text?: string })
          .filter((event) => event.type === 'final')
          .map((event) => event.text);
        assert.equal(finals[0], 'Before the signal.');
        assert.deepEqual(readFileSync(txt, 'utf8').trim().split('\n'), finals);
        assertKeptLine(run, signal, new RegExp(`kept ${finals.length} transcript lines? in ${txt}`));
        assertCleanStderr(run);
      } finally {
        dir.cleanup();
        await own.close();
      }
    });
  }
});

/** Runs a bash script without blocking the event loop (the emulator lives in this process). */
function bash(script: string, env: Record<string, string>): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn('bash', ['-c', script], { env, stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
    child.on('error', reject);
    child.on('close', () => {
      clearTimeout(timer);
      resolve(out);
    });
  });
}

describe('SIGPIPE: the reader leaves early', { skip: needs('bash') }, () => {
  test('`inworld say … -o - | head -c 100` ends quietly', async () => {
    // bash reports each side's status; `inworld` must exit 0 (it stops when its reader leaves;
    // 141, death by SIGPIPE, would also be acceptable for a Unix tool) and print nothing on stderr.
    const script = `"${process.execPath}" "${BIN}" say "A sentence long enough to produce far more than a hundred bytes of audio." -o - 2>"$ERR" | head -c 100 | wc -c; echo "status \${PIPESTATUS[0]}"`;
    const err = tmp.path('sigpipe.err');
    const output = await bash(script, { ...envFor(emulator), ERR: err });
    const [bytes, status] = output.trim().split('\n');
    assert.equal(bytes!.trim(), '100');
    assert.ok(status === 'status 0' || status === 'status 141', status);
    assert.equal(readFileSync(err, 'utf8'), '', 'nothing on stderr');
  });

  test('stream and voices also end quietly when the reader leaves', async () => {
    const err = tmp.path('sigpipe2.err');
    const script = `printf 'One sentence here. Another one there.\\n' | "${process.execPath}" "${BIN}" stream -o - 2>>"$ERR" | head -c 100 >/dev/null; echo "\${PIPESTATUS[1]}"; "${process.execPath}" "${BIN}" voices 2>>"$ERR" | head -c 10 >/dev/null; echo "\${PIPESTATUS[0]}"`;
    const output = await bash(script, { ...envFor(emulator), ERR: err });
    for (const status of output.trim().split('\n')) assert.ok(status === '0' || status === '141', `exit ${status}`);
    assert.equal(readFileSync(err, 'utf8'), '', 'nothing on stderr');
  });
});
