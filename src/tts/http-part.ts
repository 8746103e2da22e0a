// One text part of an HTTP streaming synthesis: its own `POST /tts/v1/voice:stream` request, read
// line by line into chunks, retried (core/retry.ts) only while nothing of it reached the caller.
import type { InworldClient } from '../core/client.js';
import { requestStream } from '../core/http.js';
import { decodeNdjson } from '../core/ndjson.js';
import { randomId } from '../core/random-id.js';
import { abortError, decideRetry, sleep } from '../core/retry.js';
import { AudioAssembler } from './audio-assembler.js';
import { parseStreamLine } from './http-response.js';
import type { SynthesisCallOptions, SynthesisChunk } from './http-types.js';
import { buildSynthesisBody, type ResolvedSynthesisOptions } from './options.js';

export const TTS_STREAM_PATH = '/tts/v1/voice:stream';

/** Filled in when a part ends: what the next part's timestamps are offset by. */
export interface PartResultSummary {
  durationSeconds: number;
}

/** One request's chunks, with retries before the first chunk. Timestamps relative to this part. */
export async function* streamPart(
  client: InworldClient,
  resolved: ResolvedSynthesisOptions,
  text: string,
  part: number,
  call: SynthesisCallOptions,
  signal: AbortSignal,
  summary: PartResultSummary,
): AsyncGenerator<SynthesisChunk> {
  const body = buildSynthesisBody({ ...resolved, text });
  const maxRetries = call.maxRetries ?? client.maxRetries;
  for (let attempt = 1; ; attempt += 1) {
    const requestId = randomId();
    const assembler = new AudioAssembler(resolved.audioConfig.audioEncoding, resolved.audioConfig.sampleRateHertz);
    // Audio or timestamps handed on: from then on a retry would repeat output, so none happens.
    let delivered = false;
    let formatSent = false;
    try {
      const response = await requestStream(client, { method: 'POST', path: TTS_STREAM_PATH, body, signal, timeoutMs: call.timeoutMs, requestId });
      for await (const value of decodeNdjson(response.body)) {
        const parsed = parseStreamLine(value, requestId);
        if (!parsed) continue;
        const chunk: SynthesisChunk = { part };
        if (parsed.audio) {
          const audio = assembler.push(parsed.audio);
          if (audio.length > 0) chunk.audio = audio;
        }
        if (parsed.timestamps) chunk.timestamps = parsed.timestamps;
        if (parsed.usage) chunk.usage = parsed.usage;
        if (chunk.audio === undefined && chunk.timestamps === undefined && chunk.usage === undefined) continue;
        if (chunk.audio && !formatSent) {
          chunk.format = assembler.format();
          formatSent = true;
        }
        if (!delivered) chunk.requestId = requestId;
        if (chunk.audio || chunk.timestamps) delivered = true;
        yield chunk;
      }
      if (assembler.danglingBytes > 0) {
        client.logger.debug(`TTS part ${part}: dropped ${assembler.danglingBytes} trailing byte(s) that do not form a whole sample`);
      }
      summary.durationSeconds = assembler.durationSeconds();
      return;
    } catch (error) {
      if (signal.aborted) throw abortError(signal);
      // Never retry once anything of this part reached the caller: the output would repeat.
      if (delivered) throw error;
      const decision = decideRetry(error, attempt, maxRetries, { baseDelayMs: call.retryBaseDelayMs });
      if (!decision.retry) throw error;
      client.logger.debug(`TTS part ${part}: attempt ${attempt} failed (${(error as Error).message}); retrying in ${decision.delayMs} ms`);
      call.onRetry?.({ attempt, error, delayMs: decision.delayMs, part });
      await sleep(decision.delayMs, signal);
    }
  }
}
