// The bidirectional TTS WebSocket, `/tts/v1/voice:streamBidirectional`.
//
// Per connection: up to 5 contexts, each with its own config, text buffer and generation queue.
// Frames are handled in arrival order and at once (pipelining works: create + send_text +
// close_context back to back), while generations run on a per-context promise chain so each
// context's events stay ordered (audio, trailing timestamps, flushCompleted, ..., contextClosed)
// and different contexts generate concurrently and interleave on the socket.
//
// Generation starts on: flush_context / send_text.flush_context, the buffer reaching
// bufferCharThreshold, maxBufferDelayMs after text entered an empty buffer, close_context,
// update_config (the buffered text with the old config), and in autoMode at each sentence end. One flushCompleted per generation that had text (an empty flush
// sends none unless the `tts-empty-flush` fault says so). Timestamps restart at 0 per generation.
// A status error ends its context on the server side too, freeing its slot.
// Fault actions: ws-faults.ts (custom) plus the generic ws-close / ws-error / ws-drop (applied by
// the connection, ws-connection.ts) and ws-reorder-close (here, at close_context).
import type { IncomingMessage } from 'node:http';
import { performance } from 'node:perf_hooks';
import type { WebSocket } from 'ws';
import type { EmulatorContext } from '../server/context.js';
import type { AudioEncoder } from '../codecs/encoders.js';
import {
  GRPC_ALREADY_EXISTS, GRPC_INTERNAL, GRPC_INVALID_ARGUMENT, GRPC_NOT_FOUND, GRPC_RESOURCE_EXHAUSTED,
} from '../server/grpc.js';
import { audioFrames, lastSentenceEnd, timedItems, timestampInfo } from './ws-frames.js';
import {
  ConfigValueError,
  FrameTypeError,
  parseClientFrame,
  parseCreateConfig,
  parseUpdatedConfig,
  type ClientAction,
  type ConfigLimits,
  type ContextConfig,
} from './ws-config.js';
import { TtsSocketConnection } from './ws-connection.js';
import { markupMessage } from './markup.js';
import { designVoice } from './voice-variation.js';
import { faultMatchesContext, type TtsWsFault } from './ws-faults.js';
import { entriesFor, missingDictionary, renderPronounced } from '../pronunciations/synthesis.js';

export const MAX_CONTEXTS_PER_CONNECTION = 5;

interface ContextFault extends TtsWsFault {
  used: boolean;
}

interface TtsContext {
  readonly id: string;
  readonly index: number;
  /** Replaced by update_config; each generation keeps the config it was queued under. */
  config: ContextConfig;
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

class TtsSocketSession extends TtsSocketConnection {
  private readonly contexts = new Map<string, TtsContext>();
  private createdCount = 0;

