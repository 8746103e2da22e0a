import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough, Writable } from 'node:stream';
import { spawn } from 'node:child_process';
import { ValidationError } from '../../src/core/errors.js';
import { FileSink, openRawFileSink, openWavFileSink } from '../../src/audio/file-sink.js';
import { StreamSink } from '../../src/audio/stdout-sink.js';
import { TeeSink } from '../../src/audio/tee-sink.js';
import { isRewindable, pipeToSink } from '../../src/audio/sink.js';
import { stripWavHeader } from '../../src/audio/wav-reader.js';
import { streamingWavHeader, wavHeader } from '../../src/audio/wav-writer.js';
import { formatForPath, resolveOutputFormat } from '../../src/audio/formats.js';

const FORMAT = { sampleRateHertz: 24000, channels: 1, bitsPerSample: 16 };

function tempDir(): string {
  return mkdtempSync(join(tmpdir(), 'inworld-sink-'));
}

function pcm(bytes: number, seed = 1): Buffer {
  const out = Buffer.alloc(bytes);
  for (let i = 0; i < bytes; i++) out[i] = (i * 31 + seed * 7) & 0xff;
  return out;
}

async function* chunks(...parts: Buffer[]): AsyncGenerator<Buffer> {
  for (const part of parts) yield part;
}

test('wavHeader has RIFF/data sizes and the format fields', () => {
  const header = wavHeader({ ...FORMAT, dataBytes: 1000 });
  assert.equal(header.length, 44);
  assert.equal(header.toString('ascii', 0, 4), 'RIFF');
  assert.equal(header.readUInt32LE(4), 36 + 1000);
  assert.equal(header.toString('ascii', 8, 16), 'WAVEfmt ');
  assert.equal(header.readUInt16LE(20), 1);
  assert.equal(header.readUInt16LE(22), 1);
  assert.equal(header.readUInt32LE(24), 24000);
  assert.equal(header.readUInt32LE(28), 48000);
  assert.equal(header.readUInt16LE(32), 2);
  assert.equal(header.readUInt16LE(34), 16);
  assert.equal(header.readUInt32LE(40), 1000);
  // odd data: the RIFF size counts the pad byte
  assert.equal(wavHeader({ sampleRateHertz: 8000, channels: 1, bitsPerSample: 8, dataBytes: 3 }).readUInt32LE(4), 36 + 4);
  // too big for 32 bits: clamped
  assert.equal(wavHeader({ ...FORMAT, dataBytes: 2 ** 33 }).readUInt32LE(40), 0xffffffff);
  const streaming = streamingWavHeader(FORMAT);
  assert.equal(streaming.readUInt32LE(4), 0xffffffff);
  assert.equal(streaming.readUInt32LE(40), 0xffffffff);
});

test('stripWavHeader cuts a header (with extra chunks) off a chunk and leaves other chunks alone', () => {
  const body = pcm(10);
  const list = Buffer.concat([Buffer.from('LIST'), Buffer.from([3, 0, 0, 0]), Buffer.from('abc'), Buffer.alloc(1)]);
  const header = wavHeader({ ...FORMAT, dataBytes: 10 });
  const withList = Buffer.concat([header.subarray(0, 36), list, header.subarray(36)]);
  assert.deepEqual(stripWavHeader(Buffer.concat([withList, body])).audio, body);
  assert.deepEqual(stripWavHeader(body).audio, body);
});

