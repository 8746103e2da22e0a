// The book pipeline against the emulator on a real socket: parts synthesized concurrently into a
// work directory, resumed after an interruption with only the missing parts requested, assembled
// byte-identically, and chaptered outputs that ffprobe reads the chapters of.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, beforeEach, describe, test } from 'node:test';
import { assembleBook, serverEncodingFor, type BookContainer } from '../../src/book/assemble.js';
import { bookTextHash, planBook, type BookPlan } from '../../src/book/plan.js';
import { synthesizeParts } from '../../src/book/synthesize-parts.js';
import { WorkDir } from '../../src/book/work-dir.js';
import type { Book } from '../../src/book/book.js';
import { InworldClient } from '../../src/core/client.js';
import { ValidationError } from '../../src/core/errors.js';
import { startEmulator, type RunningEmulator } from '../../src/emulator/index.js';
import { findExecutable } from '../../src/audio/find-executable.js';
import { testBook } from '../helpers/book-fixture.js';
import { needs } from '../helpers/needs.js';

/** Small parts keep the audio short: a few parts per chapter with little text. */
const PART_CHARS = 300;
const KEY = 'Ym9vay10ZXN0OnNlY3JldA==';
let emulator: RunningEmulator;
let client: InworldClient;
let dir: string;

before(async () => {
  emulator = await startEmulator({ port: 0, engine: 'synthetic' });
  client = new InworldClient({ apiKey: KEY, baseUrl: emulator.url, wsUrl: emulator.wsUrl, configPath: null, env: {}, maxRetries: 0 });
  dir = mkdtempSync(join(tmpdir(), 'inworld-book-'));
});
after(async () => {
  await emulator.close();
});
beforeEach(() => {
  emulator.faults.clear();
  emulator.requests.clear();
});

function requests(): number {
  return emulator.requests.find('/tts/v1/voice').length;
}

function plan(book: Book, container: BookContainer, extra: Record<string, unknown> = {}): BookPlan {
  return planBook(book, book.chapters, { voiceId: 'Ashley', modelId: 'inworld-tts-2', audioConfig: { audioEncoding: serverEncodingFor(container), sampleRateHertz: 16_000 }, ...extra }, PART_CHARS);
}

async function render(book: Book, container: BookContainer, name: string, work = join(dir, `${name}.parts`)) {
  const bookPlan = plan(book, container, { timestampType: 'WORD' });
  const workDir = await WorkDir.open(work, { source: 'book.txt', textHash: bookTextHash(book.chapters) });
  const summary = await synthesizeParts(client, bookPlan, workDir, { concurrency: 4 });
  const output = join(dir, `${name}.${container}`);
  const result = await assembleBook({ plan: bookPlan, work: workDir, container, output, subtitles: join(dir, `${name}.srt`), ffmpeg: findExecutable('ffmpeg') });
  return { summary, output, result, plan: bookPlan };
}

function ffprobeChapters(path: string): Array<{ title: string; start: number; end: number }> {
  const json = JSON.parse(execFileSync('ffprobe', ['-v', 'error', '-show_chapters', '-of', 'json', path], { encoding: 'utf8' })) as {
    chapters: Array<{ start_time: string; end_time: string; tags?: { title?: string } }>;
  };
  return json.chapters.map((chapter) => ({ title: chapter.tags?.title ?? '', start: Number(chapter.start_time), end: Number(chapter.end_time) }));
}

