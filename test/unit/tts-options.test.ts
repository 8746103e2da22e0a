import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ValidationError } from '../../src/core/errors.js';
import {
  TTS_HTTP_ENCODINGS,
  TTS_WS_ENCODINGS,
  buildSynthesisBody,
  buildSynthesisConfig,
  bytesPerSecond,
  validateSynthesisOptions,
  type SynthesisOptions,
} from '../../src/tts/options.js';

function rejects(options: SynthesisOptions, pattern: RegExp, transport?: 'http' | 'ws'): void {
  assert.throws(
    () => validateSynthesisOptions(options, { transport }),
    (error: unknown) => {
      assert.ok(error instanceof ValidationError, String(error));
      assert.match(error.message, pattern);
      assert.ok(!error.message.includes('\n'), 'one line');
      return true;
    },
  );
}

test('defaults: Ashley, inworld-tts-2, 24000 Hz, LINEAR16', () => {
  const resolved = validateSynthesisOptions({ text: 'Hi' });
  assert.equal(resolved.voiceId, 'Ashley');
  assert.equal(resolved.modelId, 'inworld-tts-2');
  assert.equal(resolved.audioConfig.sampleRateHertz, 24000);
  assert.equal(resolved.audioConfig.audioEncoding, 'LINEAR16');
});

test('the encoding lists: HTTP has FLAC, WebSocket does not', () => {
  assert.ok((TTS_HTTP_ENCODINGS as readonly string[]).includes('FLAC'));
  assert.ok(!(TTS_WS_ENCODINGS as readonly string[]).includes('FLAC'));
  assert.equal(TTS_HTTP_ENCODINGS.length, 8);
  rejects({ text: 'x', audioConfig: { audioEncoding: 'FLAC' } }, /FLAC is not available over the WebSocket/, 'ws');
  validateSynthesisOptions({ text: 'x', audioConfig: { audioEncoding: 'FLAC' } });
});

test('validation names the problem and the fix', () => {
  rejects({ text: '   ' }, /Text is empty/);
  rejects({ text: 'x', audioConfig: { speakingRate: 1.6 } }, /Speaking rate must be from 0.5 to 1.5 .*--speaking-rate/);
  rejects({ text: 'x', audioConfig: { speakingRate: 0.4 } }, /Speaking rate/);
  rejects({ text: 'x', temperature: 0 }, /Temperature must be above 0 and at most 2/);
  rejects({ text: 'x', temperature: 2.01 }, /Temperature/);
  rejects({ text: 'x', audioConfig: { sampleRateHertz: 7999 } }, /Sample rate .* 8000 to 48000/);
  rejects({ text: 'x', audioConfig: { sampleRateHertz: 48001 } }, /Sample rate/);
  rejects({ text: 'x', audioConfig: { sampleRateHertz: 22050.5 } }, /Sample rate/);
  rejects({ text: 'x', audioConfig: { audioEncoding: 'MULAW', sampleRateHertz: 16000 } }, /MULAW is 8 kHz only.*--sample-rate 8000/);
  rejects({ text: 'x', audioConfig: { audioEncoding: 'ALAW', sampleRateHertz: 24000 } }, /ALAW is 8 kHz only/);
  rejects({ text: 'x', audioConfig: { audioEncoding: 'MP3', sampleRateHertz: 8000 } }, /MP3 needs a sample rate from 16000/);
  rejects({ text: 'x', audioConfig: { audioEncoding: 'MP3', bitRate: 16000 } }, /MP3 bit rate must be .* 32000 to 320000/);
  rejects({ text: 'x', audioConfig: { audioEncoding: 'OGG_OPUS', bitRate: 256000 } }, /OGG_OPUS bit rate .* 32000 to 192000/);
  rejects({ text: 'x', audioConfig: { audioEncoding: 'LINEAR16', bitRate: 64000 } }, /Bit rate applies only to MP3 and OGG_OPUS/);
  rejects({ text: 'x', audioConfig: { audioEncoding: 'AAC' as never } }, /Audio encoding must be one of .*--encoding/);
  rejects({ text: 'x', timestampType: 'word' as never }, /Timestamp type must be one of WORD, CHARACTER/);
  rejects({ text: 'x', applyTextNormalization: true as never }, /Text normalization must be one of ON, OFF/);
  rejects({ text: 'x', deliveryMode: 'FAST' as never }, /Delivery mode must be one of STABLE, BALANCED, CREATIVE \(got "FAST"\)/);
  rejects({ text: 'x', timestampTransportStrategy: 'LATER' as never }, /Timestamp transport/);
  rejects({ text: 'x', language: 'english please' }, /BCP-47/);
  rejects({ text: 'x', voiceId: '' }, /Voice id is empty/);
  assert.throws(() => validateSynthesisOptions({ text: 'x'.repeat(11) }, { maxTextChars: 10 }), /11 characters; one request allows 10/);
});

