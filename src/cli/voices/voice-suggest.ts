// "Did you mean …": when the server does not know a voice id, look at the voice list for the
// nearest ids (voice ids are case-sensitive, so "ashley" and "Ashly" are the usual slips).
import type { InworldClient } from '../../core/client.js';
import { NotFoundError } from '../../core/errors.js';

/** Ids within this many edits (after case folding) are offered. */
const MAX_SUGGESTION_DISTANCE = 3;
const MAX_SUGGESTIONS = 3;

export function editDistance(a: string, b: string): number {
  const previous = Array.from({ length: b.length + 1 }, (_, index) => index);
  for (let i = 1; i <= a.length; i += 1) {
    let diagonal = previous[0]!;
    previous[0] = i;
    for (let j = 1; j <= b.length; j += 1) {
      const above = previous[j]!;
      previous[j] = Math.min(above + 1, previous[j - 1]! + 1, diagonal + (a[i - 1] === b[j - 1] ? 0 : 1));
      diagonal = above;
    }
  }
  return previous[b.length]!;
}

export function nearestIds(wanted: string, ids: readonly string[]): string[] {
  const folded = wanted.toLowerCase();
  return ids
    .map((id) => ({ id, distance: editDistance(folded, id.toLowerCase()) }))
    .filter((candidate) => candidate.distance <= Math.min(MAX_SUGGESTION_DISTANCE, Math.max(1, Math.floor(wanted.length / 2))))
    .sort((x, y) => x.distance - y.distance || x.id.localeCompare(y.id))
    .slice(0, MAX_SUGGESTIONS)
    .map((candidate) => candidate.id);
}

/**
 * If `error` says the voice was not found, returns the same error with a "did you mean" hint
 * (or a pointer to `inworld voices`); any other error is returned untouched. Never throws: the
 * suggestion is a courtesy, the original failure is what matters.
 */
export async function withVoiceSuggestion(error: unknown, client: InworldClient, voiceId: string): Promise<unknown> {
  if (!(error instanceof NotFoundError) || !/voice/i.test(error.serverMessage)) return error;
  let hint = 'Run `inworld voices` to see the voice ids';
  try {
    const { listVoices } = await import('../../voices/list.js');
    const voices = await listVoices(client, { maxRetries: 0 });
    const near = nearestIds(voiceId, voices.map((voice) => voice.id));
    if (near.length > 0) hint = `Did you mean ${near.map((id) => `"${id}"`).join(' or ')}? Voice ids are case-sensitive`;
  } catch {
    // Keep the generic hint.
  }
  return Object.assign(error, { hint });
}
