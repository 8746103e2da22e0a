// The emulator's VAD and turn detector on their own: timing in audio time.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { TurnDetector, type TurnEvent } from '../../src/emulator/stt/turns.js';
import { EnergyVad, rmsDbfs, vadThresholdToDbfs } from '../../src/emulator/stt/vad.js';
import { pattern, silence, tone } from '../wire/stt-fixtures.js';

function run(audio: Buffer, settings: Partial<ConstructorParameters<typeof TurnDetector>[0]> = {}, pieceBytes = 3200): TurnEvent[] {
  const thresholdDbfs = vadThresholdToDbfs(0.5);
  const vad = new EnergyVad(16000, 1, thresholdDbfs);
  const turns = new TurnDetector({
    manual: false,
    minEndOfTurnSilenceMs: 200,
    maxTurnSilenceMs: 2000,
    endOfTurnConfidenceThreshold: 0.3,
    thresholdDbfs,
    ...settings,
  });
  const events: TurnEvent[] = [];
  for (let offset = 0; offset < audio.length; offset += pieceBytes) events.push(...turns.push(vad.push(audio.subarray(offset, offset + pieceBytes))));
  return events;
}

test('levels: a -12 dBFS tone is speech at the default threshold, silence is not', () => {
  const t = tone(100);
  assert.ok(Math.abs(rmsDbfs(t, 0, t.length) - -15) < 1);
  assert.equal(rmsDbfs(silence(100), 0, 3200), -120);
  assert.equal(vadThresholdToDbfs(0.5), -35);
});

test('a tone between silences is one turn: started, interims, stopped after the min silence, final', () => {
  const events = run(Buffer.concat([silence(500), tone(1000), silence(500)]));
  const kinds = events.map((e) => e.kind);
  assert.deepEqual(kinds, ['speechStarted', 'interim', 'interim', 'interim', 'speechStopped', 'endOfTurn']);
  assert.deepEqual(events[0], { kind: 'speechStarted', startTimeMs: 500, confidence: 0.99 });
  assert.deepEqual(events[4], { kind: 'speechStopped', silenceDurationMs: 200 });
  assert.deepEqual(events[5], { kind: 'endOfTurn', hadSpeech: true, startMs: 500, endMs: 1500 });
});

test('pauses shorter than minEndOfTurnSilence do not split a turn; longer ones do', () => {
  const audio = pattern([300, 150, 300, 400, 300, 400]);
  const short = run(audio, { minEndOfTurnSilenceMs: 200 }).filter((e) => e.kind === 'endOfTurn');
  assert.equal(short.length, 2);
  const long = run(audio, { minEndOfTurnSilenceMs: 500 }).filter((e) => e.kind === 'endOfTurn');
  assert.equal(long.length, 0, 'no 500 ms silence in the audio, so no automatic end of turn');
});

test('an end-of-turn threshold above the emulated confidence waits for maxTurnSilence', () => {
  const audio = Buffer.concat([tone(300), silence(1000)]);
  assert.equal(run(audio, { endOfTurnConfidenceThreshold: 0.95, maxTurnSilenceMs: 1200 }).filter((e) => e.kind === 'endOfTurn').length, 0);
  assert.equal(run(audio, { endOfTurnConfidenceThreshold: 0.95, maxTurnSilenceMs: 800 }).filter((e) => e.kind === 'endOfTurn').length, 1);
});

test('a higher vadThreshold ignores a quiet tone', () => {
  const quiet = Buffer.from(tone(500));
  for (let i = 0; i < quiet.length; i += 2) quiet.writeInt16LE(Math.round(quiet.readInt16LE(i) / 6), i);
  const thresholdDbfs = vadThresholdToDbfs(0.9);
  const vad = new EnergyVad(16000, 1, thresholdDbfs);
  const turns = new TurnDetector({ manual: false, minEndOfTurnSilenceMs: 200, maxTurnSilenceMs: 2000, endOfTurnConfidenceThreshold: 0.3, thresholdDbfs });
  assert.deepEqual(turns.push(vad.push(Buffer.concat([quiet, silence(500)]))), []);
  assert.equal(run(Buffer.concat([quiet, silence(500)])).filter((e) => e.kind === 'endOfTurn').length, 1);
});

test('manual mode: no VAD events, turns end only on endTurn; endTurn without speech is an empty turn', () => {
  const thresholdDbfs = vadThresholdToDbfs(0.5);
  const vad = new EnergyVad(16000, 1, thresholdDbfs);
  const turns = new TurnDetector({ manual: true, minEndOfTurnSilenceMs: 200, maxTurnSilenceMs: 2000, endOfTurnConfidenceThreshold: 0.3, thresholdDbfs });
  const during = turns.push(vad.push(Buffer.concat([tone(400), silence(3000)])));
  assert.deepEqual(during.map((e) => e.kind), ['interim']);
  assert.deepEqual(turns.endTurn(), [{ kind: 'endOfTurn', hadSpeech: true, startMs: 0, endMs: 400 }]);
  assert.deepEqual(turns.endTurn(), [{ kind: 'endOfTurn', hadSpeech: false, startMs: 3400, endMs: 3400 }]);
  assert.deepEqual(turns.flush(), []);
});

test('chunk boundaries do not change the result (odd piece sizes split samples and frames)', () => {
  const audio = pattern([200, 300, 600, 250, 100, 500]);
  assert.deepEqual(run(audio, {}, 3200), run(audio, {}, 777));
});