test('formats: extensions map per the contract; unknown extension is a ValidationError', () => {
  assert.equal(formatForPath('a.WAV')?.encoding, 'WAV');
  assert.equal(formatForPath('a.wav')?.serverEncoding, 'PCM');
  assert.equal(formatForPath('a.wav')?.container, 'wav');
  assert.equal(formatForPath('a.opus')?.serverEncoding, 'OGG_OPUS');
  assert.equal(formatForPath('a.ogg')?.serverEncoding, 'OGG_OPUS');
  assert.equal(formatForPath('a.raw')?.serverEncoding, 'PCM');
  assert.equal(formatForPath('a.raw')?.container, 'raw');
  assert.equal(formatForPath('a.mulaw')?.serverEncoding, 'MULAW');
  assert.equal(formatForPath('a.ulaw')?.serverEncoding, 'MULAW');
  assert.equal(formatForPath('a.alaw')?.serverEncoding, 'ALAW');
  assert.equal(formatForPath('a.flac')?.serverEncoding, 'FLAC');
  assert.equal(formatForPath('a.mp3')?.serverEncoding, 'MP3');
  assert.equal(formatForPath('a.m4a'), undefined);
  assert.equal(resolveOutputFormat({}).encoding, 'WAV');
  assert.equal(resolveOutputFormat({ path: '-' }).encoding, 'WAV');
  assert.equal(resolveOutputFormat({ path: 'x.bin', encoding: 'mp3' }).encoding, 'MP3');
  assert.equal(resolveOutputFormat({ path: 'x.wav', encoding: 'LINEAR16' }).encoding, 'LINEAR16');
  assert.throws(() => resolveOutputFormat({ path: 'x.wav', encoding: 'mp3' }), /--encoding MP3 does not match the extension of x\.wav/);
  assert.throws(() => resolveOutputFormat({ path: 'x.m4a' }), ValidationError);
  assert.throws(() => resolveOutputFormat({ encoding: 'AAC' }), ValidationError);
});

