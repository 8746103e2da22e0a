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
import { randomUUID } from 'node:crypto';
import type { InworldClient } from '../core/client.js';
import { APIError, ProtocolError, UserAbortError, makeApiError, parseRpcStatus } from '../core/errors.js';
import { requestJson, requestStream } from '../core/http.js';
import { AudioDurationMeter, measureDuration } from '../audio/duration-meter.js';
import { createPartJoiner, type HeaderPatch, type PartJoiner } from '../audio/part-joiner.js';
import { decodeNdjson } from '../core/ndjson.js';
import { abortError, decideRetry, sleep, withRetry, type RetryInfo } from '../core/retry.js';
import { buildSynthesisBody, bytesPerSecond, isPcm16Encoding, type AudioEncoding, type ResolvedSynthesisOptions, type SynthesisOptions } from './options.js';
import type { WarningListener } from './model-checks.js';
import { planSynthesis } from './plan.js';
import { appendTimestamps, offsetTimestamps, parseTimestampInfo, type Timestamps } from './timestamps.js';
import { stripWavHeader, type WavInfo } from '../audio/wav-reader.js';

export const TTS_STREAM_PATH = '/tts/v1/voice:stream';
export const TTS_SYNC_PATH = '/tts/v1/voice';
/** Parts requested at once for long text (the one being consumed plus the next). */
export const DEFAULT_MAX_PARTS_IN_FLIGHT = 2;
/** Audio a not-yet-consumed part may buffer before it stops reading its response. */
export const DEFAULT_MAX_BUFFERED_BYTES_PER_PART = 8 * 1024 * 1024;

/** What the server billed for one synthesis. */
export interface Usage {
  processedCharactersCount?: number;
  modelId?: string;
}

/** What the audio bytes of a synthesis are: encoding, container, rate and channels. */
export interface AudioFormat {
  encoding: AudioEncoding;
  /** What `audio` holds: raw s16le PCM, raw G.711, or the encoder's own container bytes. */
  container: 'pcm_s16le' | 'mulaw' | 'alaw' | 'mp3' | 'ogg_opus' | 'flac';
  sampleRateHertz: number;
  channels: number;
}

/** One piece of an HTTP streaming synthesis: audio and/or timestamps, in order. */
export interface SynthesisChunk {
  audio?: Buffer;
  timestamps?: Timestamps;
  usage?: Usage;
  /** On the first chunk that carries audio. */
  format?: AudioFormat;
  /** Index of the text part (request) this chunk came from; 0 unless the text was split. */
  part: number;
  /** On the first chunk of each part: the `x-request-id` of the request that produced it. */
  requestId?: string;
  /**
   * On the last chunk of a multi-part FLAC: bytes to write over the output at `offset` once all of
   * it is written (STREAMINFO's totals, sent as "unknown"). For a seekable file; a pipe may ignore it.
   */
  headerPatch?: HeaderPatch;
}

/** Per-call settings for HTTP synthesis: cancellation, deadlines, retries and long-text splitting. */
export interface SynthesisCallOptions {
  signal?: AbortSignal;
  /** Connect/first-byte and idle deadline per request; defaults to client.timeoutMs. */
  timeoutMs?: number;
  /** Defaults to client.maxRetries. */
  maxRetries?: number;
  /** Longest text per request; longer text is split at sentence boundaries. Default 2000. */
  maxTextChars?: number;
  maxPartsInFlight?: number;
  maxBufferedBytesPerPart?: number;
  /** Called before each retry of a part, with the failure and the delay. */
  onRetry?: (info: RetryInfo & { part: number }) => void;
  /** Called with the text of each part before it is requested. */
  onPart?: (info: { part: number; parts: number; text: string }) => void;
  /** Override retry backoff (tests). */
  retryBaseDelayMs?: number;
  /** Hears what is sent anyway but probably not meant (an unknown model, an ignored temperature), before the first request. */
  onWarning?: WarningListener;
}

/** One parsed `:stream` line (or the whole `/tts/v1/voice` body). */
interface ParsedResult {
  audio?: Buffer;
  timestamps?: Timestamps;
  usage?: Usage;
}

const BASE64 = /^[A-Za-z0-9+/\-_]*={0,2}$/;
const EQUALS_SIGN = 0x3d;

