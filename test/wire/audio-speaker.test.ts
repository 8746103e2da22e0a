// Real playback through the real player paths into a fake ALSA "file" device (byte-exact), plus
// the failure paths: no device, a player dying mid-stream, abort killing the player.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { AudioDeviceError } from '../../src/core/errors.js';
import { openSpeakers } from '../../src/audio/speaker-sink.js';
import { findExecutable } from '../../src/audio/find-executable.js';
import { fakeAlsa, fakeProgram } from '../helpers/alsa.js';
import { needs, needsSpeakerModule } from '../helpers/needs.js';

const SAMPLE_RATE = 24000;

function tone(samples: number): Buffer {
  const out = Buffer.alloc(samples * 2);
  for (let i = 0; i < samples; i++) out.writeInt16LE(Math.round(12000 * Math.sin((2 * Math.PI * 440 * i) / SAMPLE_RATE)), i * 2);
  return out;
}

async function playThrough(player: 'speaker' | 'aplay'): Promise<void> {
  const alsa = fakeAlsa('file');
  try {
    const audio = tone(SAMPLE_RATE); // one second
    const sink = await openSpeakers({ sampleRateHertz: SAMPLE_RATE, player, env: alsa.env });
    assert.equal(sink.player, player);
    // Uneven chunk sizes, including one that splits a sample.
    await sink.write(audio.subarray(0, 12345));
    await sink.write(audio.subarray(12345, 30000));
    await sink.write(audio.subarray(30000));
    await sink.end();
    const played = readFileSync(alsa.outPath);
    // aplay pads its last period with silence: compare the prefix, and check the rest is zeros.
    assert.ok(played.length >= audio.length, `played ${played.length} of ${audio.length} bytes`);
    assert.ok(played.subarray(0, audio.length).equals(audio), 'played bytes differ from the input');
    assert.ok(played.subarray(audio.length).every((byte) => byte === 0));
  } finally {
    alsa.cleanup();
  }
}

test('plays PCM byte-exact through the speaker module (in a child process)', { skip: needsSpeakerModule() }, async () => {
  await playThrough('speaker');
});

test('plays PCM byte-exact through aplay', { skip: needs('aplay') }, async () => {
  await playThrough('aplay');
});

// The default order starts with the speaker module, then aplay.
test('default order picks a working player on the fake device', { skip: needsSpeakerModule() && needs('aplay') }, async () => {
  const alsa = fakeAlsa('file');
  try {
    const sink = await openSpeakers({ sampleRateHertz: SAMPLE_RATE, env: alsa.env });
    await sink.write(tone(2400));
    await sink.end();
    assert.ok(readFileSync(alsa.outPath).subarray(0, 4800).equals(tone(2400)));
  } finally {
    alsa.cleanup();
  }
});

test('no usable device: one clear AudioDeviceError with the fix, no crash, no hang', { skip: needs('aplay') }, async () => {
  const alsa = fakeAlsa('missing');
  try {
    // Only the speaker module (which aborts its child) and aplay (which fails to open) are tried
    // with the real programs; an empty PATH makes the rest "not installed".
    const env = { ...alsa.env, PATH: fakeProgram(alsa.dir, 'aplay', `exec "${findExecutable('aplay')}" "$@"`) };
    await assert.rejects(openSpeakers({ sampleRateHertz: SAMPLE_RATE, env }), (error: unknown) => {
      assert.ok(error instanceof AudioDeviceError, String(error));
      assert.equal(error.message, 'no audio output device found');
      assert.match(error.hint ?? '', /-o out\.wav/);
      assert.match(String((error.cause as Error).message), /aplay: .*audio open error/);
      return true;
    });
  } finally {
    alsa.cleanup();
  }
});

test('ffplay that cannot open audio (it exits 0) is rejected by its probe', { skip: needs('ffplay') }, async () => {
  const alsa = fakeAlsa('missing');
  try {
    await assert.rejects(openSpeakers({ sampleRateHertz: SAMPLE_RATE, player: 'ffplay', env: alsa.env }), (error: unknown) => {
      assert.ok(error instanceof AudioDeviceError);
      assert.match(error.message, /^audio player ffplay cannot play/);
      return true;
    });
  } finally {
    alsa.cleanup();
  }
});

test('a player that dies mid-stream fails the playback with AudioDeviceError instead of hanging', async () => {
  const alsa = fakeAlsa('null');
  try {
    // Passes the empty-input probe (stdin is /dev/null then; a socket when playing), then reads 1000 bytes of real audio and exits 3.
    const bin = fakeProgram(alsa.dir, 'aplay', '[ -c /dev/stdin ] && exit 0; /usr/bin/head -c 1000 > /dev/null; echo "device lost" >&2; exit 3');
    const sink = await openSpeakers({ sampleRateHertz: SAMPLE_RATE, player: 'aplay', env: { ...alsa.env, PATH: bin } });
    const chunk = tone(SAMPLE_RATE);
    const failure = await (async () => {
      try {
        for (let i = 0; i < 40; i++) await sink.write(chunk);
        await sink.end();
      } catch (error) {
        return error;
      }
      return undefined;
    })();
    assert.ok(failure instanceof AudioDeviceError, String(failure));
    assert.match(failure.message, /aplay/);
    await sink.abort();
  } finally {
    alsa.cleanup();
  }
});

