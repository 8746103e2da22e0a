// One open STT WebSocket within a transcription session (which may use several, one after
// another, when it reconnects): where its audio starts in the stream, what was sent on it, and how
// it ended. The end is classified once, when the socket closes:
//
// - done: closed after we sent closeStream (any close then is the end: the server has had all the
//   audio, and audio after the last final is trailing silence);
// - fatal: the server sent an error that is not worth retrying;
// - lost: anything else (a drop, a retryable server error, a damaged message, a failed send).
import type { InworldError } from '../core/errors.js';
import type { WebSocket as WsSocket } from '../core/ws-connection.js';
import { parseServerMessage, type SttServerMessage } from './protocol.js';
import { CLOSE_NORMAL, describeClose, isCleanClose } from './recovery.js';

export type ConnectionOutcome =
  | { kind: 'done' }
  | { kind: 'lost'; reason: string }
  | { kind: 'fatal'; error: InworldError };

export interface SttConnectionHooks {
  debug(message: string): void;
  /** A server message while the connection is open and has no fatal error. */
  onMessage(message: SttServerMessage): void;
  /** The socket closed (called before `outcome` resolves). */
  onSettled(): void;
}

export class SttConnection {
  readonly socket: WsSocket;
  /** Whether frames may still be sent and messages accepted. */
  open = true;
  /** Stream byte of the first audio sent on this connection: server times are relative to it. */
  offsetByte?: number;
  /** Stream byte just past the last audio sent on this connection. */
  sentEndByte = 0;
  closeStreamSent = false;
  /** Resolves once, when the socket has closed. */
  readonly outcome: Promise<ConnectionOutcome>;
  private fatal?: InworldError;
  private lostReason?: string;
  private closeTimer?: NodeJS.Timeout;
  private readonly debug: (message: string) => void;

  constructor(socket: WsSocket, hooks: SttConnectionHooks) {
    this.socket = socket;
    this.debug = hooks.debug;
    let resolve!: (outcome: ConnectionOutcome) => void;
    this.outcome = new Promise<ConnectionOutcome>((done) => (resolve = done));
    const settle = (outcome: ConnectionOutcome) => {
      if (this.closeTimer) clearTimeout(this.closeTimer);
      this.open = false;
      hooks.onSettled();
      resolve(outcome);
    };
    socket.on('message', (data, isBinary) => {
      // After a fatal error later messages are moot. After a retryable one the socket is closing,
      // but finals still arriving on it are real (accepting them keeps replay from repeating them).
      if (!this.open || isBinary || this.fatal) return;
      hooks.onMessage(parseServerMessage(data.toString()));
    });
    socket.on('error', (error) => this.debug(`stt: socket error: ${error.message}`));
    socket.on('close', (code, reasonBuffer) => {
      const reason = reasonBuffer.toString();
      this.debug(`stt: socket closed ${code}${reason ? ` (${reason})` : ''}`);
      if (this.fatal) return settle({ kind: 'fatal', error: this.fatal });
      if (this.lostReason) return settle({ kind: 'lost', reason: this.lostReason });
      if (this.closeStreamSent) {
        if (!isCleanClose(code)) this.debug(`stt: ${describeClose(code, reason)} after closeStream; treated as the end`);
        return settle({ kind: 'done' });
      }
      settle({ kind: 'lost', reason: describeClose(code, reason) });
    });
    socket.resume(); // openWebSocket hands it over paused, so nothing the server said first is lost
  }

  /** Ends the connection as failed for good (a server error not worth retrying). */
  failWith(error: InworldError): void {
    this.fatal = error;
    this.close('client closing after error');
  }

  /**
   * Ends the connection as lost (the session reconnects): closed with `closeReason`, or without
   * one dropped at once (the socket is unusable). The first reason given is the one reported.
   */
  lose(reason: string, closeReason?: string): void {
    this.lostReason ??= reason;
    if (closeReason === undefined) this.socket.terminate();
    else this.close(closeReason);
  }

  /** After closeStream the server should finish soon; if it goes quiet for `waitMs`, close ourselves. */
  armCloseWait(waitMs: number): void {
    if (this.closeTimer) clearTimeout(this.closeTimer);
    this.closeTimer = setTimeout(() => {
      this.debug(`stt: no word from the server ${waitMs} ms after closeStream; closing`);
      this.close('done');
    }, waitMs);
    this.closeTimer.unref();
  }

  /** A normal close (a socket still connecting is dropped instead). */
  close(reason: string): void {
    try {
      if (this.socket.readyState === this.socket.CONNECTING) this.socket.terminate();
      else this.socket.close(CLOSE_NORMAL, reason);
    } catch {
      this.socket.terminate();
    }
  }
}
