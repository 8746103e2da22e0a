// ResumableSpeech against the emulator on a real socket: a connection dropped mid-sentence (the
// emulator's tts-drop fault) is spliced out of the output, so it equals an undisturbed run; the
// books (byte offsets, measured seconds, words) follow the rewind, or count the replay when the
// consumer cannot rewind.
import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import { InworldClient } from '../../src/core/client.js';
import { APIError, ConnectionError } from '../../src/core/errors.js';
import type { RunningEmulator } from '../../src/emulator/index.js';
import { Inworld } from '../../src/index.js';
import { TtsPool } from '../../src/tts/pool.js';
import { ResumableSpeech, type ResumableSpeechOptions, type SpeechEvent, type SpokenWord } from '../../src/tts/resumable-speech.js';
import { TEST_API_KEY, TTS_WS_PATH, startTtsEmulator } from '../emulator/tts-ws-helpers.js';

let emulator: RunningEmulator;
let client: InworldClient;
let pool: TtsPool;
before(async () => {
  emulator = await startTtsEmulator();
  client = new InworldClient({ apiKey: TEST_API_KEY, baseUrl: emulator.url, wsUrl: emulator.wsUrl, configPath: null, env: {} });
});
after(async () => {
  await emulator.close();
});
beforeEach(async () => {
  emulator.faults.clear();
  await freshPool();
});

/** Faults match a handshake: a fault meant for the next run needs a pool with no warm connection. */
async function freshPool(): Promise<void> {
  await pool?.close();
  pool = new TtsPool(client);
}

function dropAfterChunks(afterChunks: number, times = 1): void {
  emulator.faults.add({ protocol: 'ws', times, action: { type: 'custom', name: 'tts-drop', params: { afterChunks } } });
}

/** PCM at 16 kHz: 32 000 bytes a second, so byte counts and seconds check each other exactly. */
const OPTIONS = { audioConfig: { audioEncoding: 'PCM' as const, sampleRateHertz: 16000 }, timestampType: 'WORD' as const };
const SENTENCES = ['The first sentence is here.', 'A second one follows it.', 'Then a third, a little longer than the others.', 'And the fourth ends it.'];

async function* source(sentences: string[]): AsyncGenerator<string> {
  for (const sentence of sentences) yield sentence;
}

interface Run {
  speech: ResumableSpeech;
  events: SpeechEvent[];
  /** The output as a rewinding consumer keeps it (or, without rewind, everything given). */
  output: Buffer;
  sent: Array<[number, string]>;
}

async function speakInto(sentences: string[], options: ResumableSpeechOptions = {}): Promise<Run> {
  const speech = new ResumableSpeech(pool, OPTIONS, { keepWords: true, ...options });
  const events: SpeechEvent[] = [];
  const sent: Array<[number, string]> = [];
  let output = Buffer.alloc(0);
  const consume = async () => {
    for await (const event of speech) {
      events.push(event);
      if (event.type === 'audio') {
        assert.equal(event.offsetBytes, output.length, 'each chunk lands at the end of the output');
        output = Buffer.concat([output, event.audio]);
      } else if (event.type === 'sentenceEnd') {
        assert.equal(event.bytes, output.length);
      } else if (options.rewind !== false) {
        output = output.subarray(0, event.rewindToBytes);
      }
      assert.equal(speech.bytes, output.length, 'the books follow the output');
    }
  };
  await Promise.all([speech.speakAll(source(sentences), (index, text) => sent.push([index, text])), consume()]);
  return { speech, events, output, sent };
}

function restarts(events: SpeechEvent[]): Array<Extract<SpeechEvent, { type: 'restart' }>> {
  return events.flatMap((event) => (event.type === 'restart' ? [event] : []));
}

/** Bytes given for a sentence before the first restart: what the rewind must take back. */
function bytesBeforeRestart(events: SpeechEvent[]): number {
  const at = events.findIndex((event) => event.type === 'restart');
  return events.slice(0, at).reduce((sum, event) => sum + (event.type === 'audio' ? event.audio.length : 0), 0);
}

/** The same words at the same times (offsets added in another order differ in the last bits). */
function assertSameWords(actual: readonly SpokenWord[], expected: readonly SpokenWord[]): void {
  assert.deepEqual(
    actual.map((word) => [word.sentence, word.text]),
    expected.map((word) => [word.sentence, word.text]),
  );
  actual.forEach((word, i) => {
    assert.ok(Math.abs(word.start - expected[i]!.start) < 1e-9 && Math.abs(word.end - expected[i]!.end) < 1e-9, `word ${i} at the same time`);
  });
}

