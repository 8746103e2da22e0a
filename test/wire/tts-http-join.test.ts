// Long text in FLAC and Ogg Opus over HTTP: the parts come out joined into one stream, from the
// streaming call (with the STREAMINFO patch on its last chunk) and from the unary one alike.
import { test, after, before } from 'node:test';
import assert from 'node:assert/strict';
import { InworldClient } from '../../src/core/client.js';
import { measureDuration } from '../../src/audio/duration-meter.js';
import { startEmulator, type RunningEmulator } from '../../src/emulator/index.js';
import { synthesize, synthesizeStream } from '../../src/tts/http.js';
import type { SynthesisChunk } from '../../src/tts/http-types.js';

let emulator: RunningEmulator;
before(async () => {
  emulator = await startEmulator({ port: 0, engine: 'synthetic', quiet: true });
});
after(async () => {
  await emulator?.close();
});

function client(): InworldClient {
  return new InworldClient({ apiKey: 'k', baseUrl: emulator.url, env: {}, configPath: null, timeoutMs: 5000, maxRetries: 1 });
}

const TEXT = 'The first part is here. A second part follows it. Then a third one. And the last part ends it.';
const RATE = 24000;
const count = (bytes: Buffer, marker: string): number => bytes.toString('latin1').split(marker).length - 1;

for (const [encoding, container] of [['FLAC', 'flac'], ['OGG_OPUS', 'ogg_opus']] as const) {
  test(`${encoding}: a long text's parts are one stream, streamed or unary`, async () => {
    const options = { text: TEXT, timestampType: 'WORD' as const, audioConfig: { audioEncoding: encoding, sampleRateHertz: RATE } };
    const chunks: SynthesisChunk[] = [];
    for await (const chunk of synthesizeStream(client(), options, { maxTextChars: 30 })) chunks.push(chunk);
    assert.ok(new Set(chunks.map((chunk) => chunk.part)).size >= 3, 'several parts');
    const streamed = Buffer.concat(chunks.flatMap((chunk) => (chunk.audio ? [chunk.audio] : [])));
    const patches = chunks.filter((chunk) => chunk.headerPatch);
    if (encoding === 'FLAC') {
      assert.equal(count(streamed, 'fLaC'), 1);
      assert.equal(patches.length, 1);
      assert.equal(chunks.at(-1), patches[0], 'the patch comes with the last chunk');
      patches[0]!.headerPatch!.bytes.copy(streamed, patches[0]!.headerPatch!.offset);
    } else {
      assert.equal(count(streamed, 'OpusHead'), 1);
      assert.equal(patches.length, 0);
    }
    const seconds = measureDuration(container, RATE, streamed);
    const words = chunks.flatMap((chunk) => chunk.timestamps?.words ?? []);
    assert.equal(words.length, TEXT.split(' ').length);
    for (let i = 1; i < words.length; i += 1) assert.ok(words[i]!.start >= words[i - 1]!.end - 1e-9, `${words[i - 1]!.text} -> ${words[i]!.text}`);
    assert.ok(words.at(-1)!.end <= seconds + 1e-6, `last word ends ${words.at(-1)!.end} s, audio ${seconds} s`);

    const unary = await synthesize(client(), options, { maxTextChars: 30 });
    assert.equal(unary.parts, new Set(chunks.map((chunk) => chunk.part)).size);
    if (encoding === 'FLAC') assert.ok(unary.audio.equals(streamed), 'the unary call joins the same way, its header patched');
    // (Ogg pages are cut where the encoder was fed, so only the packets agree.)
    else assert.equal(count(unary.audio, 'OpusHead'), 1);
    assert.equal(measureDuration(container, RATE, unary.audio), seconds);
    assert.equal(unary.durationSeconds, seconds);
    assert.deepEqual(unary.timestamps?.words?.map((word) => word.start), words.map((word) => word.start));
  });
}
