// The emulated STT WebSocket, /stt/v1/transcribe:streamBidirectional.
//
// The client's first message must be `transcribeConfig`; then `audioChunk`s of base64 LINEAR16,
// optional `endTurn`s and a final `closeStream`. An energy-based VAD (vad.ts) and a turn
// detector (turns.ts) run on the audio as it arrives, in audio time, and drive speechStarted,
// interim transcriptions (restating the whole turn so far), speechStopped and finals. The words
// come from a script (script.ts): the emulator does not recognize speech.
//
// Faults (matched at the handshake, see faults/rules.ts): `ws-close` / `ws-drop` / `ws-error` after N
// server messages, and the STT-specific custom actions below, which count client audio chunks:
//   {type:'custom', name:'stt-close', params:{afterChunks, closeCode}}   close (1006 = no close frame)
//   {type:'custom', name:'stt-drop',  params:{afterChunks}}              destroy the TCP socket
//   {type:'custom', name:'stt-error', params:{afterChunks, code, message}} top-level error message
//   {type:'custom', name:'stt-malformed', params:{afterChunks}}         a text message that is not JSON
// A refused handshake (HTTP 401 and friends) is the server's `status` action with protocol ws.

import type { IncomingMessage } from 'node:http';
import type { WebSocket } from 'ws';
import type { EmulatorContext } from '../server/context.js';
import type { FaultAction } from '../faults/rules.js';
import { EmulatorError, GRPC_INTERNAL, GRPC_INVALID_ARGUMENT, rpcStatus } from '../server/grpc.js';
import { parseSttConfig, STREAMING_RULES, type SttConfig, field } from './config.js';
import { emulatedVoiceProfile, leadingWords, spreadWords } from './profile.js';
import { scriptFor, type SttScript } from './script.js';
import { DEFAULT_MAX_TURN_SILENCE_MS, TurnDetector, type TurnEvent } from './turns.js';
import { EnergyVad, vadThresholdToDbfs } from './vad.js';
import { PCM16_BYTES_PER_SAMPLE } from '../codecs/sample-rates.js';
import { WS_CLOSE_ABNORMAL, WS_CLOSE_GOING_AWAY, WS_CLOSE_NORMAL, WS_CLOSE_POLICY_VIOLATION } from '../server/ws-close-codes.js';

/** The vadThreshold used to tell content from silence in manual mode, where server VAD is off. */
const MANUAL_CONTENT_VAD_THRESHOLD = 0.5;

type Json = Record<string, unknown>;

interface ChunkFault {
  afterChunks: number;
  apply: () => void;
}

export function handleSttSocket(socket: WebSocket, _request: IncomingMessage, context: EmulatorContext): void {
  new SttSocketSession(socket, context).start();
}

class SttSocketSession {
  private readonly socket: WebSocket;
  private readonly context: EmulatorContext;
  private readonly script: SttScript;
  private config?: SttConfig;
  private vad?: EnergyVad;
  private turns?: TurnDetector;
  private closed = false;
  private closeStreamReceived = false;
  private serverMessages = 0;
  private chunks = 0;
  private audioBytes = 0;
  private turnIndex = 0;
  private interimsInTurn = 0;
  private lastInterim = '';
  private finalsSent = 0;
  private readonly messageFaults: FaultAction[] = [];
  private readonly chunkFaults: ChunkFault[] = [];

  constructor(socket: WebSocket, context: EmulatorContext) {
    this.socket = socket;
    this.context = context;
    const optionTurns = context.options.sttScript;
    this.script = scriptFor(context.matchedFaults, context.recorder, optionTurns, process.env);
  }

  start(): void {
    this.armFaults();
    const onClosing = () => this.close(WS_CLOSE_GOING_AWAY, 'emulator shutting down');
    this.context.closing.addEventListener('abort', onClosing, { once: true });
    this.socket.on('close', () => {
      this.closed = true;
      this.context.closing.removeEventListener('abort', onClosing);
    });
    this.socket.on('error', (error) => this.context.log.debug(`stt ws error: ${error.message}`));
    this.socket.on('message', (data, isBinary) => {
      if (this.closed) return;
      try {
        this.onMessage(isBinary ? null : data.toString());
      } catch (error) {
        const status = error instanceof EmulatorError ? error : new EmulatorError(GRPC_INTERNAL, String(error));
        this.sendError(status.grpcCode, status.message);
        if (!this.config) this.close(WS_CLOSE_POLICY_VIOLATION, 'invalid request');
      }
    });
    // A ws-close / ws-drop / ws-error with no afterMessages acts at once.
    this.checkMessageFaults();
  }

