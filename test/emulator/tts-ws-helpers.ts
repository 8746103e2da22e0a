// Shared by the TTS WebSocket tests: an in-process emulator on port 0 with the fast synthetic
// speech engine, and a raw `ws` client that records every server frame and waits on events.
import WebSocket from 'ws';
import { startEmulator, type RunningEmulator } from '../../src/emulator/index.js';
import type { EmulatorOptions } from '../../src/emulator/server/options.js';

export const TTS_WS_PATH = '/tts/v1/voice:streamBidirectional';
export const TEST_API_KEY = 'test-key';

export async function startTtsEmulator(options: EmulatorOptions = {}): Promise<RunningEmulator> {
  return startEmulator({ port: 0, host: '127.0.0.1', quiet: true, engine: 'synthetic', ...options });
}

export interface Frame {
  result?: Record<string, any>;
  error?: { code: number; message: string; details?: unknown[] };
}

/** A raw client: everything the server sends is kept in `frames`, in order. */
export class RawTtsClient {
  readonly frames: Frame[] = [];
  private waiters: Array<() => void> = [];
  closed = false;
  closeCode: number | undefined;

  private constructor(readonly socket: WebSocket) {
    socket.on('message', (data) => {
      this.frames.push(JSON.parse(data.toString()) as Frame);
      this.poke();
    });
    socket.on('close', (code) => {
      this.closed = true;
      this.closeCode = code;
      this.poke();
    });
    socket.on('error', () => {});
  }

  static async connect(emulator: RunningEmulator, key = TEST_API_KEY): Promise<RawTtsClient> {
    const socket = new WebSocket(`${emulator.wsUrl.replace(/\/$/, '')}${TTS_WS_PATH}`, { headers: { Authorization: `Basic ${key}` } });
    await new Promise<void>((resolve, reject) => {
      socket.once('open', () => resolve());
      socket.once('error', reject);
    });
    return new RawTtsClient(socket);
  }

  send(message: unknown): void {
    this.socket.send(typeof message === 'string' ? message : JSON.stringify(message));
  }

  /** Waits until `predicate` holds over the frames so far (or the socket closes: then it throws). */
  async until(predicate: (frames: Frame[]) => boolean, what = 'condition'): Promise<void> {
    for (;;) {
      if (predicate(this.frames)) return;
      if (this.closed) throw new Error(`socket closed before ${what}; frames: ${JSON.stringify(this.frames).slice(0, 2000)}`);
      await new Promise<void>((resolve) => this.waiters.push(resolve));
    }
  }

  /** Waits for the socket to close. */
  async whenClosed(): Promise<void> {
    while (!this.closed) await new Promise<void>((resolve) => this.waiters.push(resolve));
  }

  forContext(id: string): Array<Record<string, any>> {
    return this.frames.filter((f) => f.result?.contextId === id).map((f) => f.result!);
  }

  events(id: string): string[] {
    return this.forContext(id).map(eventName);
  }

  close(): void {
    this.socket.close();
  }

  private poke(): void {
    const waiters = this.waiters;
    this.waiters = [];
    for (const wake of waiters) wake();
  }
}

export function eventName(result: Record<string, any>): string {
  for (const key of ['contextCreated', 'contextUpdated', 'audioChunk', 'flushCompleted', 'contextClosed']) if (key in result) return key;
  if (result.status && result.status.code !== 0) return `status:${result.status.code}`;
  return 'unknown';
}

export function hasEvent(client: RawTtsClient, id: string, event: string): boolean {
  return client.events(id).includes(event);
}

export const baseCreate = {
  voiceId: 'Ashley',
  modelId: 'inworld-tts-1.5-max',
  audioConfig: { audioEncoding: 'PCM', sampleRateHertz: 16000 },
};