test('WAV file sink: temp file while writing, correct sizes and rename at end', async () => {
  const dir = tempDir();
  try {
    const path = join(dir, 'out.wav');
    const sink = await openWavFileSink(path, FORMAT);
    const a = pcm(1000, 1);
    const b = pcm(2002, 2);
    await sink.write(a);
    await sink.write(b);
    assert.deepEqual(readdirSync(dir), [sink.tempPath.slice(dir.length + 1)], 'only the temp file exists while writing');
    assert.equal(sink.position(), 3002);
    await sink.end();
    assert.deepEqual(readdirSync(dir), ['out.wav']);
    const file = readFileSync(path);
    assert.deepEqual(file.subarray(0, 44), wavHeader({ ...FORMAT, dataBytes: 3002 }));
    assert.deepEqual(file.subarray(44), Buffer.concat([a, b]));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('WAV file sink: abort removes the temp file and leaves no output', async () => {
  const dir = tempDir();
  try {
    const sink = await openWavFileSink(join(dir, 'out.wav'), FORMAT);
    await sink.write(pcm(100));
    await sink.abort(new Error('request failed'));
    assert.deepEqual(readdirSync(dir), []);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('WAV file sink: interrupt keeps what arrived as a valid WAV, dropping a partial sample', async () => {
  const dir = tempDir();
  try {
    const path = join(dir, 'out.wav');
    const sink = await openWavFileSink(path, FORMAT);
    await sink.write(pcm(501));
    await sink.interrupt();
    const file = readFileSync(path);
    assert.equal(file.length, 44 + 500);
    assert.equal(file.readUInt32LE(4), 36 + 500);
    assert.equal(file.readUInt32LE(40), 500);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('WAV file sink: truncate rewinds for a retry; later writes continue from there', async () => {
  const dir = tempDir();
  try {
    const path = join(dir, 'out.wav');
    const sink = await openWavFileSink(path, FORMAT);
    assert.ok(isRewindable(sink));
    const first = pcm(400, 1);
    await sink.write(first);
    await sink.write(pcm(300, 2));
    await sink.truncate(400);
    assert.equal(sink.position(), 400);
    const resumed = pcm(200, 3);
    await sink.write(resumed);
    await sink.end();
    const file = readFileSync(path);
    assert.equal(file.readUInt32LE(40), 600);
    assert.deepEqual(file.subarray(44), Buffer.concat([first, resumed]));
    await assert.rejects(sink.write(pcm(2)), /after it was finished/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('file sink: writes nobody awaits are joined in order, around a truncate, into a byte-exact file', async () => {
  const dir = tempDir();
  try {
    const path = join(dir, 'out.wav');
    const sink = await openWavFileSink(path, FORMAT);
    const parts = Array.from({ length: 200 }, (_, i) => pcm(1000 + (i % 7) * 2, i));
    // The first 150 go out without waiting (they are joined while earlier writes are in flight),
    // then a rewind drops the last 50 of them, then 50 more are written the same way.
    const pending: Promise<void>[] = parts.slice(0, 150).map((part) => sink.write(part));
    const kept = parts.slice(0, 100);
    pending.push(sink.truncate(kept.reduce((sum, part) => sum + part.length, 0)));
    pending.push(...parts.slice(150).map((part) => sink.write(part)));
    await Promise.all(pending);
    await sink.end();
    const expected = Buffer.concat([...kept, ...parts.slice(150)]);
    const file = readFileSync(path);
    assert.equal(file.readUInt32LE(40), expected.length);
    assert.deepEqual(file.subarray(44), expected);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('file sink: a write that fails after its caller went on is reported by the next write and by end()', async () => {
  // /dev/full accepts the open and fails every write with ENOSPC.
  const sink = await openRawFileSink('/dev/full');
  await sink.write(pcm(100)); // accepted: under the write-behind limit
  await new Promise((resolve) => setTimeout(resolve, 50));
  await assert.rejects(sink.write(pcm(100)), /\/dev\/full/);
  await assert.rejects(sink.end(), /\/dev\/full/);
});

test('file sink: a writer that runs ahead of the disk is made to wait (bounded memory)', async () => {
  const dir = tempDir();
  try {
    const sink = await openRawFileSink(join(dir, 'out.raw'));
    let waited = false;
    for (let i = 0; i < 64 && !waited; i++) {
      let settled = false;
      const write = sink.write(pcm(16 * 1024, i)).then(() => {
        settled = true;
      });
      await Promise.resolve();
      if (!settled) waited = true;
      await write;
    }
    assert.ok(waited, 'every write resolved at once: nothing bounds what waits for the disk');
    await sink.end();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('raw file sink writes bytes as-is and replaces an existing file only at the end', async () => {
  const dir = tempDir();
  try {
    const path = join(dir, 'out.mp3');
    writeFileSync(path, 'old');
    const sink = await openRawFileSink(path);
    const bytes = pcm(777);
    await sink.write(bytes);
    assert.equal(readFileSync(path, 'utf8'), 'old');
    await sink.end();
    assert.deepEqual(readFileSync(path), bytes);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('file sink: unwritable destinations are ValidationErrors before anything is sent', async () => {
  const dir = tempDir();
  try {
    await assert.rejects(openRawFileSink(join(dir, 'missing', 'x.mp3')), (error: unknown) => {
      assert.ok(error instanceof ValidationError);
      assert.match(error.message, /^Cannot write .*x\.mp3: no such directory .*missing$/);
      return true;
    });
    mkdirSync(join(dir, 'adir.wav'));
    await assert.rejects(openWavFileSink(join(dir, 'adir.wav'), FORMAT), ValidationError);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('pipeToSink: source failure aborts (no file), signal interrupts (valid file)', async () => {
  const dir = tempDir();
  try {
    const failing = await openWavFileSink(join(dir, 'fail.wav'), FORMAT);
    async function* broken(): AsyncGenerator<Buffer> {
      yield pcm(10);
      throw new Error('connection dropped');
    }
    await assert.rejects(pipeToSink(broken(), failing), /connection dropped/);
    assert.deepEqual(readdirSync(dir), []);

    const controller = new AbortController();
    const kept = await openWavFileSink(join(dir, 'kept.wav'), FORMAT);
    async function* interrupted(): AsyncGenerator<Buffer> {
      yield pcm(100);
      controller.abort(new Error('Interrupted'));
      yield pcm(100);
    }
    await assert.rejects(pipeToSink(interrupted(), kept, controller.signal), /Interrupted/);
    assert.equal(readFileSync(join(dir, 'kept.wav')).readUInt32LE(40), 100);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('stream sink: WAV gets a streaming header, backpressure is honoured', async () => {
  const received: Buffer[] = [];
  let pending = 0;
  const slow = new Writable({
    highWaterMark: 16,
    write(chunk: Buffer, _encoding, callback) {
      received.push(chunk);
      pending++;
      setImmediate(() => {
        pending--;
        callback();
      });
    },
  });
  const sink = new StreamSink({ stream: slow, wav: FORMAT });
  for (let i = 0; i < 20; i++) {
    await sink.write(pcm(64, i));
    // Each write resolves only once the stream is below its high-water mark again.
    assert.ok(slow.writableLength <= 64, `buffered ${slow.writableLength}`);
  }
  await sink.end();
  assert.equal(pending, 0);
  const all = Buffer.concat(received);
  assert.deepEqual(all.subarray(0, 44), streamingWavHeader(FORMAT));
  assert.equal(all.length, 44 + 20 * 64);
});

test('stream sink: a WAV with no audio is still a header', async () => {
  const out = new PassThrough();
  const sink = new StreamSink({ stream: out, wav: FORMAT });
  await sink.end();
  assert.deepEqual(out.read(), streamingWavHeader(FORMAT));
});

test('stream sink: EPIPE when the reader goes away ends quietly', async () => {
  const broken = new Writable({
    write(_chunk, _encoding, callback) {
      const error = Object.assign(new Error('write EPIPE'), { code: 'EPIPE' });
      callback(error);
    },
  });
  const sink = new StreamSink({ stream: broken });
  await sink.write(pcm(10));
  await sink.write(pcm(10));
  assert.equal(sink.readerGone, true);
  await sink.end();
});

test('stdout sink in a real process: `| head -c` closing the pipe early exits 0 with no error output', async () => {
  const script = `
    import { openStdoutSink } from ${JSON.stringify(new URL('../../src/audio/stdout-sink.ts', import.meta.url).href)};
    const sink = openStdoutSink({ wav: { sampleRateHertz: 24000, channels: 1, bitsPerSample: 16 } });
    const chunk = Buffer.alloc(65536, 1);
    for (let i = 0; i < 2000 && !sink.readerGone; i++) await sink.write(chunk);
    await sink.end();
    process.stderr.write(sink.readerGone ? 'gone' : 'not gone');
  `;
  const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr.setEncoding('utf8').on('data', (text: string) => (stderr += text));
  // Read a little, then close our end of the pipe, as `head -c 100` would.
  await new Promise<void>((resolve) => child.stdout.once('data', () => resolve()));
  child.stdout.destroy();
  const code = await new Promise<number | null>((resolve) => child.once('exit', (exitCode) => resolve(exitCode)));
  assert.equal(code, 0, stderr);
  assert.equal(stderr, 'gone');
});

test('tee sink writes every chunk to every sink and ends them all', async () => {
  const dir = tempDir();
  try {
    const wav = await openWavFileSink(join(dir, 'a.wav'), FORMAT);
    const out = new PassThrough();
    const collected: Buffer[] = [];
    out.on('data', (chunk: Buffer) => collected.push(chunk));
    const tee = new TeeSink([wav, new StreamSink({ stream: out })]);
    await pipeToSink(chunks(pcm(10, 1), pcm(20, 2)), tee);
    assert.deepEqual(readFileSync(join(dir, 'a.wav')).subarray(44), Buffer.concat([pcm(10, 1), pcm(20, 2)]));
    assert.deepEqual(Buffer.concat(collected), Buffer.concat([pcm(10, 1), pcm(20, 2)]));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('FileSink.open is the shared constructor', () => {
  assert.equal(typeof FileSink.open, 'function');
});

test('tee: a best-effort sink that fails is dropped and reported; a required one fails the write', async () => {
  const written: Buffer[] = [];
  const good = {
    write: async (chunk: Buffer) => void written.push(chunk),
    end: async () => undefined,
    interrupt: async () => undefined,
    abort: async () => undefined,
  };
  let aborted = 0;
  const failing = {
    write: async () => {
      throw new Error('player died');
    },
    end: async () => undefined,
    interrupt: async () => undefined,
    abort: async () => void aborted++,
  };
  const dropped: unknown[] = [];
  const tee = new TeeSink([good, failing], { bestEffort: [failing], onDrop: (_sink, error) => dropped.push(error) });
  await tee.write(pcm(4));
  await tee.write(pcm(4));
  await tee.end();
  assert.equal(written.length, 2);
  assert.equal(aborted, 1);
  assert.equal(dropped.length, 1);
  const strict = new TeeSink([good, failing]);
  await assert.rejects(strict.write(pcm(4)), /player died/);
});

test('stdout redirected into a file (`> out.wav`) gets real WAV sizes; `>>` keeps the streaming header', async () => {
  const dir = tempDir();
  try {
    const script = `
      import { openStdoutSink } from ${JSON.stringify(new URL('../../src/audio/stdout-sink.ts', import.meta.url).href)};
      const sink = openStdoutSink({ wav: { sampleRateHertz: 24000, channels: 1, bitsPerSample: 16 } });
      await sink.write(Buffer.alloc(1000, 3));
      await sink.write(Buffer.alloc(234, 4));
      await sink.end();
    `;
    const run = (shellRedirect: string) =>
      new Promise<void>((resolve, reject) => {
        const child = spawn('/bin/sh', ['-c', `"$NODE" --import tsx --input-type=module -e "$SCRIPT" ${shellRedirect}`], {
          env: { ...process.env, NODE: process.execPath, SCRIPT: script },
          stdio: ['ignore', 'ignore', 'inherit'],
        });
        child.once('exit', (code) => (code === 0 ? resolve() : reject(new Error(`exit ${code}`))));
      });
    await run(`> '${join(dir, 'out.wav')}'`);
    const file = readFileSync(join(dir, 'out.wav'));
    assert.equal(file.length, 44 + 1234);
    assert.deepEqual(file.subarray(0, 44), wavHeader({ ...FORMAT, dataBytes: 1234 }));
    writeFileSync(join(dir, 'appended.wav'), '');
    await run(`>> '${join(dir, 'appended.wav')}'`);
    assert.deepEqual(readFileSync(join(dir, 'appended.wav')).subarray(0, 44), streamingWavHeader(FORMAT));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a device or FIFO target is written directly, never replaced by a rename', async () => {
  const sink = await openWavFileSink('/dev/null', FORMAT);
  assert.equal(sink.canRewind, false);
  assert.equal(isRewindable(sink), false);
  await sink.write(pcm(100));
  await assert.rejects(sink.truncate(0), /cannot be rewound/);
  await sink.end();
  const { statSync } = await import('node:fs');
  assert.ok(statSync('/dev/null').isCharacterDevice(), '/dev/null is still a device');

  const dir = tempDir();
  try {
    const fifo = join(dir, 'pipe.wav');
    const { execFileSync } = await import('node:child_process');
    execFileSync('mkfifo', [fifo]);
    const reader = spawn('/bin/cat', [fifo], { stdio: ['ignore', 'pipe', 'inherit'] });
    const received: Buffer[] = [];
    reader.stdout.on('data', (chunk: Buffer) => received.push(chunk));
    const readerDone = new Promise((resolve) => reader.once('exit', resolve));
    const toFifo = await openWavFileSink(fifo, FORMAT);
    await toFifo.write(pcm(10));
    await toFifo.end();
    await readerDone;
    const bytes = Buffer.concat(received);
    assert.deepEqual(bytes.subarray(0, 44), streamingWavHeader(FORMAT));
    assert.deepEqual(bytes.subarray(44), pcm(10));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('writing through a symlink replaces the file it points to and keeps the link', async () => {
  const dir = tempDir();
  try {
    const { symlinkSync, lstatSync } = await import('node:fs');
    mkdirSync(join(dir, 'real'));
    writeFileSync(join(dir, 'real', 'file.wav'), 'old');
    symlinkSync(join(dir, 'real', 'file.wav'), join(dir, 'link.wav'));
    const sink = await openWavFileSink(join(dir, 'link.wav'), FORMAT);
    await sink.write(pcm(20));
    await sink.end();
    assert.ok(lstatSync(join(dir, 'link.wav')).isSymbolicLink());
    assert.equal(readFileSync(join(dir, 'real', 'file.wav')).readUInt32LE(40), 20);
    assert.deepEqual(readdirSync(join(dir, 'real')), ['file.wav']);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
