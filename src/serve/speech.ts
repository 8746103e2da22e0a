// `POST /v1/audio/speech`: audio written to the client as Inworld's HTTP streaming synthesis
// produces it. Nothing is sent to the client until the first audio arrives, so a failure before
// it is an OpenAI-shaped error; after it, the response is cut (the client sees an incomplete
// body, never bytes that are not audio). A client that goes away aborts the upstream request.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { streamingWavHeader } from '../audio/wav-writer.js';
import type { Inworld } from '../inworld.js';
import { readJsonBody } from './body.js';
import { SPEECH_FORMAT_PLANS, SPEECH_SAMPLE_RATE_HZ } from './speech-formats.js';
import { planSpeech, type SpeechContext, type SpeechPlan } from './speech-request.js';

export async function handleSpeech(inworld: Inworld, context: SpeechContext, request: IncomingMessage, response: ServerResponse): Promise<void> {
  const plan = planSpeech(await readJsonBody(request), context);
  const controller = new AbortController();
  const onClose = () => {
    if (!response.writableFinished) controller.abort();
  };
  response.on('close', onClose);
  try {
    const upstream = audioOf(inworld.tts.synthesize(plan.synthesis, { signal: controller.signal }))[Symbol.asyncIterator]();
    // Waiting for the first audio keeps the status open: an upstream refusal becomes its error.
    const first = await upstream.next();
    const audio = encoded(plan, first, upstream);
    await writeStream(response, plan, audio, controller.signal);
  } finally {
    response.off('close', onClose);
    controller.abort();
  }
}

async function* audioOf(chunks: AsyncIterable<{ audio?: Buffer }>): AsyncGenerator<Buffer> {
  for await (const chunk of chunks) if (chunk.audio && chunk.audio.length > 0) yield chunk.audio;
}

async function* replay(first: IteratorResult<Buffer>, rest: AsyncIterator<Buffer>): AsyncGenerator<Buffer> {
  if (first.done) return;
  yield first.value;
  for (;;) {
    const next = await rest.next();
    if (next.done) return;
    yield next.value;
  }
}

async function* encoded(plan: SpeechPlan, first: IteratorResult<Buffer>, rest: AsyncIterator<Buffer>): AsyncGenerator<Buffer> {
  const format = SPEECH_FORMAT_PLANS[plan.format];
  if (format.header === 'wav') yield streamingWavHeader({ sampleRateHertz: SPEECH_SAMPLE_RATE_HZ, channels: 1, bitsPerSample: 16 });
  if (format.transcode === 'aac') {
    const { encodeAac } = await import('../audio/aac-encoder.js');
    yield* encodeAac(replay(first, rest), { sampleRateHertz: SPEECH_SAMPLE_RATE_HZ });
    return;
  }
  yield* replay(first, rest);
}

async function writeStream(response: ServerResponse, plan: SpeechPlan, audio: AsyncIterable<Buffer>, signal: AbortSignal): Promise<void> {
  const sse = plan.stream === 'sse';
  response.writeHead(200, {
    'Content-Type': sse ? 'text/event-stream' : SPEECH_FORMAT_PLANS[plan.format].contentType,
    'Cache-Control': 'no-store',
    ...(sse ? {} : { 'Content-Disposition': `inline; filename="speech.${plan.format}"` }),
  });
  try {
    for await (const chunk of audio) {
      if (signal.aborted) return;
      const data = sse ? `data: ${JSON.stringify({ type: 'speech.audio.delta', audio: chunk.toString('base64') })}\n\n` : chunk;
      if (!response.write(data)) await drained(response, signal);
    }
    if (sse) {
      const tokens = [...plan.synthesis.text].length;
      response.write(`data: ${JSON.stringify({ type: 'speech.audio.done', usage: { input_tokens: tokens, output_tokens: 0, total_tokens: tokens } })}\n\n`);
    }
    response.end();
  } catch (error) {
    // Bytes already sent stay valid; the cut body is how a client learns the rest is missing.
    response.destroy();
    throw error;
  }
}

function drained(response: ServerResponse, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      response.off('drain', done);
      response.off('close', done);
      signal.removeEventListener('abort', done);
      resolve();
    };
    response.once('drain', done);
    response.once('close', done);
    signal.addEventListener('abort', done, { once: true });
  });
}
