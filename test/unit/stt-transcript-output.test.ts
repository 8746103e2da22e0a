// How transcription events are shown and saved: the live display (interims only on a terminal,
// rewritten in place), the voice-profile line, and captions with and without word timestamps.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { TranscriptDisplay } from '../../src/cli/transcription/transcript-display.js';
import { formatVoiceProfile } from '../../src/cli/transcription/transcript-format.js';
import { renderTranscriptCaptions } from '../../src/cli/transcription/transcript-output.js';
import type { SttEvent } from '../../src/stt/events.js';

function sink(isTTY: boolean) {
  const chunks: string[] = [];
  return { isTTY, columns: 40, chunks, write: (text: string) => (chunks.push(text), true) } as unknown as NodeJS.WritableStream & { isTTY: boolean; columns: number; chunks: string[] };
}

const EVENTS: SttEvent[] = [
  { type: 'speech_started', startTimeMs: 100 },
  { type: 'interim', text: 'hello', words: [] },
  { type: 'interim', text: 'hello there', words: [] },
  { type: 'speech_stopped', silenceDurationMs: 200 },
  {
    type: 'final',
    turn: 1,
    text: 'Hello there.',
    words: [],
    voiceProfile: { age: [{ label: 'adult', confidence: 0.9 }], vocalStyle: [{ label: 'normal', confidence: 0.8 }, { label: 'whispering', confidence: 0.1 }] },
  },
  { type: 'final', turn: 2, text: '', words: [] },
];

test('on a terminal: interims rewrite one stderr line, cleared before the final; finals on stdout', () => {
  const stdout = sink(false);
  const stderr = sink(true);
  const display = new TranscriptDisplay({ json: false, voiceProfile: true, quiet: false, stdout, stderr });
  for (const event of EVENTS) display.show(event);
  display.finish();
  assert.deepEqual((stdout as any).chunks, ['Hello there.\n']);
  const err = (stderr as any).chunks.join('');
  assert.match(err, /\r\x1b\[2K\x1b\[2mhello\x1b\[0m\r\x1b\[2K\x1b\[2mhello there\x1b\[0m\r\x1b\[2K/);
  assert.match(err, /voice: age adult 0\.90, vocal style normal 0\.80 \/ whispering 0\.10\n/);
});

test('on a terminal without colour (NO_COLOR): interims still rewrite the line, undimmed', () => {
  const stderr = sink(true);
  const display = new TranscriptDisplay({ json: false, voiceProfile: false, quiet: false, stdout: sink(false), stderr, color: false });
  for (const event of EVENTS) display.show(event);
  display.finish();
  const err = (stderr as any).chunks.join('');
  assert.match(err, /\r\x1b\[2Khello\r\x1b\[2Khello there\r\x1b\[2K/);
  assert.ok(!err.includes('\x1b[2m'), 'no dim escape');
});

test('not a terminal: no interims at all; --no-voice-profile hides the profile; empty finals print nothing', () => {
  const stdout = sink(false);
  const stderr = sink(false);
  const display = new TranscriptDisplay({ json: false, voiceProfile: false, quiet: false, stdout, stderr });
  for (const event of EVENTS) display.show(event);
  assert.deepEqual((stdout as any).chunks, ['Hello there.\n']);
  assert.deepEqual((stderr as any).chunks, []);
});

test('--json: every event, one object per line', () => {
  const stdout = sink(false);
  const display = new TranscriptDisplay({ json: true, voiceProfile: true, quiet: false, stdout, stderr: sink(false) });
  for (const event of EVENTS) display.show(event);
  const lines = (stdout as any).chunks.join('').trim().split('\n').map((line: string) => JSON.parse(line));
  assert.deepEqual(lines.map((e: { type: string }) => e.type), ['speech_started', 'interim', 'interim', 'speech_stopped', 'final', 'final']);
});

test('profile categories in the contract order, unknown ones after', () => {
  assert.equal(
    formatVoiceProfile({ gender: [{ label: 'x', confidence: 0.5 }], accent: [{ label: 'en-GB', confidence: 0.7 }], age: [{ label: 'old', confidence: 0.6 }] }),
    'age old 0.60, accent en-GB 0.70, gender x 0.50',
  );
});

test('captions: word timestamps when every final has them, else turn timing from speech starts', async () => {
  const withWords: SttEvent[] = [
    { type: 'final', turn: 1, text: 'Hi there.', words: [{ word: 'Hi', startMs: 500, endMs: 700 }, { word: 'there.', startMs: 700, endMs: 1100 }] },
  ];
  assert.equal(await renderTranscriptCaptions('srt', withWords), '1\n00:00:00,500 --> 00:00:01,100\nHi there.\n');
  const without: SttEvent[] = [
    { type: 'speech_started', startTimeMs: 2000 },
    { type: 'final', turn: 1, text: 'No word times here.', words: [] },
  ];
  const vtt = await renderTranscriptCaptions('vtt', without);
  assert.match(vtt, /^WEBVTT\n\n00:00:02\.000 --> 00:00:03\.\d{3}\nNo word times here\.\n$/);
});
