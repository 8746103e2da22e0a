// HTTP text-to-speech: `POST /tts/v1/voice:stream` (NDJSON, streamed) and `POST /tts/v1/voice`
// (one JSON object).
//
// What callers get from synthesizeStream():
//  - chunks in order: `{ audio?, timestamps?, usage?, format?, part }`;
//  - for PCM, LINEAR16 and WAV, `audio` is raw 16-bit little-endian mono PCM: every WAV header
//    (LINEAR16's per-chunk headers, WAV's first-chunk header) is parsed and removed, so the caller
//    writes its own container with correct sizes. MULAW/ALAW are raw 8-bit G.711 (a header, if the
//    server ever sends one, is removed too). MP3, OGG_OPUS and FLAC bytes pass through untouched;
//  - the first chunk carrying audio has `format` (encoding, sample rate from the header if any);
//  - timestamps as arrays of {text, start, end} in seconds from the start of the whole output.
//
// Long text: text longer than maxTextChars is cut into sentence-aligned parts (tts/sentences.ts),
// each synthesized by its own request, and the parts are delivered in order as one gapless stream.
// Up to maxPartsInFlight requests run at once: part k+1 is already being received while part k is
// being consumed. A part that is not being consumed yet buffers at most maxBufferedBytesPerPart and
// then stops reading (TCP backpressure), so memory stays bounded. Timestamps of part k are offset
// by the audio duration of parts 0..k-1, measured from the bytes received (audio/duration-meter.ts):
// byte counts for PCM-family and G.711 encodings, frame headers or Ogg granules for compressed ones,
// so trailing silence and encoder padding are counted as a player plays them.
// Several parts of MP3, OGG_OPUS or FLAC are joined into one stream as they are delivered
// (audio/part-joiner.ts: one FLAC file, one logical Ogg stream, no mid-file tags), and timestamps
// are offset by where each part really starts in it; a multi-part FLAC's last chunk carries the
// STREAMINFO totals as a headerPatch for a seekable file.
//
// Retries (core/retry.ts) happen per part and only before that part produced anything.
//
// The pieces: http-types.ts (the public chunk, result and call types), http-response.ts (one
// response line read into audio, timestamps and usage), audio-assembler.ts (a response's audio
// normalised and measured), http-part.ts (one part's streaming request and its retries),
// part-pump.ts (a part read ahead into a bounded queue). This file plans the parts and runs them.
import { measureDuration } from '../audio/duration-meter.js';
import { createPartJoiner, type PartJoiner } from '../audio/part-joiner.js';
import type { InworldClient } from '../core/client.js';
import { UserAbortError } from '../core/errors.js';
import { requestJson } from '../core/http.js';
import { abortError, withRetry } from '../core/retry.js';
import { AudioAssembler, containerFor } from './audio-assembler.js';
import { streamPart, type PartResultSummary } from './http-part.js';
import { parseStreamLine } from './http-response.js';
import type { AudioFormat, SynthesisCallOptions, SynthesisChunk, SynthesisResult, Usage } from './http-types.js';
import { buildSynthesisBody, type ResolvedSynthesisOptions, type SynthesisOptions } from './options.js';
import { PartPump } from './part-pump.js';
import { planSynthesis } from './plan.js';
import { appendTimestamps, offsetTimestamps, type Timestamps } from './timestamps.js';

export const TTS_SYNC_PATH = '/tts/v1/voice';
/** Parts requested at once for long text (the one being consumed plus the next). */
export const DEFAULT_MAX_PARTS_IN_FLIGHT = 2;
/** Audio a not-yet-consumed part may buffer before it stops reading its response. */
export const DEFAULT_MAX_BUFFERED_BYTES_PER_PART = 8 * 1024 * 1024;

/**
 * Streams synthesized audio over `POST /tts/v1/voice:stream`. Long text is split and pipelined
 * (see the file header). Breaking out of the loop, or aborting `signal`, ends every request.
 */