test('valid edge values pass', () => {
  validateSynthesisOptions({ text: 'x', audioConfig: { speakingRate: 0.5 }, temperature: 2 });
  validateSynthesisOptions({ text: 'x', audioConfig: { speakingRate: 1.5, sampleRateHertz: 8000 }, temperature: 0.01 });
  validateSynthesisOptions({ text: 'x', audioConfig: { audioEncoding: 'MULAW', sampleRateHertz: 8000 } });
  validateSynthesisOptions({ text: 'x', audioConfig: { audioEncoding: 'MP3', sampleRateHertz: 16000, bitRate: 320000 } });
  validateSynthesisOptions({ text: 'x', audioConfig: { audioEncoding: 'OGG_OPUS', bitRate: 32000 } });
  validateSynthesisOptions({ text: 'x', language: 'en-US', deliveryMode: 'CREATIVE', applyTextNormalization: 'OFF' });
  validateSynthesisOptions({ text: '', voiceId: 'Dennis' }, { allowEmptyText: true });
});

test('buildSynthesisBody emits exactly the camelCase wire body, unset fields omitted', () => {
  assert.deepEqual(buildSynthesisBody({ text: 'Hi' }), {
    text: 'Hi',
    voiceId: 'Ashley',
    modelId: 'inworld-tts-2',
    audioConfig: { audioEncoding: 'LINEAR16', sampleRateHertz: 24000 },
  });
  const full = buildSynthesisBody({
    text: 'Hi',
    voiceId: 'Dennis',
    modelId: 'inworld-tts-2',
    audioConfig: { audioEncoding: 'MP3', sampleRateHertz: 48000, bitRate: 128000, speakingRate: 1.2 },
    temperature: 0.8,
    timestampType: 'WORD',
    applyTextNormalization: 'ON',
    language: 'en-US',
    deliveryMode: 'STABLE',
    timestampTransportStrategy: 'ASYNC',
    seed: 42,
  });
  assert.equal(
    JSON.stringify(full),
    '{"text":"Hi","voiceId":"Dennis","modelId":"inworld-tts-2","audioConfig":{"audioEncoding":"MP3","sampleRateHertz":48000,"bitRate":128000,"speakingRate":1.2},"temperature":0.8,"timestampType":"WORD","applyTextNormalization":"ON","language":"en-US","deliveryMode":"STABLE","seed":42,"timestampTransportStrategy":"ASYNC"}',
  );
  // temperature stays top level, never inside audioConfig
  assert.equal((full.audioConfig as Record<string, unknown>).temperature, undefined);
  const unary = buildSynthesisBody({ text: 'Hi', timestampTransportStrategy: 'SYNC' }, { includeTransportStrategy: false });
  assert.equal('timestampTransportStrategy' in unary, false);
  assert.equal('text' in buildSynthesisConfig({ voiceId: 'Ashley' }), false);
});

test('bytesPerSecond: PCM family 2 bytes/sample, G.711 1, compressed undefined', () => {
  assert.equal(bytesPerSecond('PCM', 24000), 48000);
  assert.equal(bytesPerSecond('LINEAR16', 16000), 32000);
  assert.equal(bytesPerSecond('WAV', 8000), 16000);
  assert.equal(bytesPerSecond('MULAW', 8000), 8000);
  assert.equal(bytesPerSecond('MP3', 24000), undefined);
});