/** Decodes base64 strictly: invalid characters or a bad length are a ProtocolError, not silent garbage. */
export function decodeBase64Audio(value: unknown, requestId?: string): Buffer {
  if (typeof value !== 'string') {
    throw new ProtocolError({ serverMessage: `audioContent is ${typeof value}, expected a base64 string`, requestId }, { retryable: true });
  }
  // Fast path (every chunk of every response): Node skips characters it cannot decode, so a clean
  // string is exactly one whose decoded length matches its unpadded length.
  const decoded = Buffer.from(value, 'base64');
  let unpaddedLength = value.length;
  while (unpaddedLength > 0 && value.charCodeAt(unpaddedLength - 1) === EQUALS_SIGN) unpaddedLength -= 1;
  if (unpaddedLength % 4 !== 1 && decoded.length === Math.floor((unpaddedLength * 3) / 4)) return decoded;
  // Slow path: tolerate whitespace, reject anything else.
  const compact = value.replace(/\s+/g, '');
  const unpadded = compact.replace(/=+$/, '');
  if (!BASE64.test(compact) || unpadded.length % 4 === 1) {
    // Retryable: a garbled response is worth one more try while nothing has been delivered.
    throw new ProtocolError({ serverMessage: `audioContent is not valid base64 (${compact.length} characters)`, requestId }, { retryable: true });
  }
  return Buffer.from(unpadded.replace(/-/g, '+').replace(/_/g, '/'), 'base64');
}

function parseUsage(value: unknown): Usage | undefined {
  if (value === null || typeof value !== 'object') return undefined;
  const record = value as Record<string, unknown>;
  const usage: Usage = {};
  const count = Number(record.processedCharactersCount);
  if (record.processedCharactersCount !== undefined && Number.isFinite(count)) usage.processedCharactersCount = count;
  if (typeof record.modelId === 'string') usage.modelId = record.modelId;
  return usage;
}

function errorFromLine(errorValue: unknown, requestId: string, status?: number): APIError {
  const rpc = parseRpcStatus({ error: errorValue });
  const grpcCode = rpc.grpcCode ?? 2; // UNKNOWN when the server gave no code
  return makeApiError({
    grpcCode,
    status,
    serverMessage: rpc.message ?? 'error in the response stream',
    requestId,
    body: { error: errorValue },
  });
}

/**
 * Reads one `:stream` line: `{result:{…}}`, `{error:{…}}` (thrown as APIError), or, tolerantly, a
 * bare result object. Unknown shapes return undefined.
 */
export function parseStreamLine(value: unknown, requestId: string): ParsedResult | undefined {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new ProtocolError(
      { serverMessage: `unexpected line in the response stream: ${JSON.stringify(value).slice(0, 80)}`, requestId },
      { retryable: true },
    );
  }
  const record = value as Record<string, unknown>;
  if (record.error !== undefined && record.error !== null) throw errorFromLine(record.error, requestId);
  const result = (record.result && typeof record.result === 'object' ? record.result : record) as Record<string, unknown>;
  const status = result.status as { code?: unknown } | undefined;
  if (status && typeof status === 'object' && typeof status.code === 'number' && status.code !== 0) {
    throw errorFromLine(status, requestId);
  }
  const parsed: ParsedResult = {};
  if (result.audioContent !== undefined && result.audioContent !== null && result.audioContent !== '') {
    parsed.audio = decodeBase64Audio(result.audioContent, requestId);
  }
  const timestamps = parseTimestampInfo(result.timestampInfo);
  if (timestamps) parsed.timestamps = timestamps;
  const usage = parseUsage(result.usage);
  if (usage) parsed.usage = usage;
  if (parsed.audio === undefined && parsed.timestamps === undefined && parsed.usage === undefined) return undefined;
  return parsed;
}

function containerFor(encoding: AudioEncoding): AudioFormat['container'] {
  switch (encoding) {
    case 'MULAW':
      return 'mulaw';
    case 'ALAW':
      return 'alaw';
    case 'MP3':
      return 'mp3';
    case 'OGG_OPUS':
      return 'ogg_opus';
    case 'FLAC':
      return 'flac';
    default:
      return 'pcm_s16le';
  }
}

/**
 * Per-response audio normaliser: strips WAV headers for headerful-PCM encodings, keeps 16-bit
 * samples whole across chunks (an odd byte waits for the next chunk), counts raw bytes.
 */
export class AudioAssembler {
  readonly encoding: AudioEncoding;
  sampleRateHertz: number;
  channels = 1;
  /** Audio bytes handed out (after header removal). */
  bytes = 0;
  private carry: Buffer | undefined;
  private readonly frameBytes: number;
  private readonly raw: boolean;
  /** Created with the first audio, once a WAV header may have given the true rate and channels. */
  private meter: AudioDurationMeter | undefined;
  wav?: WavInfo;

  constructor(encoding: AudioEncoding, sampleRateHertz: number) {
    this.encoding = encoding;
    this.sampleRateHertz = sampleRateHertz;
    this.raw = bytesPerSecond(encoding, sampleRateHertz) !== undefined;
    this.frameBytes = isPcm16Encoding(encoding) ? 2 : 1;
  }