test('abort kills the player process', async () => {
  const alsa = fakeAlsa('null');
  try {
    const pidFile = join(alsa.dir, 'pid');
    // Passes the probe (stdin /dev/null), then records its pid and reads forever.
    const bin = fakeProgram(alsa.dir, 'aplay', `[ -c /dev/stdin ] && exit 0; echo $$ > ${pidFile}; exec /bin/cat > /dev/null`);
    const sink = await openSpeakers({ sampleRateHertz: SAMPLE_RATE, player: 'aplay', env: { ...alsa.env, PATH: bin } });
    await sink.write(tone(100));
    // The write above reached the player, so it has recorded its pid.
    await waitForFile(pidFile);
    const pid = Number(readFileSync(pidFile, 'utf8'));
    assert.doesNotThrow(() => process.kill(pid, 0));
    await sink.abort(new Error('request failed'));
    assert.throws(() => process.kill(pid, 0), { code: 'ESRCH' });
  } finally {
    alsa.cleanup();
  }
});

/** Polls for the file via the event loop (no sleeps): the fake player writes it on start. */
async function waitForFile(path: string): Promise<void> {
  for (let i = 0; i < 10_000; i++) {
    try {
      if (readFileSync(path, 'utf8').trim()) return;
    } catch {
      // not yet
    }
    await new Promise((resolve) => setImmediate(resolve));
  }
  throw new Error(`${path} never appeared`);
}

test('--play: a tee of a WAV file and the speakers gets the same audio in both', { skip: needs('aplay') }, async () => {
  const alsa = fakeAlsa('file');
  try {
    const { openWavFileSink } = await import('../../src/audio/file-sink.js');
    const { TeeSink } = await import('../../src/audio/tee-sink.js');
    const { pipeToSink } = await import('../../src/audio/sink.js');
    const path = join(alsa.dir, 'out.wav');
    const audio = tone(4800);
    const tee = new TeeSink([
      await openWavFileSink(path, { sampleRateHertz: SAMPLE_RATE, channels: 1, bitsPerSample: 16 }),
      await openSpeakers({ sampleRateHertz: SAMPLE_RATE, player: 'aplay', env: alsa.env }),
    ]);
    await pipeToSink((async function* () { yield audio.subarray(0, 5001); yield audio.subarray(5001); })(), tee);
    assert.ok(readFileSync(path).subarray(44).equals(audio));
    assert.ok(readFileSync(alsa.outPath).subarray(0, audio.length).equals(audio));
  } finally {
    alsa.cleanup();
  }
});

test('process exit kills the player and removes unfinished temp files', async () => {
  const alsa = fakeAlsa('null');
  try {
    const pidFile = join(alsa.dir, 'pid');
    // A player that would outlive its parent: it ignores end of input (sleep never reads stdin).
    const bin = fakeProgram(alsa.dir, 'aplay', `[ -c /dev/stdin ] && exit 0; echo $$ > ${pidFile}; exec /bin/sleep 30`);
    const outDir = join(alsa.dir, 'out');
    const { mkdirSync, readdirSync } = await import('node:fs');
    mkdirSync(outDir);
    const src = (file: string) => JSON.stringify(new URL(`../../src/audio/${file}`, import.meta.url).href);
    const script = `
      import { openSpeakers } from ${src('speaker-sink.ts')};
      import { openWavFileSink } from ${src('file-sink.ts')};
      const file = await openWavFileSink(${JSON.stringify(join(outDir, 'x.wav'))}, { sampleRateHertz: 24000, channels: 1, bitsPerSample: 16 });
      await file.write(Buffer.alloc(100));
      const speakers = await openSpeakers({ sampleRateHertz: 24000, player: 'aplay' });
      await speakers.write(Buffer.alloc(100));
      process.stdout.write('ready');
      // Exit without ending either sink, as a second Ctrl-C would.
      process.stdin.once('data', () => process.exit(130));
    `;
    const { spawn } = await import('node:child_process');
    const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
      env: { ...alsa.env, PATH: `${bin}:${process.env.PATH}` },
      stdio: ['pipe', 'pipe', 'inherit'],
    });
    await new Promise<void>((resolve) => child.stdout.once('data', () => resolve()));
    await waitForFile(pidFile);
    const pid = Number(readFileSync(pidFile, 'utf8'));
    assert.equal(readdirSync(outDir).length, 1, 'the temp file exists while running');
    child.stdin.write('x');
    const code = await new Promise<number | null>((resolve) => child.once('exit', (exitCode) => resolve(exitCode)));
    assert.equal(code, 130);
    assert.deepEqual(readdirSync(outDir), []);
    // The exit hook sent SIGKILL. An orphan may linger as a zombie if nothing reaps it (pid 1 in
    // a container), so "dead" means gone or in state Z.
    let alive = true;
    for (let i = 0; i < 10_000 && alive; i++) {
      alive = isRunning(pid);
      if (alive) await new Promise((resolve) => setImmediate(resolve));
    }
    assert.equal(alive, false, 'player still running after its parent exited');
  } finally {
    alsa.cleanup();
  }
});

function isRunning(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2)[0] !== 'Z';
  } catch {
    return false;
  }
}
