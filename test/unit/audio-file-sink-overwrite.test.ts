// FileSink.overwrite: header fields known only at the end (a joined FLAC's STREAMINFO totals) are
// written over bytes already accepted, in order with the writes still waiting for the disk.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openRawFileSink, openWavFileSink } from '../../src/audio/file-sink.js';

test('file sink: overwrite patches bytes already written, even those still waiting, and refuses past the end', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'inworld-overwrite-'));
  try {
    const path = join(dir, 'out.flac');
    const sink = await openRawFileSink(path);
    const first = Buffer.alloc(300_000, 1); // more than the sink lets wait: part of it is still queued
    void sink.write(first);
    void sink.write(Buffer.alloc(10, 2));
    await assert.rejects(sink.overwrite(300_005, Buffer.alloc(6)), RangeError);
    await sink.overwrite(8, Buffer.from('patched'));
    await sink.write(Buffer.from('tail'));
    await sink.end();
    const written = readFileSync(path);
    const expected = Buffer.concat([first, Buffer.alloc(10, 2), Buffer.from('tail')]);
    Buffer.from('patched').copy(expected, 8);
    assert.ok(written.equals(expected));
    await assert.rejects(sink.overwrite(0, Buffer.alloc(1)), /after it was finished/);

    // A WAV sink counts offsets in audio bytes, after its header.
    const wavPath = join(dir, 'out.wav');
    const wav = await openWavFileSink(wavPath, { sampleRateHertz: 8000, channels: 1, bitsPerSample: 16 });
    await wav.write(Buffer.alloc(8));
    await wav.overwrite(2, Buffer.from([7, 7]));
    await wav.end();
    assert.deepEqual([...readFileSync(wavPath).subarray(44)], [0, 0, 7, 7, 0, 0, 0, 0]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
