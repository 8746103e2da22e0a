import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import {
  type Cue,
  type WordTiming,
  cuesFromTurns,
  cuesFromWords,
  formatSrt,
  formatVtt,
  renderCaptions,
  renderTurnCaptions,
  wrapLines,
} from '../../src/audio/captions.js';

const TIME = /^(\d{2,}):([0-5]\d):([0-5]\d)([,.])(\d{3})$/;

function parseTime(text: string, separator: string): number {
  const match = TIME.exec(text);
  assert.ok(match, `bad timestamp ${text}`);
  assert.equal(match[4], separator);
  return ((Number(match[1]) * 60 + Number(match[2])) * 60 + Number(match[3])) * 1000 + Number(match[5]);
}

/** A strict reader: throws on anything a player could misread. Returns [start, end, text][]. */
function parseSrt(text: string): Array<[number, number, string[]]> {
  if (text === '') return [];
  assert.ok(text.endsWith('\n'));
  const blocks = text.slice(0, -1).split('\n\n');
  let previousEnd = 0;
  return blocks.map((block, index) => {
    const lines = block.split('\n');
    assert.equal(lines[0], String(index + 1));
    const [from, arrow, to, ...rest] = lines[1]!.split(' ');
    assert.equal(arrow, '-->');
    assert.equal(rest.length, 0);
    const start = parseTime(from!, ',');
    const end = parseTime(to!, ',');
    assert.ok(end > start, `cue ${index + 1} ends at or before its start`);
    assert.ok(start >= previousEnd, `cue ${index + 1} overlaps the previous one`);
    previousEnd = end;
    const textLines = lines.slice(2);
    assert.ok(textLines.length >= 1 && textLines.every((line) => line.trim().length > 0 && !line.includes('-->')));
    return [start, end, textLines];
  });
}

function parseVtt(text: string): Array<[number, number, string[]]> {
  assert.ok(text.startsWith('WEBVTT\n'));
  const rest = text.slice('WEBVTT\n'.length);
  if (rest === '') return [];
  assert.ok(rest.startsWith('\n') && rest.endsWith('\n'));
  let previousEnd = 0;
  return rest
    .slice(1, -1)
    .split('\n\n')
    .map((block) => {
      const lines = block.split('\n');
      const [from, arrow, to] = lines[0]!.split(' ');
      assert.equal(arrow, '-->');
      const start = parseTime(from!, '.');
      const end = parseTime(to!, '.');
      assert.ok(end > start && start >= previousEnd);
      previousEnd = end;
      const textLines = lines.slice(1);
      assert.ok(textLines.length >= 1 && textLines.every((line) => line.trim() && !line.includes('-->') && !/[<>]/.test(line)));
      return [start, end, textLines];
    });
}

function words(text: string, secondsPerWord = 0.3, startAt = 0): WordTiming[] {
  return text.split(' ').map((word, i) => ({ word, start: startAt + i * secondsPerWord, end: startAt + (i + 1) * secondsPerWord - 0.05 }));
}

test('empty input gives valid empty files', () => {
  assert.equal(renderCaptions('srt', []), '');
  assert.equal(renderCaptions('vtt', []), 'WEBVTT\n');
  assert.equal(renderTurnCaptions('vtt', []), 'WEBVTT\n');
  assert.equal(renderCaptions('srt', [{ word: '  ', start: 1, end: 2 }]), '');
});

test('a short sentence is one cue with the words’ times', () => {
  const srt = renderCaptions('srt', [
    { word: 'Hello', start: 0.1, end: 0.5 },
    { word: 'world.', start: 0.6, end: 1.25 },
  ]);
  assert.equal(srt, '1\n00:00:00,100 --> 00:00:01,250\nHello world.\n');
  const vtt = renderCaptions('vtt', [{ word: 'a<b', start: 3661.5, end: 3662 }]);
  assert.equal(vtt, 'WEBVTT\n\n01:01:01.500 --> 01:01:02.000\na&lt;b\n');
});

test('cues break at sentence ends, at ~5 s, and before two 42-char lines overflow', () => {
  const sentences = cuesFromWords(words('One two. Three four.'));
  assert.deepEqual(sentences.map((cue) => cue.lines.join(' ')), ['One two.', 'Three four.']);

  const slow = cuesFromWords(words('a b c d e f g h i j k l', 1));
  for (const cue of slow) assert.ok(cue.endMs - cue.startMs <= 5000, `cue lasts ${cue.endMs - cue.startMs} ms`);
  assert.ok(slow.length >= 3);

  const long = 'the quick brown fox jumps over the lazy dog and keeps running through the forest until night falls on the hills';
  const cues = cuesFromWords(words(long, 0.05));
  assert.ok(cues.length >= 2);
  for (const cue of cues) {
    assert.ok(cue.lines.length <= 2);
    for (const line of cue.lines) assert.ok(line.length <= 42, line);
  }
  assert.equal(cues.map((cue) => cue.lines.join(' ')).join(' '), long);
});