  protected onFrame(text: string): void {
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
      case 'update_config':
        this.updateConfig(action.contextId, action.body);
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
      config = parseCreateConfig(body, this.configLimits());
    } catch (error) {
      if (error instanceof FrameTypeError) this.sendTopLevelError(GRPC_INVALID_ARGUMENT, error.message);
      else if (error instanceof ConfigValueError) this.sendStatus(id, error.code, error.message);
      else this.sendStatus(id, GRPC_INTERNAL, (error as Error).message);
      return;
    }
    if (this.refusesVoice(config.voiceId)) {
      this.sendStatus(id, this.unknownVoiceCode(), `Unknown voice: ${config.voiceId} not found`);
      return;
    }
    const missing = missingDictionary(config.pronunciationDictionaries, this.context.pronunciations);
    if (missing) return this.sendStatus(id, GRPC_NOT_FOUND, `Pronunciation dictionary ${missing} not found`);
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
      // The race one client reported: the close acknowledgement overtakes the audio.
      ctx.contextClosedSent = true;
      this.sendResult(ctx.id, { contextClosed: {} });
    }
    ctx.chain = ctx.chain.then(() => this.finishClose(ctx));
  }

  /**
   * update_config: text already buffered is spoken with the configuration it was sent under, then
   * the new configuration applies and `contextUpdated` echoes it, in order with the audio.
   */
  private updateConfig(contextId: string | undefined, body: Record<string, unknown>): void {
    const ctx = this.resolve(contextId, 'UPDATE_CONFIG', 'updateConfig');
    if (!ctx) return;
    let config: ContextConfig;
    try {
      config = parseUpdatedConfig(ctx.config, body, this.configLimits());
    } catch (error) {
      if (error instanceof FrameTypeError) this.sendTopLevelError(GRPC_INVALID_ARGUMENT, error.message);
      else this.killContext(ctx, error instanceof ConfigValueError ? error.code : GRPC_INTERNAL, (error as Error).message);
      return;
    }
    if (this.refusesVoice(config.voiceId)) {
      this.killContext(ctx, this.unknownVoiceCode(), `Unknown voice: ${config.voiceId} not found`);
      return;
    }
    this.generateBuffer(ctx);
    const previous = ctx.config;
    ctx.config = config;
    ctx.chain = ctx.chain.then(() => {
      if (this.closed || ctx.dead) return;
      const sameOggStream = config.encoding === 'OGG_OPUS' && config.sampleRateHertz === previous.sampleRateHertz && config.bitRate === previous.bitRate;
      if (!sameOggStream) this.endOggStream(ctx);
      this.sendResult(ctx.id, { contextUpdated: config.echo });
    });
  }

  private configLimits(): ConfigLimits {
    return { bufferCharThresholdMax: this.context.options.limits.bufferCharThresholdMax };
  }

  /** An unknown voice id is refused (a designed voice has none). */
  private refusesVoice(voiceId: string): boolean {
    return voiceId !== '' && !this.context.voices.find(voiceId) && this.context.options.unknownVoice !== 'accept';
  }

  private unknownVoiceCode(): number {
    return this.context.options.unknownVoice === 'invalid-argument' ? GRPC_INVALID_ARGUMENT : GRPC_NOT_FOUND;
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
    const { config } = ctx;
    ctx.chain = ctx.chain.then(() => this.generate(ctx, config, text)).catch((error: unknown) => {
      if (!this.closed && !ctx.dead) this.killContext(ctx, GRPC_INTERNAL, `generation failed: ${(error as Error).message}`);
    });
  }

  private async generate(ctx: TtsContext, config: ContextConfig, text: string): Promise<void> {
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
    // Markup limits are per generation, the WebSocket's request.
    const refusal = markupMessage(spoken);
    if (refusal) return this.killContext(ctx, GRPC_INVALID_ARGUMENT, refusal);
    const started = performance.now();
    const entries = entriesFor(this.context.pronunciations, config.pronunciationDictionaries, config.language);
    const speech = await renderPronounced(this.context.speech, spoken, {
      sampleRateHertz: config.sampleRateHertz,
      speakingRate: config.speakingRate,
      voiceId: config.voiceId,
      language: config.language,
      ...(config.designPrompt !== undefined ? { designedVoice: designVoice(config.designPrompt) } : {}),
      ...(config.seed !== undefined ? { seed: config.seed } : {}),
    }, entries);
    if (this.closed || ctx.dead) return;
    const frames = audioFrames(ctx.id, config, this.encoderFor(ctx, config, speech.samples.length), spoken, speech, this.context.options.streamChunkMs);
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
    const timed = timedItems(config, speech);
    if (timed && config.transport === 'ASYNC' && timed.length > 0) {
      // ASYNC timestamps trail the audio in timestamp-only messages, all before flushCompleted
      // (clients that add a running offset at each flushCompleted need them before it).
      this.sendResult(ctx.id, { audioChunk: { timestampInfo: timestampInfo(config.timestampType, timed) } });
    }
    this.sendResult(ctx.id, { flushCompleted: {} });
  }

  /** The encoder for one generation; OGG_OPUS keeps one per context so its chunks form one Ogg stream. */
  private encoderFor(ctx: TtsContext, config: ContextConfig, totalSamples: number): AudioEncoder {
    if (config.encoding === 'OGG_OPUS') {
      return (ctx.oggEncoder ??= this.context.createEncoder({ encoding: 'OGG_OPUS', sampleRateHertz: config.sampleRateHertz, bitRate: config.bitRate }));
    }
    return this.context.createEncoder({ encoding: config.encoding, sampleRateHertz: config.sampleRateHertz, bitRate: config.bitRate, totalSamples });
  }

  /** Runs the chunk-position faults for a context; false when the context (or socket) is gone. */
  private async applyChunkFaults(ctx: TtsContext): Promise<boolean> {
    for (const fault of ctx.faults) {
      if (fault.used || fault.afterChunks !== ctx.chunksSent) continue;
      if (fault.name === 'tts-drop') {
        fault.used = true;
        this.context.log.info(`tts-ws fault: dropping the connection at context ${ctx.id} chunk ${ctx.chunksSent}`);
        this.terminate();
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
    this.endOggStream(ctx);
    this.contexts.delete(ctx.id);
    const silent = ctx.faults.some((fault) => fault.name === 'tts-no-context-closed');
    if (!silent && !ctx.contextClosedSent) this.sendResult(ctx.id, { contextClosed: {} });
    ctx.contextClosedSent = true;
  }

  /** Sends the end of the context's Ogg stream, if one is open. */
  private endOggStream(ctx: TtsContext): void {
    if (!ctx.oggEncoder) return;
    const tail = ctx.oggEncoder.end();
    ctx.oggEncoder = undefined;
    if (tail.length > 0) this.sendResult(ctx.id, { audioChunk: { audioContent: tail.toString('base64') } });
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

  protected onShutdown(): void {
    for (const ctx of this.contexts.values()) this.clearBufferTimer(ctx);
    this.contexts.clear();
  }
}
