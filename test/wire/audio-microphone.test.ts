// The microphone source through real recorder processes: a fake `arecord` on PATH (clean end of
// file), the real arecord reading a fake ALSA capture device (ALSA_IN), and the failure paths.
// node-record-lpcm16 spawns with this process's environment, so each test sets process.env and
// restores it (node --test runs every file in its own process).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { AudioDeviceError } from '../../src/core/errors.js';
import { openMicrophone } from '../../src/audio/microphone.js';
import { fakeAlsa, fakeProgram } from '../helpers/alsa.js';
import { needs } from '../helpers/needs.js';

function withEnv(changes: NodeJS.ProcessEnv): () => void {
  const saved = { ...process.env };
  Object.assign(process.env, changes);
  return () => {
    for (const key of Object.keys(process.env)) if (!(key in saved)) delete process.env[key];
    Object.assign(process.env, saved);
  };
}

function speechLike(bytes: number): Buffer {
  const out = Buffer.alloc(bytes);
  for (let i = 0; i < bytes; i++) out[i] = (i * 131 + (i >> 7)) & 0xff;
  return out;
}

async function collect(source: AsyncIterable<Buffer>): Promise<Buffer> {
  const parts: Buffer[] = [];
  for await (const part of source) parts.push(part);
  return Buffer.concat(parts);
}

test('captures byte-exact from a recorder that ends (fake arecord on PATH)', async (t) => {
  const alsa = fakeAlsa('file');
  t.after(() => alsa.cleanup());
  const audio = speechLike(32_001); // odd on purpose: the split sample is dropped
  writeFileSync(alsa.inPath, audio);
  const bin = fakeProgram(alsa.dir, 'arecord', 'exec /bin/cat "$FAKE_MIC_RAW"');
  const restore = withEnv({ PATH: `${bin}:${process.env.PATH}`, FAKE_MIC_RAW: alsa.inPath });
  t.after(restore);
  const mic = await openMicrophone({ sampleRateHertz: 16000, recorder: 'arecord' });
  assert.equal(mic.sampleRateHertz, 16000);
  assert.deepEqual(await collect(mic), audio.subarray(0, 32_000));
});

test('captures byte-exact through the real arecord and a fake ALSA capture device; stop() ends it', { skip: needs('arecord') }, async (t) => {
  const alsa = fakeAlsa('file');
  t.after(() => alsa.cleanup());
  const audio = speechLike(48_000);
  writeFileSync(alsa.inPath, audio);
  const restore = withEnv({ XDG_CONFIG_HOME: alsa.env.XDG_CONFIG_HOME, ALSA_IN: alsa.inPath });
  t.after(restore);
  const mic = await openMicrophone({ sampleRateHertz: 16000, recorder: 'arecord' });
  // The fake device is not paced and repeats stale data past the end: read exactly N bytes.
  const parts: Buffer[] = [];
  let total = 0;
  for await (const part of mic) {
    parts.push(part);
    total += part.length;
    if (total >= audio.length) mic.stop();
  }
  assert.deepEqual(Buffer.concat(parts).subarray(0, audio.length), audio);
});

test('no microphone: the recorder failing to open the device is an AudioDeviceError at open', { skip: needs('arecord') }, async (t) => {
  const alsa = fakeAlsa('missing');
  t.after(() => alsa.cleanup());
  t.after(withEnv({ XDG_CONFIG_HOME: alsa.env.XDG_CONFIG_HOME }));
  await assert.rejects(openMicrophone({ recorder: 'arecord' }), (error: unknown) => {
    assert.ok(error instanceof AudioDeviceError, String(error));
    assert.match(error.message, /microphone could not be recorded with arecord: .*audio open error/);
    return true;
  });
});