describe('book synthesis', () => {
  test('each chapter is split into parts; every part is one request; the work directory reuses them all', async () => {
    const book = testBook(3, 10);
    const first = await render(book, 'mp3', 'reuse');
    assert.equal(first.plan.chapters.length, 3);
    assert.ok(first.plan.chapters.every((chapter) => chapter.parts >= 2), 'every chapter needs more than one request');
    assert.equal(requests(), first.plan.keys.length);
    assert.equal(first.summary.synthesized, first.plan.keys.length);
    const bytes = readFileSync(first.output);
    emulator.requests.clear();
    const again = await render(book, 'mp3', 'reuse');
    assert.equal(requests(), 0, 'a finished book requests nothing again');
    assert.equal(again.summary.reused, first.plan.keys.length);
    assert.deepEqual(readFileSync(again.output), bytes);
  });

  test('an interrupted run resumes with only the missing parts, and the result is byte-identical to a clean run', async () => {
    const book = testBook(3, 10);
    const clean = await render(book, 'wav', 'clean');
    const total = clean.plan.keys.length;
    emulator.requests.clear();

    const work = await WorkDir.open(join(dir, 'resumed.parts'), { source: 'book.txt', textHash: bookTextHash(book.chapters) });
    const bookPlan = plan(book, 'wav', { timestampType: 'WORD' });
    const controller = new AbortController();
    let stored = 0;
    await assert.rejects(
      synthesizeParts(client, bookPlan, work, {
        concurrency: 2,
        signal: controller.signal,
        onEvent: (event) => {
          if (event.type === 'part' && ++stored === 3) controller.abort(new Error('interrupted'));
        },
      }),
    );
    const firstRunRequests = requests();
    const present = readdirSync(join(dir, 'resumed.parts', 'parts')).filter((name) => name.endsWith('.part')).length;
    // The part that finished as the abort came may be stored too: at most the one other in flight.
    assert.ok(present >= 3 && present <= 4, `the parts finished before the interruption are stored (${present})`);
    assert.ok(present < total);
    emulator.requests.clear();
    const resumed = await render(book, 'wav', 'resumed');
    assert.equal(requests(), total - present, `the re-run requests only the ${total - present} missing parts (first run sent ${firstRunRequests})`);
    assert.deepEqual(readFileSync(resumed.output), readFileSync(clean.output));
    assert.equal(readFileSync(join(dir, 'resumed.srt'), 'utf8'), readFileSync(join(dir, 'clean.srt'), 'utf8'));
  });

  test('an edited chapter or another voice re-synthesizes only the parts it changes', async () => {
    const book = testBook(3, 10);
    const first = await render(book, 'mp3', 'edit');
    emulator.requests.clear();
    const edited: Book = { ...book, chapters: book.chapters.map((chapter) => (chapter.number === 2 ? { ...chapter, text: `${chapter.text} One more sentence.` } : chapter)) };
    await render(edited, 'mp3', 'edit');
    assert.equal(requests(), 1, 'only the last part of chapter 2 changed');
    assert.ok(first.plan.keys.length > 1);
  });

  test('a work directory made for another book is refused before any request', async () => {
    const work = join(dir, 'other.parts');
    await WorkDir.open(work, { source: 'one.epub', textHash: 'a' });
    await assert.rejects(WorkDir.open(work, { source: 'two.epub', textHash: 'b' }), (error: unknown) => {
      assert.ok(error instanceof ValidationError);
      assert.match(error.message, /was made for another book \(one\.epub\).*pass another --work-dir or delete it/);
      return true;
    });
  });

  test('a failed part fails its chapter only: the others finish and stay stored', async () => {
    const book = testBook(3, 10);
    const bookPlan = plan(book, 'wav');
    const failing = bookPlan.chapters[1]!.firstPart; // one request at a time: request n is part n
    emulator.faults.add({ path: '/tts/v1/voice', skip: failing, times: 1, action: { type: 'status', status: 500 } });
    const work = await WorkDir.open(join(dir, 'failing.parts'), { source: 'book.txt', textHash: bookTextHash(book.chapters) });
    const summary = await synthesizeParts(client, bookPlan, work, { concurrency: 1 });
    assert.deepEqual(summary.failed.map((failure) => failure.chapterIndex), [1]);
    assert.equal(summary.synthesized, bookPlan.keys.length - 1);
    emulator.requests.clear();
    const again = await synthesizeParts(client, bookPlan, work, { concurrency: 1 });
    assert.deepEqual(again.failed, []);
    assert.equal(requests(), 1, 'the re-run requests only the failed part');
  });
});

describe('chapter markers ffprobe reads', { skip: needs('ffprobe', 'ffmpeg') }, () => {
  for (const container of ['mp3', 'm4b', 'wav'] as const) {
    test(`${container}: one chapter per book chapter, titled, in order, back to back`, async () => {
      const book = testBook(3, 10);
      const { output, result } = await render(book, container, `markers-${container}`);
      const chapters = ffprobeChapters(output);
      assert.deepEqual(chapters.map((chapter) => chapter.title), book.chapters.map((chapter) => chapter.title));
      assert.equal(chapters[0]!.start, 0);
      for (let index = 1; index < chapters.length; index += 1) assert.ok(Math.abs(chapters[index]!.start - chapters[index - 1]!.end) < 0.002);
      for (const [index, chapter] of chapters.entries()) assert.ok(Math.abs(chapter.start - result.chapters[index]!.startSeconds) < 0.002, `${container} chapter ${index + 1} starts where it was written`);
      assert.ok(chapters.at(-1)!.end > 5, 'the chapters cover the audio');
      console.log(`ffprobe ${container}: ${JSON.stringify(chapters)}`);
    });
  }
});
