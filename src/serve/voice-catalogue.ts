// The Inworld voice ids the gateway knows, read once at start (and refreshed in the background),
// so an unknown voice is refused with the list of what exists, without a synthesis request. When
// the catalogue cannot be read (a key without the Voices scope), every id is passed on as it is.
import type { Inworld } from '../inworld.js';

const REFRESH_INTERVAL_MS = 10 * 60_000;
const SAMPLE_VOICES = 12;

export class VoiceCatalogue {
  private ids: Set<string> | undefined;
  private timer: NodeJS.Timeout | undefined;

  /** A catalogue that accepts everything (no list read). */
  static open(): VoiceCatalogue {
    return new VoiceCatalogue();
  }

  /** Reads the list now; a failure leaves the catalogue open rather than stopping the gateway. */
  static async load(inworld: Inworld, onError: (error: unknown) => void): Promise<VoiceCatalogue> {
    const catalogue = new VoiceCatalogue();
    await catalogue.refresh(inworld, onError);
    catalogue.timer = setInterval(() => void catalogue.refresh(inworld, onError), REFRESH_INTERVAL_MS);
    catalogue.timer.unref();
    return catalogue;
  }

  private async refresh(inworld: Inworld, onError: (error: unknown) => void): Promise<void> {
    try {
      const voices = await inworld.voices.list();
      this.ids = new Set(voices.map((voice) => voice.id));
    } catch (error) {
      onError(error);
    }
  }

  accepts(id: string): boolean {
    return this.ids === undefined || this.ids.has(id);
  }

  /** Some known ids, for an error message; undefined when the list is unknown. */
  sample(): string | undefined {
    if (!this.ids) return undefined;
    const ids = [...this.ids];
    return ids.slice(0, SAMPLE_VOICES).join(', ') + (ids.length > SAMPLE_VOICES ? ` (${ids.length} in all)` : '');
  }

  close(): void {
    clearInterval(this.timer);
  }
}
