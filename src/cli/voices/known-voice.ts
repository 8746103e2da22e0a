// Before show, update or delete: is the id one of the voices this key can see? The cached list
// answers first (no request); an id missing from it is checked against a fresh list, which also
// refreshes the cache. An id in neither is bad input (exit 2) with the nearest ids as "did you
// mean"; nothing more is sent. When the list cannot be read, the server is left to judge.
import type { InworldClient } from '../../core/client.js';
import { ValidationError } from '../../core/errors.js';
import { cacheVoiceIds, readCachedVoiceIds } from './voice-cache.js';
import { nearestIds } from './voice-suggest.js';

export async function requireKnownVoice(client: InworldClient, voiceId: string, fromEmulator: boolean): Promise<void> {
  const cached = fromEmulator ? undefined : await readCachedVoiceIds();
  if (cached?.includes(voiceId)) return;
  let ids: string[];
  try {
    const { listVoices } = await import('../../voices/list.js');
    const voices = await listVoices(client, { maxRetries: 1 });
    await cacheVoiceIds(voices, fromEmulator);
    ids = voices.map((voice) => voice.id);
  } catch {
    return;
  }
  if (ids.includes(voiceId)) return;
  const near = nearestIds(voiceId, ids);
  const hint = near.length > 0
    ? `Did you mean ${near.map((id) => `"${id}"`).join(' or ')}? Voice ids are case-sensitive`
    : 'Run `inworld voices --source custom` to see your voice ids';
  throw new ValidationError(`No voice "${voiceId}" among the ${ids.length} voices this key can see`, { hint });
}