describe('ResumableSpeech across a dropped connection', () => {
  it('splices a dropped connection out: the rewound output equals an undisturbed run', async () => {
    const clean = await speakInto(SENTENCES);
    await freshPool();
    const connections = emulator.requests.find(TTS_WS_PATH).length;
    dropAfterChunks(12);
    const dropped = await speakInto(SENTENCES);
    assert.equal(emulator.requests.find(TTS_WS_PATH).length, connections + 2, 'the dropped connection and its replacement');
    const [restart, ...more] = restarts(dropped.events);
    assert.ok(restart, 'the drop was reported');
    assert.equal(more.length, 0);
    assert.ok(restart.error instanceof ConnectionError, String(restart.error));
    assert.equal(restart.attempt, 1);
    assert.ok(restart.rewindToBytes < bytesBeforeRestart(dropped.events), 'part of a sentence was taken back');
    const done = dropped.events.filter((event) => event.type === 'sentenceEnd');
    assert.equal(restart.rewindToBytes, restart.fromSentence === 0 ? 0 : (done[restart.fromSentence - 1] as { bytes: number }).bytes);
    assert.ok(dropped.output.equals(clean.output), 'no gap, no duplicate');
    assert.equal(dropped.speech.bytes, clean.speech.bytes);
    assert.equal(dropped.speech.seconds, clean.speech.seconds);
    assertSameWords(dropped.speech.words, clean.speech.words);
  });

  it('without rewind, counts the restarted sentence again but keeps its words once', async () => {
    const clean = await speakInto(SENTENCES);
    await freshPool();
    dropAfterChunks(12);
    const replayed = await speakInto(SENTENCES, { rewind: false });
    const [restart] = restarts(replayed.events);
    assert.ok(restart);
    const replayedBytes = bytesBeforeRestart(replayed.events) - restart.rewindToBytes;
    assert.ok(replayedBytes > 0);
    assert.equal(replayed.output.length, clean.output.length + replayedBytes, 'the part given twice is counted');
    assert.equal(replayed.speech.bytes, replayed.output.length);
    assert.equal(replayed.speech.seconds, replayed.output.length / 32_000);
    assertSameWords(replayed.speech.words, clean.speech.words);
  });

  it('gives up after maxRetries lost connections, with the connection error', async () => {
    dropAfterChunks(1, 3);
    const speech = new ResumableSpeech(pool, OPTIONS, { maxRetries: 1 });
    const events: SpeechEvent[] = [];
    const consume = async () => {
      for await (const event of speech) events.push(event);
    };
    const [, consumed] = await Promise.allSettled([speech.speakAll(source(SENTENCES)), consume()]);
    assert.equal(consumed.status, 'rejected');
    assert.ok((consumed as PromiseRejectedResult).reason instanceof ConnectionError);
    assert.equal(restarts(events).length, 1);
  });

  it('does not retry a status error: that is the server answering about the text', async () => {
    emulator.faults.add({ protocol: 'ws', times: 1, action: { type: 'custom', name: 'tts-status', params: { afterChunks: 3, code: 13, message: 'synthesis failed' } } });
    const speech = new ResumableSpeech(pool, OPTIONS);
    const events: SpeechEvent[] = [];
    const consume = async () => {
      for await (const event of speech) events.push(event);
    };
    const [, consumed] = await Promise.allSettled([speech.speakAll(source(SENTENCES)), consume()]);
    assert.equal(consumed.status, 'rejected');
    assert.ok((consumed as PromiseRejectedResult).reason instanceof APIError);
    assert.equal(restarts(events).length, 0);
    assert.ok(speech.bytes > 0, 'the audio before the error is counted');
  });
});

describe('ResumableSpeech: speaking and feeding', () => {
  it('speaks every sentence in order, with offsets, measured seconds and the words', async () => {
    const { speech, events, output, sent } = await speakInto(SENTENCES);
    assert.deepEqual(sent, SENTENCES.map((text, index) => [index, text]));
    assert.deepEqual(events.filter((event) => event.type === 'sentenceEnd').map((event) => event.sentence), [0, 1, 2, 3]);
    assert.equal(restarts(events).length, 0);
    assert.ok(output.length > 32_000, 'a few seconds of audio');
    assert.equal(speech.sentencesDone, 4);
    assert.equal(speech.seconds, output.length / 32_000);
    assert.equal(speech.words.at(-1)?.text, 'it.');
    assert.deepEqual([...new Set(speech.words.map((word) => word.sentence))], [0, 1, 2, 3]);
  });

  it('skips sentences without words, which may bring no audio and would shift the count', async () => {
    const { speech, events, sent } = await speakInto(['Hello there.', '...', '—', 'Goodbye now.']);
    assert.deepEqual(sent, [
      [0, 'Hello there.'],
      [1, 'Goodbye now.'],
    ]);
    assert.equal(speech.sentenceCount, 2);
    assert.equal(events.filter((event) => event.type === 'sentenceEnd').length, 2);
  });

  it('with no words at all, cancels without a sentence or a byte', async () => {
    const { speech, events } = await speakInto(['...', '!?']);
    assert.equal(speech.sentenceCount, 0);
    assert.deepEqual(events, []);
  });

  it('a failing source cancels the speech and rethrows', async () => {
    const speech = new ResumableSpeech(pool, OPTIONS);
    async function* broken(): AsyncGenerator<string> {
      yield 'One sentence.';
      throw new Error('input broke');
    }
    const consume = async () => {
      for await (const _event of speech);
    };
    const [fed, consumed] = await Promise.allSettled([speech.speakAll(broken()), consume()]);
    assert.equal(fed.status, 'rejected');
    assert.match(String((fed as PromiseRejectedResult).reason), /input broke/);
    assert.equal(consumed.status, 'fulfilled', 'a cancelled speech ends its iterator quietly');
  });

  it('is what inworld.tts.resumableSpeech() returns, on the client pool', async () => {
    const inworld = new Inworld({ apiKey: TEST_API_KEY, baseUrl: emulator.url, env: {}, configPath: null });
    try {
      const speech = inworld.tts.resumableSpeech(OPTIONS);
      const chunks: Buffer[] = [];
      const consume = async () => {
        for await (const event of speech) if (event.type === 'audio') chunks.push(event.audio);
      };
      await Promise.all([speech.speakAll(source(['Through the client.'])), consume()]);
      assert.equal(Buffer.concat(chunks).length, speech.bytes);
      assert.ok(speech.bytes > 0);
      assert.equal(inworld.tts.pool.stats().connections, 1);
    } finally {
      await inworld.close();
    }
  });
});
