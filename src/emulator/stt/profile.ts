// Emulated voice profiles and word timestamps for STT finals. Both are made up deterministically
// (the emulator does not analyse voices), but have the documented shape: per category an array
// of {label, confidence} sorted by descending confidence, at most topN long.

/** Labels per category: values the service documents or has been seen to send. */
const PROFILE_LABELS: Record<string, readonly string[]> = {
  age: ['adult', 'young', 'old', 'kid', 'unclear'],
  emotion: ['neutral', 'calm', 'happy', 'tender', 'sad', 'angry', 'fearful'],
  pitch: ['medium', 'low', 'high'],
  vocalStyle: ['normal', 'whispering', 'shouting', 'crying'],
  accent: ['en-US', 'en-GB', 'en-AU', 'en-IN', 'de-DE', 'fr-FR'],
};

export const MAX_PROFILE_TOP_N = 20;

export interface ProfileEntry {
  label: string;
  confidence: number;
}

/**
 * A profile for turn number `turn`: the top label rotates with the turn so tests can tell
 * profiles apart; confidences fall geometrically and stay within 0–1.
 */
export function emulatedVoiceProfile(topN: number, turn: number): Record<string, ProfileEntry[]> {
  const n = Math.max(1, Math.min(MAX_PROFILE_TOP_N, Math.floor(topN)));
  const profile: Record<string, ProfileEntry[]> = {};
  for (const [category, labels] of Object.entries(PROFILE_LABELS)) {
    const entries: ProfileEntry[] = [];
    const count = Math.min(n, labels.length);
    let remaining = 0.95;
    for (let i = 0; i < count; i += 1) {
      const share = i === count - 1 ? remaining : remaining * 0.7;
      entries.push({ label: labels[(i + turn) % labels.length]!, confidence: Math.round(share * 100) / 100 });
      remaining -= share;
    }
    entries.sort((a, b) => b.confidence - a.confidence);
    profile[category] = entries;
  }
  return profile;
}

export interface EmulatedWord {
  word: string;
  startTimeMs: number;
  endTimeMs: number;
  confidence: number;
}

/** Spreads the words of `text` over [startMs, endMs], each in proportion to its length. */
export function spreadWords(text: string, startMs: number, endMs: number): EmulatedWord[] {
  const words = text.split(/\s+/).filter((w) => w.length > 0);
  if (words.length === 0) return [];
  const weights = words.map((w) => w.length + 1);
  const total = weights.reduce((a, b) => a + b, 0);
  const span = Math.max(words.length, endMs - startMs);
  const out: EmulatedWord[] = [];
  let at = startMs;
  for (let i = 0; i < words.length; i += 1) {
    const length = (span * weights[i]!) / total;
    const start = Math.round(at);
    at += length;
    const end = i === words.length - 1 ? Math.round(startMs + span) : Math.round(at);
    out.push({ word: words[i]!, startTimeMs: start, endTimeMs: Math.max(start + 1, end), confidence: 0.95 });
  }
  return out;
}

/** The first `count` words of `text` (interims restate the turn so far). */
export function leadingWords(text: string, count: number): string {
  return text.split(/\s+/).filter((w) => w.length > 0).slice(0, count).join(' ');
}
