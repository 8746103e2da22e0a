// The voice ids shell completion offers for --voice: every voice the user's key can use (their
// own cloned or designed voices as well as the system ones), written whenever a command has just
// listed them all. An emulator's list is not the user's, so it never replaces the cache.
import { mkdir } from 'node:fs/promises';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
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
