// The voice ids shell completion offers for --voice: every voice the user's key can use (their
// own cloned or designed voices as well as the system ones), written whenever a command has just
// listed them all. An emulator's list is not the user's, so it never replaces the cache.
import { mkdir } from 'node:fs/promises';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import type { InworldClient } from '../../core/client.js';
import type { Voice } from '../../voices/types.js';

/** Where the completion scripts look (they spell the same path in shell). */
export function voiceCachePath(env: NodeJS.ProcessEnv = process.env): string {
  return join(env.XDG_CACHE_HOME || join(homedir(), '.cache'), 'inworld', 'voice-ids');
}

/** Best effort: failing to write the cache must not fail the command. */
export async function cacheVoiceIds(voices: readonly Voice[], fromEmulator: boolean): Promise<void> {
  if (fromEmulator) return;
  const path = voiceCachePath();
  try {
    await mkdir(dirname(path), { recursive: true });
    // Atomically: a completion reading the file meanwhile sees the old list or the new, never half.
    const { writeFileAtomically } = await import('../../core/atomic-file.js');
    await writeFileAtomically(path, `${voices.map((voice) => voice.id).join('\n')}\n`);
  } catch {
    // A read-only home is fine: completion just offers no voice ids.
  }
}

/** The cached ids, or undefined when there is no cache yet. */
export async function readCachedVoiceIds(): Promise<string[] | undefined> {
  try {
    const { readFile } = await import('node:fs/promises');
    return (await readFile(voiceCachePath(), 'utf8')).split('\n').filter((id) => id !== '');
  } catch {
    return undefined;
  }
}

/**
 * Lists every voice again and rewrites the cache, after a command changed the list (clone,
 * publish, update, delete). Returns the ids, or undefined when the list could not be read (the
 * change itself stands; the cache is refreshed next time).
 */
export async function refreshVoiceCache(client: InworldClient, fromEmulator: boolean): Promise<string[] | undefined> {
  try {
    const { listVoices } = await import('../../voices/list.js');
    const voices = await listVoices(client, { maxRetries: 1 });
    await cacheVoiceIds(voices, fromEmulator);
    return voices.map((voice) => voice.id);
  } catch {
    return undefined;
  }
}
