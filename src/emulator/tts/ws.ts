// The bidirectional TTS WebSocket, `/tts/v1/voice:streamBidirectional` (protocol §3).
//
// Per connection: up to 5 contexts, each with its own config, text buffer and generation queue.
// Frames are handled in arrival order and at once (pipelining works: create + send_text +
// close_context back to back), while generations run on a per-context promise chain so each
// context's events stay ordered (audio, trailing timestamps, flushCompleted, ..., contextClosed)
// and different contexts generate concurrently and interleave on the socket.
//
// Generation starts on: flush_context / send_text.flush_context, the buffer reaching
// bufferCharThreshold, maxBufferDelayMs after text entered an empty buffer, close_context, and in
// autoMode at each sentence end. One flushCompleted per generation that had text (an empty flush
// sends none unless the `tts-empty-flush` fault says so). Timestamps restart at 0 per generation.
// A status error ends its context on the server side too, freeing its slot.
// Fault actions: ws-faults.ts (custom) plus the generic ws-close / ws-error / ws-drop / ws-reorder-close.
import type { IncomingMessage } from 'node:http';
import { performance } from 'node:perf_hooks';
import type { WebSocket } from 'ws';
import type { EmulatorContext } from '../server/context.js';
import type { AudioEncoder } from '../codecs/encoders.js';
import type { RenderedSpeech, TimedText } from './speech.js';
import {
  ConfigValueError,
  FrameTypeError,
  parseClientFrame,
  parseCreateConfig,
  type ClientAction,
  type ContextConfig,
} from './ws-config.js';
import { faultMatchesContext, ttsWsFaults, type GenericWsFault, type TtsWsFault } from './ws-faults.js';

export const MAX_CONTEXTS_PER_CONNECTION = 5;
/** Client frames kept in the request log per connection, so a long stream cannot grow it forever. */
export const MAX_RECORDED_MESSAGES_PER_CONNECTION = 2000;
/** The documented idle limit: "closed after 10 minutes of inactivity across any context" (§3.7). */
export const DEFAULT_IDLE_TIMEOUT_MS = 10 * 60_000;
const GRPC_INVALID_ARGUMENT = 3;
const GRPC_NOT_FOUND = 5;
const GRPC_ALREADY_EXISTS = 6;
const GRPC_RESOURCE_EXHAUSTED = 8;
const GRPC_ABORTED = 10;
const GRPC_INTERNAL = 13;
/** The `details` reason PC-3269 saw with "Paused due to inactivity". */
const SESSION_PAUSED_REASON = 'SESSION_PAUSED';

interface ContextFault extends TtsWsFault {
  used: boolean;
}

interface TtsContext {
  readonly id: string;
  readonly index: number;
  readonly config: ContextConfig;
  buffer: string;
  bufferTimer: NodeJS.Timeout | undefined;
  chain: Promise<void>;
  /** close_context received: no more text; still counts against the limit until contextClosed. */
  closing: boolean;
  /** Ended by a status error or fault: nothing more is sent for it. */
  dead: boolean;
  contextClosedSent: boolean;
  chunksSent: number;
  /** OGG_OPUS keeps one encoder for the whole context so all its chunks form one Ogg stream. */
  oggEncoder: AudioEncoder | undefined;
  readonly faults: ContextFault[];
}

export function handleTtsSocket(socket: WebSocket, _request: IncomingMessage, context: EmulatorContext): void {
  new TtsSocketSession(socket, context).start();
}

class TtsSocketSession {
  private readonly contexts = new Map<string, TtsContext>();
  private createdCount = 0;
  private serverMessages = 0;
  private recordedMessages = 0;
  private closed = false;
  private idleTimer: NodeJS.Timeout | undefined;
  private readonly idleTimeoutMs: number;
  private readonly custom: TtsWsFault[];
  private readonly generic: GenericWsFault[];
  private readonly whenClosed: Promise<void>;
  private resolveClosed!: () => void;

  constructor(
    private readonly socket: WebSocket,
    private readonly context: EmulatorContext,
  ) {
    const { custom, generic } = ttsWsFaults(context.matchedFaults);
    this.custom = custom;
    this.generic = generic;
    this.idleTimeoutMs = custom.find((f) => f.name === 'tts-idle')?.ms ?? DEFAULT_IDLE_TIMEOUT_MS;
    this.whenClosed = new Promise((resolve) => {
      this.resolveClosed = resolve;
    });
  }

  start(): void {
    this.socket.on('message', (data, isBinary) => this.onFrame(data.toString(), isBinary));
    this.socket.on('close', () => this.shutdown());
    this.socket.on('error', () => this.shutdown());
    this.context.onClose(() => {
      this.socket.terminate();
      this.shutdown();
    });
    this.touch();
    this.applyGenericFaults();
  }