test('punctuation tokens attach to the previous word', () => {
  const cues = cuesFromWords([
    { word: 'Hi', start: 0, end: 0.2 },
    { word: ',', start: 0.2, end: 0.2 },
    { word: 'there', start: 0.3, end: 0.5 },
  ]);
  assert.deepEqual(cues[0]!.lines, ['Hi, there']);
});

test('a long pause starts a new cue', () => {
  const cues = cuesFromWords([
    { word: 'before', start: 0, end: 0.4 },
    { word: 'after', start: 3, end: 3.4 },
  ]);
  assert.equal(cues.length, 2);
});

test('wrapLines balances two lines and refuses what does not fit', () => {
  assert.deepEqual(wrapLines('short', 42, 2), ['short']);
  const two = wrapLines('aaaa bbbb cccc dddd eeee ffff gggg hhhh iiii jjjj', 30, 2)!;
  assert.equal(two.length, 2);
  assert.ok(Math.abs(two[0]!.length - two[1]!.length) <= 5);
  assert.equal(wrapLines('x'.repeat(20) + ' ' + 'y'.repeat(20) + ' ' + 'z'.repeat(20), 25, 2), undefined);
});

test('turn timings become cues within each turn, proportionally timed', () => {
  const cues = cuesFromTurns([
    { text: 'First turn is short.', start: 0, end: 2 },
    { text: 'Second turn is a much longer one that will certainly need more than one cue on screen to be readable.', start: 3, end: 9 },
  ]);
  assert.equal(cues[0]!.lines.join(' '), 'First turn is short.');
  assert.equal(cues[0]!.startMs, 0);
  assert.ok(Math.abs(cues[0]!.endMs - 2000) <= 1);
  assert.ok(cues.length >= 3);
  assert.equal(cues[1]!.startMs, 3000);
  assert.ok(Math.abs(cues.at(-1)!.endMs - 9000) <= 2);
  parseSrt(formatSrt(cues));
  parseVtt(formatVtt(cues));
});

test('property: any word timings (garbage included) give valid SRT and VTT keeping every word', () => {
  const anyTime = fc.oneof(
    fc.double({ min: -10, max: 20_000, noNaN: false }),
    fc.constantFrom(Number.NaN, Number.POSITIVE_INFINITY, -0),
  );
  const anyWord = fc.oneof(fc.string({ maxLength: 12 }), fc.constantFrom('end.', '-->', '<b>', 'a\n\nb', ',', 'x'.repeat(60)));
  fc.assert(
    fc.property(fc.array(fc.record({ word: anyWord, start: anyTime, end: anyTime }), { maxLength: 60 }), (list) => {
      const srtCues = parseSrt(renderCaptions('srt', list));
      parseVtt(renderCaptions('vtt', list));
      const expectedWords = list.map((w) => w.word.replace(/\s+/g, ' ').trim()).filter(Boolean);
      const kept = srtCues.flatMap(([, , lines]) => lines).join(' ');
      // Every non-blank word appears in order (punctuation may be glued to its neighbour).
      let at = 0;
      for (const word of expectedWords) {
        const shown = word.replace(/-->/g, '->');
        const found = kept.indexOf(shown, at);
        assert.ok(found >= 0, `missing ${JSON.stringify(word)}`);
        at = found + shown.length;
      }
    }),
    { numRuns: 300 },
  );
});

test('property: turn timings of any shape give valid files', () => {
  fc.assert(
    fc.property(
      fc.array(fc.record({ text: fc.string({ maxLength: 200 }), start: fc.double({ min: -5, max: 1e5 }), end: fc.double({ min: -5, max: 1e5 }) }), { maxLength: 10 }),
      (turns) => {
        parseSrt(renderTurnCaptions('srt', turns));
        parseVtt(renderTurnCaptions('vtt', turns));
      },
    ),
    { numRuns: 200 },
  );
});

test('cue type is exported for callers', () => {
  const cue: Cue = { startMs: 0, endMs: 1, lines: ['x'] };
  assert.equal(formatSrt([cue]), '1\n00:00:00,000 --> 00:00:00,001\nx\n');
});