  private armFaults(): void {
    for (const action of this.context.matchedFaults) {
      if (action.type === 'ws-close' || action.type === 'ws-drop' || action.type === 'ws-error') {
        this.messageFaults.push(action);
      } else if (action.type === 'custom') {
        const params = action.params ?? {};
        const afterChunks = numberParam(params.afterChunks, 0);
        if (action.name === 'stt-close') {
          const code = numberParam(params.closeCode, WS_CLOSE_ABNORMAL);
          this.chunkFaults.push({ afterChunks, apply: () => this.faultClose(code, String(params.reason ?? 'injected fault')) });
        } else if (action.name === 'stt-drop') {
          this.chunkFaults.push({ afterChunks, apply: () => this.drop() });
        } else if (action.name === 'stt-malformed') {
          this.chunkFaults.push({ afterChunks, apply: () => this.sendText('{"result":{"transcription":') });
        } else if (action.name === 'stt-error') {
          const code = numberParam(params.code, GRPC_INTERNAL);
          const message = String(params.message ?? 'injected error');
          this.chunkFaults.push({ afterChunks, apply: () => this.sendError(code, message) });
        }
      }
    }
  }

  private onMessage(text: string | null): void {
    if (text === null) throw new EmulatorError(GRPC_INVALID_ARGUMENT, 'binary frames are not accepted; send JSON text messages');
    let message: unknown;
    try {
      message = JSON.parse(text);
    } catch {
      throw new EmulatorError(GRPC_INVALID_ARGUMENT, 'message is not valid JSON');
    }
    if (typeof message !== 'object' || message === null || Array.isArray(message)) {
      throw new EmulatorError(GRPC_INVALID_ARGUMENT, 'message must be a JSON object');
    }
    const json = message as Json;
    const config = field(json, 'transcribeConfig');
    const chunk = field(json, 'audioChunk');
    this.record(json, chunk);
    if (this.closeStreamReceived) return;
    if (config !== undefined) {
      if (this.config) throw new EmulatorError(GRPC_INVALID_ARGUMENT, 'transcribeConfig was already sent on this stream');
      this.configure(parseSttConfig(config, STREAMING_RULES));
      return;
    }
    if (!this.config) throw new EmulatorError(GRPC_INVALID_ARGUMENT, 'the first message must be transcribeConfig');
    if (chunk !== undefined) return this.onAudio(chunk);
    if (field(json, 'endTurn') !== undefined) return this.emit(this.turns!.endTurn());
    if (field(json, 'closeStream') !== undefined) return this.onCloseStream();
    throw new EmulatorError(GRPC_INVALID_ARGUMENT, 'unknown message; expected audioChunk, endTurn or closeStream');
  }

  /** Records client messages for tests; audio is summarised by size so long streams stay small. */
  private record(json: Json, chunk: unknown): void {
    const content = chunk && typeof chunk === 'object' ? (chunk as Json).content : undefined;
    const entry = typeof content === 'string' ? { audioChunk: { bytes: Buffer.byteLength(content, 'base64') } } : json;
    this.context.recorder.appendMessage(this.context.record, entry);
  }

  private configure(config: SttConfig): void {
    this.config = config;
    const manual = config.vadThreshold === 0;
    const thresholdDbfs = vadThresholdToDbfs(manual ? MANUAL_CONTENT_VAD_THRESHOLD : config.vadThreshold);
    this.vad = new EnergyVad(config.sampleRateHertz, config.numberOfChannels, thresholdDbfs);
    this.turns = new TurnDetector({
      manual,
      minEndOfTurnSilenceMs: config.minEndOfTurnSilenceMs,
      maxTurnSilenceMs: config.maxTurnSilenceMs ?? DEFAULT_MAX_TURN_SILENCE_MS,
      endOfTurnConfidenceThreshold: config.endOfTurnConfidenceThreshold,
      thresholdDbfs,
    });
    this.context.log.debug(
      `stt stream: ${config.modelId} ${config.sampleRateHertz} Hz x${config.numberOfChannels}, ` +
        `${manual ? 'manual turns' : `vad ${config.vadThreshold}, end-of-turn silence ${this.turns.requiredSilenceMs} ms`}`,
    );
  }

  private onAudio(chunk: unknown): void {
    const content = chunk && typeof chunk === 'object' ? (chunk as Json).content : undefined;
    if (typeof content !== 'string') throw new EmulatorError(GRPC_INVALID_ARGUMENT, 'audioChunk.content must be a base64 string');
    const pcm = Buffer.from(content, 'base64');
    this.chunks += 1;
    this.audioBytes += pcm.length;
    this.emit(this.turns!.push(this.vad!.push(pcm)));
    for (const fault of this.chunkFaults) {
      if (!this.closed && fault.afterChunks === this.chunks) fault.apply();
    }
  }

