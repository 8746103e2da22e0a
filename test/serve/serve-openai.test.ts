// The official `openai` client against `inworld serve`'s gateway in front of the emulator: speech
// in every format (whole and streamed), transcriptions in every format, the model list, and
// errors surfacing as the client's APIError with the right status.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { after, before, describe, it } from 'node:test';
import OpenAI, { toFile } from 'openai';
import { needs } from '../helpers/needs.js';
import { looksLike, startServeHarness, type ServeHarness } from './serve-harness.js';

const FORMATS = ['mp3', 'opus', 'aac', 'flac', 'wav', 'pcm'] as const;
const FFMPEG_FORMAT: Record<string, string[]> = { mp3: ['-f', 'mp3'], opus: ['-f', 'ogg'], aac: ['-f', 'aac'], flac: ['-f', 'flac'], wav: ['-f', 'wav'], pcm: ['-f', 's16le', '-ar', '24000', '-ac', '1'] };
const noFfmpeg = needs('ffmpeg');

/** Seconds ffmpeg decodes from the audio (throws when it cannot decode it). */
function decodedSeconds(format: string, audio: Buffer): number {
  const run = spawnSync('ffmpeg', ['-hide_banner', '-loglevel', 'error', ...FFMPEG_FORMAT[format]!, '-i', 'pipe:0', '-f', 's16le', '-ac', '1', '-ar', '24000', 'pipe:1'], { input: audio, maxBuffer: 64 * 1024 * 1024 });
  assert.equal(run.status, 0, `ffmpeg could not decode ${format}: ${run.stderr}`);
  return run.stdout.length / 2 / 24000;
}