export async function* synthesizeStream(
  client: InworldClient,
  options: SynthesisOptions,
  call: SynthesisCallOptions = {},
): AsyncGenerator<SynthesisChunk> {
  const { resolved, parts } = planSynthesis(options, call.maxTextChars, call.onWarning);
  const inFlight = Math.max(1, call.maxPartsInFlight ?? DEFAULT_MAX_PARTS_IN_FLIGHT);
  const maxBuffered = Math.max(1, call.maxBufferedBytesPerPart ?? DEFAULT_MAX_BUFFERED_BYTES_PER_PART);

  // One controller ends all of this call's requests: caller abort, consumer exit, or a failed part.
  const controller = new AbortController();
  const onCallerAbort = () => controller.abort(abortError(call.signal!));
  if (call.signal?.aborted) throw abortError(call.signal);
  call.signal?.addEventListener('abort', onCallerAbort, { once: true });

  const summaries: PartResultSummary[] = parts.map(() => ({ durationSeconds: 0 }));
  const pumps: Array<PartPump | undefined> = [];
  const start = (index: number) => {
    if (index >= parts.length || pumps[index]) return;
    call.onPart?.({ part: index, parts: parts.length, text: parts[index]! });
    pumps[index] = new PartPump(streamPart(client, resolved, parts[index]!, index, call, controller.signal, summaries[index]!), maxBuffered);
  };

  let offsetSeconds = 0;
  let formatSent = false;
  const joiner = parts.length > 1 ? createPartJoiner(containerFor(resolved.audioConfig.audioEncoding)) : undefined;
  try {
    for (let index = 0; index < parts.length; index += 1) {
      for (let ahead = index; ahead < Math.min(parts.length, index + inFlight); ahead += 1) start(ahead);
      for await (const chunk of pumps[index]!.drain()) {
        if (joiner && chunk.audio) joinInto(chunk, joiner.push(chunk.audio));
        // Pushed first: a joiner knows where a part starts once it has seen the part's header.
        const offset = joiner ? joiner.partOffsetSeconds() : offsetSeconds;
        if (chunk.timestamps && offset !== 0) chunk.timestamps = offsetTimestamps(chunk.timestamps, offset);
        if (chunk.format) {
          if (formatSent) delete chunk.format;
          else formatSent = true;
        }
        yield chunk;
      }
      offsetSeconds += summaries[index]!.durationSeconds;
      pumps[index] = undefined;
      if (joiner) {
        const last = index === parts.length - 1;
        const chunk: SynthesisChunk = { part: index };
        joinInto(chunk, last ? joiner.end() : joiner.endPart());
        const headerPatch = last ? joiner.headerPatch() : undefined;
        if (headerPatch) chunk.headerPatch = headerPatch;
        if (chunk.audio || chunk.headerPatch) yield chunk;
      }
    }
  } finally {
    call.signal?.removeEventListener('abort', onCallerAbort);
    const pending = pumps.filter((pump): pump is PartPump => pump !== undefined);
    if (pending.length > 0) {
      if (!controller.signal.aborted) controller.abort(new UserAbortError('Synthesis closed by the caller'));
      for (const pump of pending) pump.cancel();
      await Promise.allSettled(pending.map((pump) => pump.settled));
    }
  }
}

/** Sets a chunk's audio to what the joiner gave out for it (nothing while a frame is incomplete). */
function joinInto(chunk: SynthesisChunk, joined: Buffer): void {
  if (joined.length > 0) chunk.audio = joined;
  else delete chunk.audio;
}


/** Appends one whole part's audio through the joiner; returns the part's offset, if joined. */
function joinPart(joiner: PartJoiner | undefined, audio: Buffer, into: Buffer[], last: boolean): number | undefined {
  if (!joiner) {
    into.push(audio);
    return undefined;
  }
  into.push(joiner.push(audio));
  const offset = joiner.partOffsetSeconds();
  into.push(last ? joiner.end() : joiner.endPart());
  return offset;
}

/**
 * Synthesizes text in one piece over `POST /tts/v1/voice` (long text: one request per part, run
 * maxPartsInFlight at a time, joined in order).
 */