  private onFrame(text: string, isBinary: boolean): void {
    if (this.closed) return;
    this.touch();
    if (this.recordedMessages < MAX_RECORDED_MESSAGES_PER_CONNECTION) {
      this.recordedMessages += 1;
      let parsedForRecord: unknown = text;
      try {
        parsedForRecord = JSON.parse(text);
      } catch {
        // recorded as raw text
      }
      this.context.recorder.appendMessage(this.context.record, parsedForRecord);
    }
    if (isBinary) {
      this.sendTopLevelError(GRPC_INVALID_ARGUMENT, 'Invalid payload: binary frames are not supported');
      return;
    }
    let action: ClientAction;
    try {
      action = parseClientFrame(text);
    } catch (error) {
      this.sendTopLevelError(GRPC_INVALID_ARGUMENT, (error as Error).message);
      return;
    }
    this.context.log.debug(`tts-ws ${action.kind} ${action.contextId ?? '(no context)'}`);
    switch (action.kind) {
      case 'create':
        this.create(action.contextId, action.body);
        return;
      case 'send_text':
        this.sendText(action.contextId, action.text, action.flush);
        return;
      case 'flush_context':
        this.flushContext(action.contextId);
        return;
      case 'close_context':
        this.closeContext(action.contextId);
        return;
    }
  }

  private create(requestedId: string | undefined, body: Record<string, unknown>): void {
    const id = requestedId ?? `ctx-${this.createdCount + 1}`;
    if (this.contexts.has(id)) {
      this.sendStatus(id, GRPC_ALREADY_EXISTS, `Context ${id} already exists`);
      return;
    }
    if (this.contexts.size >= MAX_CONTEXTS_PER_CONNECTION) {
      this.sendStatus(id, GRPC_RESOURCE_EXHAUSTED, `max contexts limit reached (${MAX_CONTEXTS_PER_CONNECTION} per connection)`);
      return;
    }
    let config: ContextConfig;
    try {
      config = parseCreateConfig(body, { bufferCharThresholdMax: this.context.options.limits.bufferCharThresholdMax });
    } catch (error) {
      if (error instanceof FrameTypeError) this.sendTopLevelError(GRPC_INVALID_ARGUMENT, error.message);
      else if (error instanceof ConfigValueError) this.sendStatus(id, error.code, error.message);
      else this.sendStatus(id, GRPC_INTERNAL, (error as Error).message);
      return;
    }
    if (!this.context.voices.find(config.voiceId) && this.context.options.unknownVoice !== 'accept') {
      const code = this.context.options.unknownVoice === 'invalid-argument' ? GRPC_INVALID_ARGUMENT : GRPC_NOT_FOUND;
      this.sendStatus(id, code, `Unknown voice: ${config.voiceId} not found`);
      return;
    }
    const index = this.createdCount++;
    const ctx: TtsContext = {
      id,
      index,
      config,
      buffer: '',
      bufferTimer: undefined,
      chain: Promise.resolve(),
      closing: false,
      dead: false,
      contextClosedSent: false,
      chunksSent: 0,
      oggEncoder: undefined,
      faults: this.custom.filter((fault) => faultMatchesContext(fault, id, index)).map((fault) => ({ ...fault, used: false })),
    };
    this.contexts.set(id, ctx);
    this.sendResult(id, { contextCreated: config.echo });
  }

  private sendText(contextId: string | undefined, text: string, flush: boolean): void {
    const ctx = this.resolve(contextId, 'SEND_TEXT', 'sendText');
    if (!ctx) return;
    const limit = this.context.options.limits.sendTextChars;
    if ([...text].length > limit) {
      this.killContext(ctx, GRPC_INVALID_ARGUMENT, `Text is too long: ${[...text].length} characters, the limit per send_text is ${limit}`);
      return;
    }
    if (text.length > 0) {
      if (ctx.buffer.length === 0) this.armBufferTimer(ctx);
      ctx.buffer += text;
    }
    if (flush) {
      this.generateBuffer(ctx);
      return;
    }
    if (ctx.buffer.length >= ctx.config.bufferCharThreshold) {
      this.generateBuffer(ctx);
      return;
    }
    if (ctx.config.autoMode) {
      const end = lastSentenceEnd(ctx.buffer);
      if (end > 0) {
        const ready = ctx.buffer.slice(0, end);
        ctx.buffer = ctx.buffer.slice(end);
        this.clearBufferTimer(ctx);
        if (ctx.buffer.length > 0) this.armBufferTimer(ctx);
        this.enqueueGeneration(ctx, ready);
      }
    }
  }

