// Pure parts of the WebSocket TTS client: send_text splitting and the server frame parser.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { parseServerFrame, parseServerMessage, sendTextMessage, createMessage } from '../../src/tts/ws-protocol.js';
import { splitForSendText } from '../../src/tts/ws-text.js';

describe('splitForSendText', () => {
  it('leaves short text alone and drops nothing', () => {
    assert.deepEqual(splitForSendText('Hello there.'), ['Hello there.']);
    assert.deepEqual(splitForSendText(''), []);
  });

  it('cuts after whitespace, within the limit', () => {
    assert.deepEqual(splitForSendText('aaa bbb ccc', 8), ['aaa bbb ', 'ccc']);
  });

  it('hard-cuts a word longer than the limit without splitting a surrogate pair', () => {
    const pieces = splitForSendText('a😀😀😀', 4);
    assert.equal(pieces.join(''), 'a😀😀😀');
    for (const piece of pieces) assert.ok(!/[\uD800-\uDBFF]$/.test(piece) && !/^[\uDC00-\uDFFF]/.test(piece));
  });

  it('property: pieces rejoin to the input and never exceed the limit', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', maxLength: 400 }), fc.integer({ min: 2, max: 50 }), (text, max) => {
        const pieces = splitForSendText(text, max);
        assert.equal(pieces.join(''), text);
        for (const piece of pieces) assert.ok(piece.length <= max && piece.length > 0);
      }),
    );
  });
});

describe('client frames', () => {
  it('writes the documented envelope keys and drops unset options', () => {
    assert.equal(sendTextMessage('c', 'hi', true), '{"contextId":"c","send_text":{"text":"hi","flush_context":{}}}');
    assert.equal(
      createMessage('c', { voiceId: 'A', modelId: 'm', audioConfig: { audioEncoding: 'PCM', bitRate: undefined }, language: undefined }),
      '{"contextId":"c","create":{"voiceId":"A","modelId":"m","audioConfig":{"audioEncoding":"PCM"}}}',
    );
  });
});

describe('parseServerMessage', () => {
  const ok = { code: 0, message: '', details: [] };
  it('reads every event kind', () => {
    assert.equal(parseServerMessage(JSON.stringify({ result: { contextId: 'c', contextCreated: { a: 1 }, status: ok } })).kind, 'contextCreated');
    assert.equal(parseServerMessage(JSON.stringify({ result: { contextId: 'c', flushCompleted: {}, status: ok } })).kind, 'flushCompleted');
    assert.equal(parseServerMessage(JSON.stringify({ result: { contextId: 'c', contextClosed: {}, status: ok } })).kind, 'contextClosed');
    const audio = parseServerMessage(JSON.stringify({ result: { contextId: 'c', audioChunk: { audioContent: 'AAA=', timestampInfo: { wordAlignment: {} } } } }));
    assert.deepEqual(audio, { kind: 'audioChunk', contextId: 'c', audioBase64: 'AAA=', timestampInfo: { wordAlignment: {} } });
  });

  it('checks status before the event keys', () => {
    const message = parseServerMessage(JSON.stringify({ result: { contextId: 'c', audioChunk: {}, status: { code: 5, message: 'Context c not found during sendText' } } }));
    assert.deepEqual(message, { kind: 'status', contextId: 'c', status: { code: 5, message: 'Context c not found during sendText' } });
  });

  it('reads a top-level error and tolerates noise', () => {
    const error = parseServerMessage('{"error":{"code":10,"message":"Paused due to inactivity","details":[]}}');
    assert.equal(error.kind, 'error');
    assert.equal(parseServerMessage('nope').kind, 'ignored');
    assert.equal(parseServerMessage('{"result":{"contextId":"c","somethingNew":{}}}').kind, 'ignored');
  });

  it('accepts a top-level audioContent and a top-level contextId (seen in other clients)', () => {
    const message = parseServerMessage('{"contextId":"c","result":{"audioContent":"AAA="}}');
    assert.equal(message.kind, 'audioChunk');
    assert.equal((message as { contextId: string }).contextId, 'c');
  });
});

describe('parseServerFrame (audio cut out of the bytes)', () => {
  const ok = { code: 0, message: '', details: [] };
  const same = (text: string) => assert.deepEqual(parseServerFrame(Buffer.from(text)), parseServerMessage(text), text);

  it('gives what parseServerMessage gives, for audio frames and everything else', () => {
    same(JSON.stringify({ result: { contextId: 'c', audioChunk: { audioContent: 'AAECAw==', usage: { processedCharactersCount: 3 } }, status: ok } }));
    same(JSON.stringify({ result: { contextId: 'c', audioChunk: { audioContent: 'AAA=', timestampInfo: { wordAlignment: { words: ['a'] } } } } }));
    same('{"contextId":"c","result":{"audioContent":"AAA="}}');
    same('{"result":{"contextId":"c","audioChunk":{"audioContent": "AAA="}}}'); // whitespace: whole-frame path
    same('{"result":{"contextId":"c","audioChunk":{"audioContent":"AA\\/A="}}}'); // an escape: whole-frame path
    same('{"result":{"contextId":"c","audioChunk":{"audioContent":""}}}');
    same(JSON.stringify({ result: { contextId: 'c', audioChunk: { audioContent: 'AAA=' }, status: { code: 5, message: 'gone' } } }));
    same(JSON.stringify({ result: { contextId: 'c', flushCompleted: {}, status: ok } }));
    same('{"error":{"code":10,"message":"Paused \\"audioContent\\":\\"x","details":[]}}');
    same('not json "audioContent":"AAA=" either');
  });

  it('matches parseServerMessage on generated frames', () => {
    const base64 = fc.stringMatching(/^[A-Za-z0-9+/]{0,40}={0,2}$/);
    fc.assert(
      fc.property(base64, fc.string(), fc.boolean(), fc.option(fc.record({ code: fc.integer({ min: 0, max: 16 }), message: fc.string() }), { nil: undefined }), (audio, contextId, nested, status) => {
        const result = nested ? { contextId, audioChunk: { audioContent: audio }, status } : { contextId, audioContent: audio, status };
        same(JSON.stringify({ result }));
      }),
    );
  });
});
