import assert from 'node:assert/strict';
import { test } from 'node:test';
import { buildTranscribeConfig } from '../../src/stt/options.js';
import { parseServerMessage, parseVoiceProfile, parseWords } from '../../src/stt/protocol.js';

test('interim and final transcriptions parse, with the profile on the transcription', () => {
  const interim = parseServerMessage('{"result":{"transcription":{"transcript":"I need","isFinal":false}}}');
  assert.deepEqual(interim, { kind: 'transcription', transcript: 'I need', isFinal: false, words: [] });
  const final = parseServerMessage(
    JSON.stringify({
      result: {
        transcription: {
          transcript: 'I need it.',
          isFinal: true,
          wordTimestamps: [{ word: 'I', startTimeMs: 120, endTimeMs: 190, confidence: 0.98 }],
          voiceProfile: { age: [{ label: 'adult', confidence: 0.86 }], vocalStyle: [{ label: 'normal', confidence: 0.9 }] },
        },
      },
    }),
  );
  assert.equal(final.kind, 'transcription');
  if (final.kind !== 'transcription') return;
  assert.equal(final.isFinal, true);
  assert.deepEqual(final.words, [{ word: 'I', startMs: 120, endMs: 190, confidence: 0.98 }]);
  assert.deepEqual(final.voiceProfile?.age, [{ label: 'adult', confidence: 0.86 }]);
});

test('word timestamps: ms numbers, ms strings and seconds all become ms numbers', () => {
  assert.deepEqual(parseWords([{ word: 'a', startTimeMs: 100, endTimeMs: 200 }]), [{ word: 'a', startMs: 100, endMs: 200 }]);
  assert.deepEqual(parseWords([{ word: 'b', startTimeMs: '1500', endTimeMs: '1750' }]), [{ word: 'b', startMs: 1500, endMs: 1750 }]);
  assert.deepEqual(parseWords([{ word: 'c', startTime: 1.25, endTime: 1.5 }]), [{ word: 'c', startMs: 1250, endMs: 1500 }]);
  assert.deepEqual(parseWords([{ word: 'd', start_time_ms: 5, end_time_ms: 9, speaker: 1 }]), [{ word: 'd', startMs: 5, endMs: 9, speaker: 1 }]);
  assert.deepEqual(parseWords([{ word: 'e', startTime: '2s', endTime: '2.5s' }]), [{ word: 'e', startMs: 2000, endMs: 2500 }]);
  assert.deepEqual(parseWords('nonsense'), []);
});

test('voice profile: vocal_style, single objects and result-level placement', () => {
  const profile = parseVoiceProfile({ vocal_style: { label: 'whispering', confidence: 0.7 }, age: [{ label: 'old', confidence: 0.2 }, { label: 'adult', confidence: 0.6 }] });
  assert.deepEqual(profile, {
    vocalStyle: [{ label: 'whispering', confidence: 0.7 }],
    age: [{ label: 'adult', confidence: 0.6 }, { label: 'old', confidence: 0.2 }],
  });
  const message = parseServerMessage('{"result":{"transcription":{"transcript":"hi","isFinal":true},"voiceProfile":{"pitch":[{"label":"low","confidence":0.5}]}}}');
  assert.equal(message.kind === 'transcription' && message.voiceProfile?.pitch?.[0]?.label, 'low');
});

test('speech events, usage, errors and unknown messages', () => {
  assert.deepEqual(parseServerMessage('{"result":{"speechStarted":{"startTimeMs":1250,"confidence":0.95}}}'), {
    kind: 'speechStarted',
    startTimeMs: 1250,
    confidence: 0.95,
  });
  assert.deepEqual(parseServerMessage('{"result":{"speechStopped":{"silenceDurationMs":750}}}'), { kind: 'speechStopped', silenceDurationMs: 750 });
  assert.deepEqual(parseServerMessage('{"result":{"usage":{"transcribedAudioMs":"123","modelId":"m"}}}'), {
    kind: 'usage',
    transcribedAudioMs: 123,
    modelId: 'm',
  });
  const error = parseServerMessage('{"error":{"code":8,"message":"rate limit exceeded","details":[]}}');
  assert.equal(error.kind, 'error');
  assert.equal(error.kind === 'error' && error.grpcCode, 8);
  assert.deepEqual(parseServerMessage('not json'), { kind: 'invalid', text: 'not json' });
  assert.equal(parseServerMessage('{"result":{"somethingNew":{}}}').kind, 'unknown');
});

test('transcribeConfig carries the contract defaults, and manual mode drops end-of-turn tuning', () => {
  assert.deepEqual(buildTranscribeConfig({ sampleRateHertz: 16000 }), {
    modelId: 'inworld/inworld-stt-1',
    audioEncoding: 'LINEAR16',
    sampleRateHertz: 16000,
    numberOfChannels: 1,
    language: 'en-US',
    voiceProfileConfig: { enableVoiceProfile: true, topN: 1 },
    includeWordTimestamps: true,
    endOfTurnConfidenceThreshold: 0.3,
    inworldSttV1Config: { minEndOfTurnSilenceWhenConfident: 200 },
  });
  const manual = buildTranscribeConfig({ sampleRateHertz: 8000, vadThreshold: 0, voiceProfile: false, language: null });
  assert.deepEqual(manual.inworldSttV1Config, { vadThreshold: 0 });
  assert.equal(manual.endOfTurnConfidenceThreshold, undefined);
  assert.equal(manual.language, undefined);
  assert.deepEqual(manual.voiceProfileConfig, { enableVoiceProfile: false });
});

test('the hand-built audio message is the same JSON as the generic encoder', async () => {
  const { encodeAudioChunk, encodeClientMessage } = await import('../../src/stt/protocol.js');
  const pcm = Buffer.from([0, 1, 2, 250, 251, 255, 7]);
  assert.equal(encodeAudioChunk(pcm), encodeClientMessage({ audioChunk: { content: pcm.toString('base64') } }));
});
