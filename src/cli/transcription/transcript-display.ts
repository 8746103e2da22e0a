// The live view of a transcription. Human mode: each final on stdout as one line; its voice
// profile on stderr right after it (stdout stays pure transcript for pipes); interim text on
// stderr, rewritten in place, only when stderr is a terminal. JSON mode: every event as one
// line of NDJSON on stdout.

import type { SttEvent } from '../../stt/events.js';
import { eventJson, formatVoiceProfile } from './transcript-format.js';

export interface DisplayOptions {
  json: boolean;
  voiceProfile: boolean;
  quiet: boolean;
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream & { isTTY?: boolean; columns?: number };
  /** Dim the interim line; the command passes the terminal module's decision (ui.ts colorLevel). Default true. */
  color?: boolean;
}

const CLEAR_LINE = '\r\x1b[2K';
const DIM = '\x1b[2m';
const RESET = '\x1b[0m';

export class TranscriptDisplay {
  private readonly options: DisplayOptions;
  private interimShown = false;

  constructor(options: DisplayOptions) {
    this.options = options;
  }

  show(event: SttEvent): void {
    const { json, stdout } = this.options;
    if (json) {
      if (event.type !== 'reconnecting') stdout.write(`${JSON.stringify(eventJson(event))}\n`);
      else this.note(`connection lost (${event.reason}); reconnecting (attempt ${event.attempt})`);
      return;
    }
    switch (event.type) {
      case 'interim':
        this.interim(event.text);
        return;
      case 'final': {
        this.clearInterim();
        const text = event.text.trim();
        if (text === '') return;
        stdout.write(`${text}\n`);
        if (this.options.voiceProfile && event.voiceProfile && !this.options.quiet) {
          this.options.stderr.write(`  voice: ${formatVoiceProfile(event.voiceProfile)}\n`);
        }
        return;
      }
      case 'error':
        // A fatal error is printed once by the exit path; a retryable one shows as the reconnect.
        return;
      case 'reconnecting':
        this.note(`connection lost (${event.reason}); reconnecting (attempt ${event.attempt})`);
        return;
      default:
        return;
    }
  }

  /** Clears a half-written interim line before the program writes anything else to stderr. */
  finish(): void {
    this.clearInterim();
  }

  private interim(text: string): void {
    const { stderr, quiet } = this.options;
    if (quiet || !stderr.isTTY) return;
    const width = Math.max(20, (stderr.columns ?? 80) - 1);
    // Long turns keep their newest words visible.
    const shown = text.length > width ? `…${text.slice(text.length - width + 1)}` : text;
    stderr.write(this.options.color === false ? `${CLEAR_LINE}${shown}` : `${CLEAR_LINE}${DIM}${shown}${RESET}`);
    this.interimShown = true;
  }

  private clearInterim(): void {
    if (!this.interimShown) return;
    this.options.stderr.write(CLEAR_LINE);
    this.interimShown = false;
  }

  private note(message: string): void {
    if (this.options.quiet) return;
    this.clearInterim();
    this.options.stderr.write(`inworld: ${message}\n`);
  }
}
