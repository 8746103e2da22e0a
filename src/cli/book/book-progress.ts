// What `inworld book` tells while it works: a progress line on a terminal (chapters, characters,
// audio time, ETA) through cli/ui.ts, or with --json one event per line on stdout.
import type { BookPlan } from '../../book/plan.js';
import type { PartEvent } from '../../book/synthesize-parts.js';
import type { Ui } from '../ui.js';

export class BookProgress {
  private readonly startedMs = Date.now();
  private chaptersDone = 0;
  private charactersDone = 0;
  /** Characters synthesized by this run (reused parts cost no time): what the ETA is paced by. */
  private charactersRequested = 0;
  private audioSeconds = 0;
  private partsDone = 0;

  constructor(
    private readonly plan: BookPlan,
    private readonly totals: { parts: number; characters: number },
    private readonly ui: Ui,
    private readonly json: boolean,
  ) {}

  event(event: PartEvent): void {
    if (event.type === 'part') {
      this.partsDone += 1;
      this.charactersDone += event.characters;
      if (!event.reused) this.charactersRequested += event.characters;
      this.audioSeconds += event.durationSeconds;
      if (this.json) this.emit({ type: 'progress', parts: this.totals.parts, partsDone: this.partsDone, characters: this.totals.characters, charactersDone: this.charactersDone, audioSeconds: round(this.audioSeconds) });
      else this.ui.progress(this.line());
      return;
    }
    const chapter = this.plan.chapters[event.chapterIndex]!.chapter;
    if (event.type === 'chapter-done') this.chaptersDone += 1;
    if (!this.json) return;
    const base = { chapter: chapter.number, title: chapter.title };
    if (event.type === 'chapter-start') this.emit({ type: 'chapter-start', ...base });
    else if (event.type === 'chapter-done') this.emit({ type: 'chapter-done', ...base });
    else this.emit({ type: 'chapter-failed', ...base, error: event.error.message });
  }

  emit(event: Record<string, unknown>): void {
    process.stdout.write(`${JSON.stringify(event)}\n`);
  }

  line(): string {
    const elapsedSeconds = (Date.now() - this.startedMs) / 1000;
    const left = this.totals.characters - this.charactersDone;
    const eta = this.charactersRequested > 0 ? clock((elapsedSeconds / this.charactersRequested) * left) : '?';
    return `Book: chapter ${this.chaptersDone}/${this.plan.chapters.length}, ${this.charactersDone.toLocaleString('en-US')}/${this.totals.characters.toLocaleString('en-US')} characters, ${clock(this.audioSeconds)} of audio, ETA ${eta}`;
  }
}

export function clock(seconds: number): string {
  const whole = Math.max(0, Math.round(seconds));
  const hours = Math.floor(whole / 3600);
  const minutes = Math.floor((whole % 3600) / 60);
  const rest = String(whole % 60).padStart(2, '0');
  return hours > 0 ? `${hours}:${String(minutes).padStart(2, '0')}:${rest}` : `${minutes}:${rest}`;
}

function round(seconds: number): number {
  return Math.round(seconds * 1000) / 1000;
}
