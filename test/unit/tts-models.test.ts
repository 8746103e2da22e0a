// The model table, the model-aware request checks and warnings, the TTS-2 request fields (seed,
// voiceDesign) and the markup checks, as pure functions (the wire and CLI tests send them).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ValidationError } from '../../src/core/errors.js';
import { breakSeconds, checkMarkup, MAX_BREAKS_PER_REQUEST } from '../../src/tts/markup.js';
import { requireModelFeature } from '../../src/tts/model-checks.js';
import { DEFAULT_TTS_MODEL_ID, findTtsModel, TTS_MODELS } from '../../src/tts/models.js';
import { buildSynthesisBody, synthesisWarnings, validateSynthesisOptions, type SynthesisOptions } from '../../src/tts/options.js';
import { buildWsCreateConfig } from '../../src/tts/ws-options.js';

function refused(run: () => unknown, pattern: RegExp): void {
  assert.throws(run, (error: unknown) => {
    assert.ok(error instanceof ValidationError, String(error));
    assert.match(error.message, pattern);
    assert.ok(!error.message.includes('\n'), 'one line');
    return true;
  });
}

const validate = (options: Partial<SynthesisOptions>) => validateSynthesisOptions({ text: 'Hello.', ...options });

test('the table knows the four current models and the two legacy ones, with their capabilities', () => {
  assert.deepEqual(TTS_MODELS.map((model) => model.id), [
    'inworld-tts-2',
    'inworld-tts-2-flash',
    'inworld-tts-1.5-max',
    'inworld-tts-1.5-mini',
    'inworld-tts-1-max',
    'inworld-tts-1',
  ]);
  assert.equal(DEFAULT_TTS_MODEL_ID, 'inworld-tts-2');
  const tts2 = findTtsModel('inworld-tts-2')!;
  const flash = findTtsModel('inworld-tts-2-flash')!;
  const max = findTtsModel('inworld-tts-1.5-max')!;
  assert.deepEqual([tts2.voiceDesign, flash.voiceDesign, max.voiceDesign], [true, false, false]);
  assert.deepEqual([tts2.steering, flash.steering], [true, false]);
  assert.deepEqual([tts2.nonVerbalTags, flash.nonVerbalTags], [true, true]);
  assert.deepEqual([tts2.temperature, flash.temperature, max.temperature], [false, false, true]);
  assert.deepEqual([tts2.deliveryMode, flash.deliveryMode, max.deliveryMode], [true, true, false]);
  assert.deepEqual([tts2.pronunciationDictionaries, flash.pronunciationDictionaries, max.pronunciationDictionaries], [true, true, false]);
  assert.equal(findTtsModel('inworld-tts-1')!.status, 'deprecated');
  assert.equal(findTtsModel('inworld-tts-3'), undefined);
});

test('voice design: TTS-2 only, 7 to 1024 characters, never with a voice id', () => {
  const design = { designPrompt: 'A calm older man with a low, warm voice' };
  const resolved = validate({ voiceDesign: design });
  assert.equal(resolved.voiceId, undefined, 'no default voice beside a design');
  assert.deepEqual(buildSynthesisBody({ text: 'Hi', voiceDesign: design }), {
    text: 'Hi',
    voiceDesign: design,
    modelId: 'inworld-tts-2',
    audioConfig: { audioEncoding: 'LINEAR16', sampleRateHertz: 24000 },
  });
  refused(() => validate({ voiceDesign: design, modelId: 'inworld-tts-2-flash' }), /An ad-hoc voice design works only with inworld-tts-2, not inworld-tts-2-flash; use --model inworld-tts-2/);
  refused(() => validate({ voiceDesign: design, modelId: 'inworld-tts-1.5-max' }), /not inworld-tts-1\.5-max/);
  refused(() => validate({ voiceDesign: design, voiceId: 'Ashley' }), /a voice id or a voice design, not both/);
  refused(() => validate({ voiceDesign: { designPrompt: 'Deep' } }), /7 to 1024 characters \(got 4\)/);
  refused(() => validate({ voiceDesign: { designPrompt: 'x'.repeat(1025) } }), /got 1025/);
  refused(() => validate({ voiceDesign: {} as never }), /needs a designPrompt/);
  validate({ voiceDesign: { designPrompt: 'x'.repeat(7) } });
  validate({ voiceDesign: { designPrompt: 'x'.repeat(1024) } });
  // An id this version does not know is the server's to judge.
  validate({ voiceDesign: design, modelId: 'inworld-tts-3' });
  // The WebSocket create message carries it the same way.
  assert.deepEqual(buildWsCreateConfig({ voiceDesign: design }).voiceDesign, design);
  assert.equal('voiceId' in buildWsCreateConfig({ voiceDesign: design }), false);
});

test('seed: a 32-bit whole number, sent on HTTP and in create', () => {
  assert.equal(buildSynthesisBody({ text: 'Hi', seed: 7 }).seed, 7);
  assert.equal(buildWsCreateConfig({ seed: -3 }).seed, -3);
  assert.equal('seed' in buildSynthesisBody({ text: 'Hi' }), false);
  validate({ seed: 0 });
  validate({ seed: 2_147_483_647 });
  refused(() => validate({ seed: 1.5 }), /Seed must be a whole number .*--seed/);
  refused(() => validate({ seed: 2_147_483_648 }), /Seed/);
  refused(() => validate({ seed: '3' as never }), /Seed/);
});