export async function synthesize(client: InworldClient, options: SynthesisOptions, call: SynthesisCallOptions = {}): Promise<SynthesisResult> {
  const { resolved, parts } = planSynthesis(options, call.maxTextChars, call.onWarning);
  const inFlight = Math.max(1, call.maxPartsInFlight ?? DEFAULT_MAX_PARTS_IN_FLIGHT);
  const controller = new AbortController();
  const onCallerAbort = () => controller.abort(abortError(call.signal!));
  if (call.signal?.aborted) throw abortError(call.signal);
  call.signal?.addEventListener('abort', onCallerAbort, { once: true });

  const results: Array<Promise<{ audio: Buffer; assembler: AudioAssembler; timestamps?: Timestamps; usage?: Usage }>> = [];
  const runPart = (index: number) =>
    withRetry(
      async () => {
        call.onPart?.({ part: index, parts: parts.length, text: parts[index]! });
        const body = buildSynthesisBody({ ...resolved, text: parts[index]! }, { includeTransportStrategy: false });
        const response = await requestJson<Record<string, unknown>>(client, {
          method: 'POST',
          path: TTS_SYNC_PATH,
          body,
          signal: controller.signal,
          timeoutMs: call.timeoutMs,
        });
        const parsed = parseStreamLine(response.data, response.requestId) ?? {};
        const assembler = new AudioAssembler(resolved.audioConfig.audioEncoding, resolved.audioConfig.sampleRateHertz);
        const audio = parsed.audio ? assembler.push(parsed.audio) : Buffer.alloc(0);
        return { audio, assembler, timestamps: parsed.timestamps, usage: parsed.usage };
      },
      {
        maxRetries: call.maxRetries ?? client.maxRetries,
        signal: controller.signal,
        baseDelayMs: call.retryBaseDelayMs,
        onRetry: (info) => call.onRetry?.({ ...info, part: index }),
      },
    );

  try {
    // Start the first `inFlight` parts; each completion (in order) starts the next.
    const launch = (index: number) => {
      const promise = runPart(index);
      // Handled when its turn comes; this keeps an early failure of a later part from being "unhandled".
      promise.catch(() => undefined);
      results.push(promise);
    };
    for (let index = 0; index < Math.min(inFlight, parts.length); index += 1) launch(index);
    const audio: Buffer[] = [];
    const timestamps: Timestamps = {};
    let haveTimestamps = false;
    let usage: Usage | undefined;
    let offsetSeconds = 0;
    let format: AudioFormat | undefined;
    const joiner = parts.length > 1 ? createPartJoiner(containerFor(resolved.audioConfig.audioEncoding)) : undefined;
    for (let index = 0; index < parts.length; index += 1) {
      const result = await results[index]!;
      if (index + inFlight < parts.length) launch(index + inFlight);
      const partOffset = joinPart(joiner, result.audio, audio, index === parts.length - 1) ?? offsetSeconds;
      format ??= result.assembler.format();
      if (result.timestamps) {
        haveTimestamps = true;
        appendTimestamps(timestamps, offsetTimestamps(result.timestamps, partOffset));
      }
      if (result.usage) {
        usage ??= {};
        if (result.usage.processedCharactersCount !== undefined) {
          usage.processedCharactersCount = (usage.processedCharactersCount ?? 0) + result.usage.processedCharactersCount;
        }
        if (result.usage.modelId) usage.modelId = result.usage.modelId;
      }
      offsetSeconds += result.assembler.durationSeconds();
    }
    const whole = Buffer.concat(audio);
    const headerPatch = joiner?.headerPatch();
    if (headerPatch) headerPatch.bytes.copy(whole, headerPatch.offset);
    // A joined stream is measured whole: where parts meet, it differs from the parts' sum (Ogg).
    const durationSeconds = joiner ? measureDuration(format!.container, format!.sampleRateHertz, whole, format!.channels) : offsetSeconds;
    const out: SynthesisResult = { audio: whole, format: format!, parts: parts.length, durationSeconds };
    if (haveTimestamps) out.timestamps = timestamps;
    if (usage) out.usage = usage;
    return out;
  } catch (error) {
    if (!controller.signal.aborted) controller.abort(new UserAbortError('Synthesis failed'));
    await Promise.allSettled(results);
    throw error;
  } finally {
    call.signal?.removeEventListener('abort', onCallerAbort);
  }
}
