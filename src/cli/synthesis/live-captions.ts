// `--captions`: prints the words on stderr as they are spoken. Word times are seconds from the
// start of the audio; playback starts when the first audio reaches the player, so each word is
// shown at (first write + word start). Without playback, words are shown as they arrive.
import { monotonicMs } from '../../core/monotonic-clock.js';

export interface CaptionWord {
  text: string;
  start: number;
}

export class LiveCaptions {
  private playbackStartMs?: number;
  /** Words scheduled but not shown yet, in order. */
  private readonly pending: Array<{ text: string; timer: NodeJS.Timeout }> = [];
  private column = 0;

  constructor(
    private readonly stream: NodeJS.WritableStream = process.stderr,
    private readonly paced: boolean = true,
  ) {}

  /** Call when the first audio is handed to the player. */
  playbackStarted(): void {
    this.playbackStartMs ??= monotonicMs();
  }

  add(words: readonly CaptionWord[]): void {
    for (const word of words) {
      if (!this.paced || this.playbackStartMs === undefined) {
        this.show(word.text);
        continue;
      }
      const delayMs = this.playbackStartMs + word.start * 1000 - monotonicMs();
      if (delayMs <= 0) {
        this.show(word.text);
        continue;
      }
      const entry = {
        text: word.text,
        timer: setTimeout(() => {
          this.pending.splice(this.pending.indexOf(entry), 1);
          this.show(entry.text);
        }, delayMs),
      };
      this.pending.push(entry);
    }
  }

  /**
   * Ends the captions: after a normal end the words still waiting are shown at once (the player's
   * own latency can leave a few behind); after an interruption they are dropped, as their audio was.
   */
  finish(showPending: boolean): void {
    for (const entry of this.pending.splice(0)) {
      clearTimeout(entry.timer);
      if (showPending) this.show(entry.text);
    }
    if (this.column > 0) this.stream.write('\n');
    this.column = 0;
  }

  private show(text: string): void {
    const separator = this.column === 0 ? '' : ' ';
    this.stream.write(`${separator}${text}`);
    this.column += separator.length + text.length;
    if (/[.!?。！？]["')\]]*$/.test(text)) {
      this.stream.write('\n');
      this.column = 0;
    }
  }
}