  private flushContext(contextId: string | undefined): void {
    const ctx = this.resolve(contextId, 'FLUSH_CONTEXT', 'flushContext');
    if (ctx) this.generateBuffer(ctx);
  }

  private closeContext(contextId: string | undefined): void {
    const ctx = this.resolve(contextId, 'CLOSE_CONTEXT', 'closeContext');
    if (!ctx) return;
    this.generateBuffer(ctx);
    ctx.closing = true;
    if (this.generic.some((fault) => fault.type === 'ws-reorder-close')) {
      // The race Pipecat reported (§3.6): the close acknowledgement overtakes the audio.
      ctx.contextClosedSent = true;
      this.sendResult(ctx.id, { contextClosed: {} });
    }
    ctx.chain = ctx.chain.then(() => this.finishClose(ctx));
  }

  /** Finds the context a frame is for, or answers the error the real service gives. */
  private resolve(contextId: string | undefined, payload: string, operation: string): TtsContext | undefined {
    if (contextId === undefined) {
      const open = [...this.contexts.values()].filter((ctx) => !ctx.closing && !ctx.dead);
      if (open.length === 1) return open[0];
      this.sendStatus('', GRPC_INVALID_ARGUMENT, `context_id is required when ${open.length} contexts are open (payload=${payload})`);
      return undefined;
    }
    const ctx = this.contexts.get(contextId);
    if (!ctx || ctx.closing || ctx.dead) {
      this.sendStatus(contextId, GRPC_NOT_FOUND, `Context ${contextId} not found during ${operation}`);
      return undefined;
    }
    return ctx;
  }

  private generateBuffer(ctx: TtsContext): void {
    this.clearBufferTimer(ctx);
    const text = ctx.buffer;
    ctx.buffer = '';
    this.enqueueGeneration(ctx, text);
  }

  private enqueueGeneration(ctx: TtsContext, text: string): void {
    ctx.chain = ctx.chain.then(() => this.generate(ctx, text)).catch((error: unknown) => {
      if (!this.closed && !ctx.dead) this.killContext(ctx, GRPC_INTERNAL, `generation failed: ${(error as Error).message}`);
    });
  }

  private async generate(ctx: TtsContext, text: string): Promise<void> {
    if (this.closed || ctx.dead) return;
    const spoken = text.trim();
    if (spoken.length === 0) {
      if (this.custom.some((fault) => fault.name === 'tts-empty-flush')) this.sendResult(ctx.id, { flushCompleted: {} });
      return;
    }
    const latencyMs =
      this.context.options.generationLatencyMs +
      ctx.faults.filter((fault) => fault.name === 'tts-latency').reduce((sum, fault) => sum + (fault.ms ?? 0), 0);
    // The latency is time to first audio, synthesis included: the engine renders and the
    // frames are encoded while the latency runs, so 100 generations whose latencies end together
    // only send prepared frames then, instead of queueing 100 renders and encodes on this one
    // event loop before their first chunks (the service synthesizes in parallel on its own
    // hardware). Generations of one context still run one after another (the chain).
    const started = performance.now();
    const { config } = ctx;
    const speech = await this.context.speech.render(spoken, {
      sampleRateHz: config.sampleRateHz,
      speakingRate: config.speakingRate,
      voiceId: config.voiceId,
      language: config.language,
    });
    if (this.closed || ctx.dead) return;
    const frames = this.audioFrames(ctx, spoken, speech);
    const remainingMs = latencyMs - (performance.now() - started);
    if (remainingMs > 0) await this.wait(remainingMs);
    if (this.closed || ctx.dead) return;
    for (const frame of frames) {
      if (ctx.faults.length > 0 && !(await this.applyChunkFaults(ctx))) return;
      this.sendSerialized(frame.json);
      ctx.chunksSent += 1;
      if (this.context.options.realtime) await this.wait(frame.ms);
      if (this.closed || ctx.dead) return;
    }
    const timed = config.timestampType === 'WORD' ? speech.words : config.timestampType === 'CHARACTER' ? speech.characters : undefined;
    if (timed && config.transport === 'ASYNC' && timed.length > 0) {
      // Trailing timestamp-only message(s), sent before flushCompleted (§3.6).
      this.sendResult(ctx.id, { audioChunk: { timestampInfo: timestampInfo(config.timestampType, timed) } });
    }
    this.sendResult(ctx.id, { flushCompleted: {} });
  }