describe('inworld serve with the openai client', () => {
  let h: ServeHarness;
  before(async () => {
    h = await startServeHarness({ emulator: { sttScript: ['Hello from the gateway.', 'Second turn here.'] } });
  });
  after(() => h.close());

  for (const format of FORMATS) {
    it(`speech as ${format}, whole`, { skip: format === 'aac' && noFfmpeg }, async () => {
      const response = await h.openai.audio.speech.create({ model: 'tts-1', voice: 'alloy', input: 'The quick brown fox jumps over the lazy dog.', response_format: format });
      const audio = Buffer.from(await response.arrayBuffer());
      assert.ok(looksLike(format, audio), `${format} starts like ${format}: ${audio.subarray(0, 8).toString('hex')}`);
      assert.match(response.headers.get('content-type') ?? '', format === 'mp3' ? /audio\/mpeg/ : new RegExp(`audio/(${format === 'opus' ? 'ogg' : format})`));
      if (!noFfmpeg) assert.ok(decodedSeconds(format, audio) > 0.5, 'decodes to audio');
      const sent = h.emulator.requests.find('/tts/v1/voice:stream').at(-1)!.body as { voiceId: string; modelId: string; audioConfig: { audioEncoding: string } };
      assert.equal(sent.voiceId, 'Ashley');
      assert.equal(sent.modelId, 'inworld-tts-2-flash');
    });

    it(`speech as ${format}, streamed chunk by chunk`, { skip: format === 'aac' && noFfmpeg }, async () => {
      const response = await h.openai.audio.speech.create({ model: 'gpt-4o-mini-tts', voice: 'Dennis', input: 'A longer sentence, so that the audio arrives in several pieces. And another one after it.', response_format: format, speed: 1.25 }).asResponse();
      assert.equal(response.status, 200);
      assert.equal(response.headers.get('transfer-encoding'), 'chunked');
      const chunks: Buffer[] = [];
      for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) chunks.push(Buffer.from(chunk));
      assert.ok(chunks.length > 1, `arrived in ${chunks.length} chunk(s)`);
      const audio = Buffer.concat(chunks);
      assert.ok(looksLike(format, audio));
      if (!noFfmpeg) assert.ok(decodedSeconds(format, audio) > 1);
      const sent = h.emulator.requests.find('/tts/v1/voice:stream').at(-1)!.body as { voiceId: string; audioConfig: { speakingRate: number } };
      assert.equal(sent.voiceId, 'Dennis');
      assert.equal(sent.audioConfig.speakingRate, 1.25);
    });
  }

  it('speech as server-sent events (stream_format sse)', async () => {
    const response = await h.openai.audio.speech.create({ model: 'gpt-4o-mini-tts', voice: 'nova', input: 'Events please.', response_format: 'pcm', stream_format: 'sse' });
    assert.match(response.headers.get('content-type') ?? '', /text\/event-stream/);
    const events = (await response.text()).split('\n\n').filter(Boolean).map((block) => JSON.parse(block.replace(/^data: /, '')) as { type: string; audio?: string });
    assert.ok(events.filter((event) => event.type === 'speech.audio.delta').length > 0);
    assert.equal(events.at(-1)!.type, 'speech.audio.done');
    const pcm = Buffer.concat(events.filter((event) => event.audio).map((event) => Buffer.from(event.audio!, 'base64')));
    assert.ok(looksLike('pcm', pcm));
  });

  it('instructions become a steering tag on TTS-2 and are dropped on a model without steering', async () => {
    await h.openai.audio.speech.create({ model: 'gpt-4o-mini-tts', voice: 'alloy', input: 'Hello.', instructions: 'Speak [softly] and slowly', response_format: 'pcm' });
    assert.equal((h.emulator.requests.find('/tts/v1/voice:stream').at(-1)!.body as { text: string }).text, '[Speak softly and slowly] Hello.');
    await h.openai.audio.speech.create({ model: 'tts-1', voice: 'alloy', input: 'Hello.', instructions: 'Speak softly', response_format: 'pcm' });
    assert.equal((h.emulator.requests.find('/tts/v1/voice:stream').at(-1)!.body as { text: string }).text, 'Hello.');
  });

  const formats = ['json', 'text', 'srt', 'vtt', 'verbose_json'] as const;
  for (const responseFormat of formats) {
    it(`transcription as ${responseFormat}`, async () => {
      const speech = await h.openai.audio.speech.create({ model: 'tts-1', voice: 'alloy', input: 'Hello from the gateway.', response_format: 'wav' });
      const file = await toFile(Buffer.from(await speech.arrayBuffer()), 'hello.wav', { type: 'audio/wav' });
      const result = await h.openai.audio.transcriptions.create({ file, model: 'whisper-1', response_format: responseFormat, timestamp_granularities: responseFormat === 'verbose_json' ? ['word', 'segment'] : undefined });
      if (responseFormat === 'json') assert.match((result as { text: string }).text, /^(Hello from the gateway\.|Second turn here\.)/);
      if (responseFormat === 'text') assert.match(result as unknown as string, /gateway|turn/);
      if (responseFormat === 'srt') assert.match(result as unknown as string, /^1\n00:00:\d\d,\d{3} --> 00:00:\d\d,\d{3}\n/);
      if (responseFormat === 'vtt') assert.match(result as unknown as string, /^WEBVTT\n\n00:00:\d\d\.\d{3} --> /);
      if (responseFormat === 'verbose_json') {
        const verbose = result as unknown as { task: string; language: string; duration: number; segments: Array<{ start: number; end: number; text: string }>; words: Array<{ word: string; start: number; end: number }> };
        assert.equal(verbose.task, 'transcribe');
        assert.equal(verbose.language, 'english');
        assert.ok(verbose.duration > 0.5);
        assert.ok(verbose.segments.length >= 1 && verbose.segments[0]!.end > verbose.segments[0]!.start);
        assert.ok(verbose.words.length >= 2 && verbose.words.every((word) => word.end >= word.start));
      }
    });
  }

  it('transcribes an MP3 upload through ffmpeg', { skip: noFfmpeg }, async () => {
    const speech = await h.openai.audio.speech.create({ model: 'tts-1', voice: 'alloy', input: 'An MP3 upload.', response_format: 'mp3' });
    const file = await toFile(Buffer.from(await speech.arrayBuffer()), 'clip.mp3', { type: 'audio/mpeg' });
    const result = await h.openai.audio.transcriptions.create({ file, model: 'gpt-4o-transcribe', language: 'en' });
    assert.ok(result.text.length > 0);
    const sent = h.emulator.requests.find('/stt/v1/transcribe:streamBidirectional').at(-1)!;
    assert.match(JSON.stringify(sent.messages?.[0]), /"language":"en"/);
  });

  it('lists and finds models in OpenAI\'s shape', async () => {
    const ids: string[] = [];
    for await (const model of h.openai.models.list()) ids.push(model.id);
    for (const id of ['tts-1', 'tts-1-hd', 'gpt-4o-mini-tts', 'whisper-1', 'inworld-tts-2']) assert.ok(ids.includes(id), id);
    assert.equal((await h.openai.models.retrieve('tts-1')).object, 'model');
    await assert.rejects(h.openai.models.retrieve('gpt-9'), (error: unknown) => error instanceof OpenAI.NotFoundError && /does not exist/.test(error.message));
  });
});