test('delivery mode: TTS-2 models only; EXPRESSIVE is sent as CREATIVE with a warning', () => {
  validate({ deliveryMode: 'STABLE', modelId: 'inworld-tts-2-flash' });
  refused(() => validate({ deliveryMode: 'STABLE', modelId: 'inworld-tts-1.5-mini' }), /Delivery mode works only with inworld-tts-2, inworld-tts-2-flash, not inworld-tts-1\.5-mini/);
  refused(() => buildWsCreateConfig({ deliveryMode: 'BALANCED', modelId: 'inworld-tts-1' }), /Delivery mode works only/);
  assert.equal(buildSynthesisBody({ text: 'Hi', deliveryMode: 'EXPRESSIVE' }).deliveryMode, 'CREATIVE');
  assert.deepEqual(synthesisWarnings({ deliveryMode: 'EXPRESSIVE' }).map((w) => w.code), ['delivery-mode-renamed']);
  validate({ deliveryMode: 'STABLE', modelId: 'some-new-model' });
});

test('warnings: ignored temperature, deprecated model, unknown model; none for a plain request', () => {
  assert.deepEqual(synthesisWarnings({}), []);
  assert.deepEqual(synthesisWarnings({ modelId: 'inworld-tts-1.5-max', temperature: 0.7 }), []);
  const [ignored] = synthesisWarnings({ temperature: 0.7 });
  assert.equal(ignored!.code, 'temperature-ignored');
  assert.match(ignored!.message, /inworld-tts-2 ignores temperature/);
  assert.equal(synthesisWarnings({ modelId: 'inworld-tts-2-flash', temperature: 1 })[0]!.code, 'temperature-ignored');
  for (const modelId of ['inworld-tts-1', 'inworld-tts-1-max']) {
    const [old] = synthesisWarnings({ modelId });
    assert.equal(old!.code, 'model-deprecated');
    assert.match(old!.message, /legacy model, reported discontinued; use inworld-tts-2 or inworld-tts-2-flash/);
  }
  const [unknown] = synthesisWarnings({ modelId: 'inworld-tts-3' });
  assert.equal(unknown!.code, 'model-unknown');
  assert.match(unknown!.message, /not one this version knows .*sending it as given/);
  // Sent as given: no refusal, the id reaches the wire untouched.
  assert.equal(buildSynthesisBody(validate({ modelId: 'inworld-tts-3' }) as SynthesisOptions).modelId, 'inworld-tts-3');
});

test('the dictionary check refuses models without dictionaries and passes unknown ones', () => {
  requireModelFeature('inworld-tts-2-flash', 'pronunciationDictionaries');
  requireModelFeature('inworld-tts-9', 'pronunciationDictionaries');
  refused(() => requireModelFeature('inworld-tts-1.5-max', 'pronunciationDictionaries'), /^Pronunciation dictionaries work only with inworld-tts-2, inworld-tts-2-flash, not inworld-tts-1\.5-max/);
});

test('markup: at most 20 breaks of at most 10 s, tag names in any case', () => {
  const breaks = (n: number, time = '1s') => Array.from({ length: n }, (_, i) => `Word ${i} <break time="${time}"/>`).join(' ');
  checkMarkup(breaks(MAX_BREAKS_PER_REQUEST));
  refused(() => checkMarkup(breaks(21)), /The text has 21 <break> tags; one request takes at most 20/);
  refused(() => checkMarkup('A <BREAK TIME="11s"/> B'), /<BREAK TIME="11s"\/>, a 11 s pause; a break may be at most 10 s/);
  refused(() => checkMarkup("A <Break time='10500ms' /> B"), /10\.5 s pause/);
  checkMarkup('A <break time="10s"/> B <break time="500ms"/> C <break/>');
  refused(() => checkMarkup('A <break time="soon"/> B', { subject: 'Line 3' }), /^Line 3 has <break time="soon"\/>, whose time is not a duration; write it as e\.g\. time="500ms"/);
  assert.equal(breakSeconds('1.5s'), 1.5);
  assert.equal(breakSeconds('250ms'), 0.25);
  assert.equal(breakSeconds(' 2 S '), 2);
  assert.equal(breakSeconds('2 minutes'), undefined);
  checkMarkup('1 < 2 and 3 > 2, no tags here');
});

test('markup: SSML <phoneme> is refused with the inline /ipa/ form as the fix', () => {
  refused(
    () => checkMarkup('Visit <phoneme alphabet="ipa" ph="kriːt">Crete</phoneme> today.'),
    /uses SSML <phoneme>, which Inworld does not support; write the IPA inline between slashes instead: \/kriːt\/ in place of <phoneme alphabet="ipa" ph="kriːt">Crete<\/phoneme>\./,
  );
  refused(() => checkMarkup('Visit <PHONEME ph=\'kriːt\'>Crete</Phoneme>.'), /\/kriːt\//);
  refused(() => checkMarkup('Visit <phoneme>Crete'), /between slashes instead, e\.g\. \/kriːt\//);
  checkMarkup('Visit /kriːt/ today.');
});