test('a missing recorder program is an AudioDeviceError naming what to install, not a crash', async (t) => {
  const alsa = fakeAlsa('missing');
  t.after(() => alsa.cleanup());
  t.after(withEnv({ PATH: alsa.dir }));
  for (const recorder of ['arecord', 'rec'] as const) {
    await assert.rejects(openMicrophone({ recorder }), (error: unknown) => {
      assert.ok(error instanceof AudioDeviceError);
      assert.match(error.message, new RegExp(`no microphone recorder found \\(${recorder} is not installed\\)`));
      assert.match(error.hint ?? '', /alsa-utils|sox/);
      return true;
    });
  }
});

test('a recorder dying mid-recording fails the iteration; stopping ignores the exit', async (t) => {
  const alsa = fakeAlsa('file');
  t.after(() => alsa.cleanup());
  writeFileSync(alsa.inPath, speechLike(1000));
  const bin = fakeProgram(alsa.dir, 'arecord', '/bin/cat "$FAKE_MIC_RAW"; echo "arecord: device unplugged" >&2; exit 1');
  t.after(withEnv({ PATH: `${bin}:${process.env.PATH}`, FAKE_MIC_RAW: alsa.inPath }));
  const mic = await openMicrophone({ recorder: 'arecord' });
  await assert.rejects(collect(mic), (error: unknown) => {
    assert.ok(error instanceof AudioDeviceError);
    assert.match(error.message, /device unplugged/);
    return true;
  });

  const forever = fakeProgram(alsa.dir, 'arecord', 'exec /bin/cat /dev/zero');
  assert.ok(forever);
  const endless = await openMicrophone({ recorder: 'arecord' });
  let chunks = 0;
  for await (const _part of endless) if (++chunks === 2) endless.stop();
  assert.equal(chunks >= 2, true);
});

// On a loaded machine the recorder's exit can be seen before its last output (audio and stderr)
// has been read from the pipes. Here that order is certain: the recorder exits at once and a
// background job it left holding the pipes writes the audio and the error afterwards.
test('a recorder whose exit is seen before its output: the audio still arrives, then its error', async (t) => {
  const alsa = fakeAlsa('file');
  t.after(() => alsa.cleanup());
  const audio = speechLike(1000);
  writeFileSync(alsa.inPath, audio);
  const bin = fakeProgram(alsa.dir, 'arecord', '(/bin/sleep 0.3; /bin/cat "$FAKE_MIC_RAW"; echo "arecord: device unplugged" >&2) &\nexit 1');
  t.after(withEnv({ PATH: `${bin}:${process.env.PATH}`, FAKE_MIC_RAW: alsa.inPath }));
  const mic = await openMicrophone({ recorder: 'arecord' });
  const parts: Buffer[] = [];
  await assert.rejects(
    (async () => {
      for await (const part of mic) parts.push(part);
    })(),
    (error: unknown) => {
      assert.ok(error instanceof AudioDeviceError, String(error));
      assert.match(error.message, /device unplugged/);
      return true;
    },
  );
  assert.deepEqual(Buffer.concat(parts), audio);
});

test('a recorder that fails to start has its whole stderr in the error, even when its exit is seen first', async (t) => {
  const alsa = fakeAlsa('file');
  t.after(() => alsa.cleanup());
  const bin = fakeProgram(alsa.dir, 'arecord', '(/bin/sleep 0.3; echo "arecord: main:830: audio open error: No such device" >&2) &\nexit 1');
  t.after(withEnv({ PATH: `${bin}:${process.env.PATH}` }));
  await assert.rejects(openMicrophone({ recorder: 'arecord' }), (error: unknown) => {
    assert.ok(error instanceof AudioDeviceError, String(error));
    assert.match(error.message, /microphone could not be recorded with arecord: .*audio open error/);
    return true;
  });
});

test('a recorder that stops at once without audio and exits 0 is an empty recording', async (t) => {
  const alsa = fakeAlsa('file');
  t.after(() => alsa.cleanup());
  const bin = fakeProgram(alsa.dir, 'arecord', 'exit 0');
  t.after(withEnv({ PATH: `${bin}:${process.env.PATH}` }));
  const mic = await openMicrophone({ recorder: 'arecord' });
  assert.deepEqual(await collect(mic), Buffer.alloc(0));
});