  /** Returns the audio to hand out for one decoded chunk (possibly empty). */
  push(chunk: Buffer): Buffer {
    if (!this.raw) {
      this.bytes += chunk.length;
      this.measure(chunk);
      return chunk;
    }
    const stripped = stripWavHeader(chunk);
    if (stripped.wav && !this.wav) {
      this.wav = stripped.wav;
      if (stripped.wav.sampleRate > 0) this.sampleRateHertz = stripped.wav.sampleRate;
      if (stripped.wav.channels > 0) this.channels = stripped.wav.channels;
    }
    let audio = stripped.audio;
    if (this.carry) {
      audio = Buffer.concat([this.carry, audio]);
      this.carry = undefined;
    }
    const frame = this.frameBytes * this.channels;
    const extra = audio.length % frame;
    if (extra !== 0) {
      this.carry = Buffer.from(audio.subarray(audio.length - extra));
      audio = audio.subarray(0, audio.length - extra);
    }
    this.bytes += audio.length;
    this.measure(audio);
    return audio;
  }

  private measure(audio: Buffer): void {
    if (audio.length === 0) return;
    this.meter ??= new AudioDurationMeter(containerFor(this.encoding), this.sampleRateHertz, this.channels);
    this.meter.push(audio);
  }

  /** Bytes left over at the end of a response that do not make a whole sample (dropped). */
  get danglingBytes(): number {
    return this.carry?.length ?? 0;
  }

  /** Seconds of audio handed out so far, measured from the bytes (every encoding). */
  durationSeconds(): number {
    return this.meter?.seconds ?? 0;
  }

  format(): AudioFormat {
    return { encoding: this.encoding, container: containerFor(this.encoding), sampleRateHertz: this.sampleRateHertz, channels: this.channels };
  }
}

interface PartResultSummary {
  durationSeconds: number;
}

/** One request's chunks, with retries before the first chunk. Timestamps relative to this part. */
async function* streamPart(
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
    const requestId = randomUUID();
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

/**
 * Runs a part's generator ahead of consumption into a bounded queue. The consumer drains it when
 * the part's turn comes; until then the pump pauses whenever the queue holds maxBytes of audio.
 */
class PartPump {
  private readonly queue: SynthesisChunk[] = [];
  private queuedBytes = 0;
  private finished = false;
  private failure: { error: unknown } | undefined;
  private wakeConsumer: (() => void) | undefined;
  private wakePump: (() => void) | undefined;
  private cancelled = false;
  readonly settled: Promise<void>;

  constructor(
    private readonly source: AsyncGenerator<SynthesisChunk>,
    private readonly maxBytes: number,
  ) {
    this.settled = this.run();
  }

  private async run(): Promise<void> {
    try {
      for await (const chunk of this.source) {
        this.queue.push(chunk);
        this.queuedBytes += chunk.audio?.length ?? 0;
        this.signalConsumer();
        while (this.queuedBytes >= this.maxBytes && !this.cancelled) {
          await new Promise<void>((resolve) => (this.wakePump = resolve));
        }
        if (this.cancelled) break;
      }
    } catch (error) {
      this.failure = { error };
    } finally {
      this.finished = true;
      this.signalConsumer();
    }
  }

  private signalConsumer(): void {
    const wake = this.wakeConsumer;
    this.wakeConsumer = undefined;
    wake?.();
  }

  private signalPump(): void {
    const wake = this.wakePump;
    this.wakePump = undefined;
    wake?.();
  }

  async *drain(): AsyncGenerator<SynthesisChunk> {
    for (;;) {
      const chunk = this.queue.shift();
      if (chunk) {
        this.queuedBytes -= chunk.audio?.length ?? 0;
        this.signalPump();
        yield chunk;
        continue;
      }
      if (this.finished) {
        if (this.failure) throw this.failure.error;
        return;
      }
      await new Promise<void>((resolve) => (this.wakeConsumer = resolve));
    }
  }

  /** Stops reading; the request itself is ended by the shared AbortSignal. */
  cancel(): void {
    this.cancelled = true;
    this.signalPump();
  }
}

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

/** The whole result of a one-shot synthesis. */
export interface SynthesisResult {
  /** The whole audio: raw PCM / G.711 for fixed-rate encodings (headers removed), else the encoder's bytes. */
  audio: Buffer;
  format: AudioFormat;
  timestamps?: Timestamps;
  /** Summed over all parts. */
  usage?: Usage;
  /** Audio length in seconds, measured from the audio bytes of every part. */
  durationSeconds: number;
  parts: number;
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