  private onCloseStream(): void {
    this.closeStreamReceived = true;
    this.emit(this.turns!.flush());
    this.sendUsage();
    this.close(WS_CLOSE_NORMAL, 'stream closed');
  }

  private emit(events: readonly TurnEvent[]): void {
    for (const event of events) {
      if (this.closed) return;
      switch (event.kind) {
        case 'speechStarted':
          this.interimsInTurn = 0;
          this.lastInterim = '';
          this.send({ speechStarted: { startTimeMs: event.startTimeMs, confidence: event.confidence } });
          break;
        case 'speechStopped':
          this.send({ speechStopped: { silenceDurationMs: event.silenceDurationMs } });
          break;
        case 'interim': {
          this.interimsInTurn += 1;
          const text = this.script.peek();
          const wordCount = text.split(/\s+/).filter(Boolean).length;
          const shown = leadingWords(text, Math.min(this.interimsInTurn, Math.max(1, wordCount - 1)));
          // A hypothesis that did not change is not sent again.
          if (shown === this.lastInterim) break;
          this.lastInterim = shown;
          this.send({ transcription: { transcript: shown, isFinal: false, wordTimestamps: [] } });
          break;
        }
        case 'endOfTurn':
          this.sendFinal(event);
          break;
      }
    }
  }

  private sendFinal(event: Extract<TurnEvent, { kind: 'endOfTurn' }>): void {
    const config = this.config!;
    this.interimsInTurn = 0;
    this.lastInterim = '';
    if (!event.hadSpeech) {
      this.send({ transcription: { transcript: '', isFinal: true, wordTimestamps: [] } });
      return;
    }
    const text = this.script.peek();
    const transcription: Json = {
      transcript: text,
      isFinal: true,
      wordTimestamps: spreadWords(text, event.startMs, event.endMs),
    };
    if (config.voiceProfile.enabled) transcription.voiceProfile = emulatedVoiceProfile(config.voiceProfile.topN, this.turnIndex);
    this.turnIndex += 1;
    this.finalsSent += 1;
    this.script.advance();
    this.send({ transcription });
    this.sendUsage();
  }

  private sendUsage(): void {
    const config = this.config;
    if (!config) return;
    const bytesPerMs = (config.sampleRateHertz * config.numberOfChannels * PCM16_BYTES_PER_SAMPLE) / 1000;
    this.send({ usage: { transcribedAudioMs: Math.round(this.audioBytes / bytesPerMs), modelId: config.modelId } });
  }

  private send(result: Json): void {
    this.sendRaw({ result });
  }

  private sendError(code: number, message: string): void {
    this.sendRaw({ error: rpcStatus(code, message) });
  }

  private sendRaw(message: Json): void {
    this.sendText(JSON.stringify(message));
  }

  private sendText(text: string): void {
    if (this.closed || this.socket.readyState !== this.socket.OPEN) return;
    this.socket.send(text);
    this.serverMessages += 1;
    this.checkMessageFaults();
  }

  private checkMessageFaults(): void {
    for (let i = 0; i < this.messageFaults.length; i += 1) {
      const action = this.messageFaults[i]!;
      if (action.type !== 'ws-close' && action.type !== 'ws-drop' && action.type !== 'ws-error') continue;
      if ((action.afterMessages ?? 0) !== this.serverMessages) continue;
      this.messageFaults.splice(i, 1);
      i -= 1;
      if (action.type === 'ws-close') this.faultClose(action.closeCode, action.reason ?? 'injected fault');
      else if (action.type === 'ws-drop') this.drop();
      else this.sendError(action.code ?? GRPC_INTERNAL, action.message ?? 'injected error');
      if (this.closed) return;
    }
  }

  private faultClose(code: number, reason: string): void {
    this.context.log.debug(`stt fault: close ${code} after ${this.chunks} chunks, ${this.finalsSent} finals`);
    if (code === WS_CLOSE_ABNORMAL) this.drop();
    else this.close(code, reason);
  }

  private drop(): void {
    if (this.closed) return;
    this.closed = true;
    this.socket.terminate();
  }

  private close(code: number, reason: string): void {
    if (this.closed) return;
    this.closed = true;
    try {
      this.socket.close(code, reason);
    } catch {
      this.socket.terminate();
    }
  }
}

function numberParam(value: unknown, fallback: number): number {
  const n = typeof value === 'string' ? Number(value) : value;
  return typeof n === 'number' && Number.isFinite(n) ? n : fallback;
}
