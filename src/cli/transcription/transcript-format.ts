// How transcription events look to people (one line per final, a compact voice profile) and to
// programs (`--json`: one object per line with a `type`).

import type { SttEvent } from '../../stt/events.js';
import type { VoiceProfile } from '../../stt/protocol.js';

/** Category order and names as the contract lists them. */
const PROFILE_CATEGORIES: ReadonlyArray<[keyof VoiceProfile & string, string]> = [
  ['age', 'age'],
  ['emotion', 'emotion'],
  ['pitch', 'pitch'],
  ['vocalStyle', 'vocal style'],
  ['accent', 'accent'],
];

/** `age adult 0.86, emotion calm 0.71 / neutral 0.20, …` (every entry the server sent, top first). */
export function formatVoiceProfile(profile: VoiceProfile): string {
  const known = new Set(PROFILE_CATEGORIES.map(([key]) => key));
  const categories = [...PROFILE_CATEGORIES, ...Object.keys(profile).filter((key) => !known.has(key)).map((key) => [key, key] as [string, string])];
  const parts: string[] = [];
  for (const [key, name] of categories) {
    const entries = profile[key];
    if (!entries || entries.length === 0) continue;
    parts.push(`${name} ${entries.map((entry) => `${entry.label} ${entry.confidence.toFixed(2)}`).join(' / ')}`);
  }
  return parts.join(', ');
}

/** The `--json` form of an event: the event itself, with `type` first. */
export function eventJson(event: SttEvent): Record<string, unknown> {
  return { ...event };
}
