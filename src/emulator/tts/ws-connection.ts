// One TTS WebSocket connection, below its contexts: recording client frames, sending server
// frames, the generic ws-close / ws-error / ws-drop faults that count server frames, the idle
// limit, and shutdown. The session (ws.ts) adds the contexts on top.
import type { WebSocket } from 'ws';
import type { EmulatorContext } from '../server/context.js';
import { GRPC_ABORTED, GRPC_INTERNAL, GRPC_INVALID_ARGUMENT } from '../server/grpc.js';
import { resultJson } from './ws-frames.js';
import { ttsWsFaults, type GenericWsFault, type TtsWsFault } from './ws-faults.js';

/** Client frames kept in the request log per connection, so a long stream cannot grow it forever. */
export const MAX_RECORDED_MESSAGES_PER_CONNECTION = 2000;
/** The service closes a connection after 10 minutes without activity on any of its contexts. */
export const DEFAULT_IDLE_TIMEOUT_MS = 10 * 60_000;
/** The `details` reason the service gives with its "Paused due to inactivity" error. */
const SESSION_PAUSED_REASON = 'SESSION_PAUSED';

export abstract class TtsSocketConnection {
  protected closed = false;
  protected readonly custom: TtsWsFault[];
  protected readonly generic: GenericWsFault[];
  private serverMessages = 0;
  private recordedMessages = 0;
  private idleTimer: NodeJS.Timeout | undefined;
  private readonly idleTimeoutMs: number;
  private readonly whenClosed: Promise<void>;
  private resolveClosed!: () => void;

  constructor(
    protected readonly socket: WebSocket,
    protected readonly context: EmulatorContext,
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
    this.socket.on('message', (data, isBinary) => this.receive(data.toString(), isBinary));
    this.socket.on('close', () => this.shutdown());
    this.socket.on('error', () => this.shutdown());
    this.context.onClose(() => {
      this.socket.terminate();
      this.shutdown();
    });
    this.touch();
    this.applyGenericFaults();
  }

  /** One client text frame (binary frames are refused before this). */
  protected abstract onFrame(text: string): void;

  /** Called once when the connection ends, to stop the contexts' timers. */
  protected abstract onShutdown(): void;

  private receive(text: string, isBinary: boolean): void {
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
    this.onFrame(text);
  }

  protected sendResult(contextId: string, event: Record<string, unknown>): void {
    this.sendSerialized(resultJson(contextId, event));
  }

  protected sendStatus(contextId: string, code: number, message: string): void {
    this.send({ result: { contextId, status: { code, message, details: [] } } });
  }

  protected sendTopLevelError(code: number, message: string, details: unknown[] = []): void {
    this.send({ error: { code, message, details } });
  }

  private send(frame: unknown): void {
    this.sendSerialized(JSON.stringify(frame));
  }

  protected sendSerialized(json: string): void {
    if (this.closed || this.socket.readyState !== this.socket.OPEN) return;
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
        this.terminate();
      }
    }
  }

  private touch(): void {
    if (this.idleTimer) clearTimeout(this.idleTimer);
    this.idleTimer = setTimeout(() => {
      // The service answers an idle connection with a top-level ABORTED error, then drops the
      // socket without a close frame.
      this.sendTopLevelError(GRPC_ABORTED, 'Paused due to inactivity', [{ reason: SESSION_PAUSED_REASON }]);
      this.terminate();
    }, this.idleTimeoutMs);
    this.idleTimer.unref();
  }

  /** Destroys the TCP socket (no close frame) and ends the connection. */
  protected terminate(): void {
    this.socket.terminate();
    this.shutdown();
  }

  /** Resolves after `ms`, or never when `ms` is absent; always resolves when the socket closes. */
  protected wait(ms?: number): Promise<void> {
    if (ms === undefined) return this.whenClosed;
    return Promise.race([this.context.delay(ms).catch(() => undefined), this.whenClosed]);
  }

  private shutdown(): void {
    if (this.closed) return;
    this.closed = true;
    if (this.idleTimer) clearTimeout(this.idleTimer);
    this.onShutdown();
    this.resolveClosed();
  }
}