  /**
   * A generation's audio chunks as serialized result frames (streamChunkMs of audio each; SYNC
   * timestamps with the chunk their words start in; usage on the first), with each chunk's
   * duration for realtime pacing.
   */
  private audioFrames(ctx: TtsContext, spoken: string, speech: RenderedSpeech): Array<{ json: string; ms: number }> {
    const { config } = ctx;
    const encoder =
      config.encoding === 'OGG_OPUS'
        ? (ctx.oggEncoder ??= this.context.createEncoder({ encoding: 'OGG_OPUS', sampleRateHz: config.sampleRateHz, bitRate: config.bitRate }))
        : this.context.createEncoder({
            encoding: config.encoding,
            sampleRateHz: config.sampleRateHz,
            bitRate: config.bitRate,
            totalSamples: speech.samples.length,
          });
    const timed = config.timestampType === 'WORD' ? speech.words : config.timestampType === 'CHARACTER' ? speech.characters : undefined;
    const samplesPerChunk = Math.max(1, Math.round((config.sampleRateHz * this.context.options.streamChunkMs) / 1000));
    const chunkCount = Math.max(1, Math.ceil(speech.samples.length / samplesPerChunk));
    const frames: Array<{ json: string; ms: number }> = [];
    let usageSent = false;
    for (let i = 0; i < chunkCount; i++) {
      const last = i === chunkCount - 1;
      const samples = speech.samples.subarray(i * samplesPerChunk, Math.min(speech.samples.length, (i + 1) * samplesPerChunk));
      let bytes = samples.length > 0 ? encoder.write(samples) : Buffer.alloc(0);
      if (last && config.encoding !== 'OGG_OPUS') bytes = Buffer.concat([bytes, encoder.end()]);
      const chunk: Record<string, unknown> = {};
      if (bytes.length > 0) chunk.audioContent = bytes.toString('base64');
      if (timed && config.transport === 'SYNC') {
        const from = (i * samplesPerChunk) / config.sampleRateHz;
        const to = last ? Number.POSITIVE_INFINITY : ((i + 1) * samplesPerChunk) / config.sampleRateHz;
        const info = timestampInfo(config.timestampType, timed.filter((t) => t.startSeconds >= from && t.startSeconds < to));
        if (info) chunk.timestampInfo = info;
      }
      if (chunk.audioContent === undefined && chunk.timestampInfo === undefined) continue;
      if (!usageSent) {
        chunk.usage = { processedCharactersCount: [...spoken].length, modelId: config.modelId };
        usageSent = true;
      }
      frames.push({ json: resultJson(ctx.id, { audioChunk: chunk }), ms: (samples.length / config.sampleRateHz) * 1000 });
    }
    return frames;
  }

  /** Runs the chunk-position faults for a context; false when the context (or socket) is gone. */
  private async applyChunkFaults(ctx: TtsContext): Promise<boolean> {
    for (const fault of ctx.faults) {
      if (fault.used || fault.afterChunks !== ctx.chunksSent) continue;
      if (fault.name === 'tts-drop') {
        fault.used = true;
        this.context.log.info(`tts-ws fault: dropping the connection at context ${ctx.id} chunk ${ctx.chunksSent}`);
        this.socket.terminate();
        this.shutdown();
        return false;
      }
      if (fault.name === 'tts-stall') {
        fault.used = true;
        await this.wait(fault.ms);
      } else if (fault.name === 'tts-status') {
        fault.used = true;
        this.killContext(ctx, fault.code ?? GRPC_INTERNAL, fault.message ?? 'internal error');
        return false;
      }
    }
    return !this.closed && !ctx.dead;
  }

  private finishClose(ctx: TtsContext): void {
    if (this.closed || ctx.dead) return;
    if (ctx.oggEncoder) {
      const tail = ctx.oggEncoder.end();
      if (tail.length > 0) this.sendResult(ctx.id, { audioChunk: { audioContent: tail.toString('base64') } });
    }
    this.contexts.delete(ctx.id);
    const silent = ctx.faults.some((fault) => fault.name === 'tts-no-context-closed');
    if (!silent && !ctx.contextClosedSent) this.sendResult(ctx.id, { contextClosed: {} });
    ctx.contextClosedSent = true;
  }

  /** A status error for a context that exists ends it: the server forgets it and frees the slot. */
  private killContext(ctx: TtsContext, code: number, message: string): void {
    ctx.dead = true;
    this.clearBufferTimer(ctx);
    this.contexts.delete(ctx.id);
    this.sendStatus(ctx.id, code, message);
  }

  private armBufferTimer(ctx: TtsContext): void {
    if (ctx.bufferTimer || ctx.config.maxBufferDelayMs <= 0) return;
    ctx.bufferTimer = setTimeout(() => {
      ctx.bufferTimer = undefined;
      if (!this.closed && !ctx.dead && ctx.buffer.length > 0) this.generateBuffer(ctx);
    }, ctx.config.maxBufferDelayMs);
    ctx.bufferTimer.unref();
  }

  private clearBufferTimer(ctx: TtsContext): void {
    if (ctx.bufferTimer) clearTimeout(ctx.bufferTimer);
    ctx.bufferTimer = undefined;
  }

  private sendResult(contextId: string, event: Record<string, unknown>): void {
    this.sendSerialized(resultJson(contextId, event));
  }

  private sendStatus(contextId: string, code: number, message: string): void {
    this.send({ result: { contextId, status: { code, message, details: [] } } });
  }

  private sendTopLevelError(code: number, message: string, details: unknown[] = []): void {
    this.send({ error: { code, message, details } });
  }

  private send(frame: unknown): void {
    this.sendSerialized(JSON.stringify(frame));
  }

  private sendSerialized(json: string): void {
    if (this.closed || this.socket.readyState !== 1) return;
    this.socket.send(json);
    this.serverMessages += 1;
    this.applyGenericFaults();
  }

  /** ws-close / ws-error / ws-drop fire once the server has sent `afterMessages` frames. */
  private applyGenericFaults(): void {
    for (let i = 0; i < this.generic.length; i++) {
      const fault = this.generic[i]!;
      if (fault.type === 'ws-reorder-close') continue;
      if ((fault.afterMessages ?? 0) !== this.serverMessages) continue;
      this.generic.splice(i, 1);
      i -= 1;
      if (fault.type === 'ws-error') {
        this.sendTopLevelError(fault.code ?? GRPC_INTERNAL, fault.message ?? 'internal error');
      } else if (fault.type === 'ws-close') {
        this.socket.close(fault.closeCode, fault.reason ?? '');
        this.shutdown();
      } else if (fault.type === 'ws-drop') {
        this.socket.terminate();
        this.shutdown();
      }
    }
  }

  private touch(): void {
    if (this.idleTimer) clearTimeout(this.idleTimer);
    this.idleTimer = setTimeout(() => {
      // What PC-3269 saw: a top-level ABORTED error, then the socket dropped without a close frame.
      this.sendTopLevelError(GRPC_ABORTED, 'Paused due to inactivity', [{ reason: SESSION_PAUSED_REASON }]);
      this.socket.terminate();
      this.shutdown();
    }, this.idleTimeoutMs);
    this.idleTimer.unref();
  }

  /** Resolves after `ms`, or never when `ms` is absent; always resolves when the socket closes. */
  private wait(ms?: number): Promise<void> {
    if (ms === undefined) return this.whenClosed;
    return Promise.race([this.context.delay(ms).catch(() => undefined), this.whenClosed]);
  }

  private shutdown(): void {
    if (this.closed) return;
    this.closed = true;
    if (this.idleTimer) clearTimeout(this.idleTimer);
    for (const ctx of this.contexts.values()) this.clearBufferTimer(ctx);
    this.contexts.clear();
    this.resolveClosed();
  }
}

/** A successful result frame for a context, serialized. */
function resultJson(contextId: string, event: Record<string, unknown>): string {
  return JSON.stringify({ result: { contextId, ...event, status: { code: 0, message: '', details: [] } } });
}

/** Index just after the last sentence end in the buffer (0 when there is none): autoMode's cut. */
function lastSentenceEnd(text: string): number {
  let end = 0;
  const pattern = /[.!?…。！？]+["'”’)\]]*(?=\s|$)/gu;
  for (let match = pattern.exec(text); match; match = pattern.exec(text)) end = match.index + match[0].length;
  return end;
}

function timestampInfo(type: ContextConfig['timestampType'], items: readonly TimedText[]): Record<string, unknown> | undefined {
  if (items.length === 0) return undefined;
  if (type === 'WORD') {
    return {
      wordAlignment: {
        words: items.map((t) => t.text),
        wordStartTimeSeconds: items.map((t) => round(t.startSeconds)),
        wordEndTimeSeconds: items.map((t) => round(t.endSeconds)),
      },
    };
  }
  return {
    characterAlignment: {
      characters: items.map((t) => t.text),
      characterStartTimeSeconds: items.map((t) => round(t.startSeconds)),
      characterEndTimeSeconds: items.map((t) => round(t.endSeconds)),
    },
  };
}

function round(seconds: number): number {
  return Math.round(seconds * 1e4) / 1e4;
}
