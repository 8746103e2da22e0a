// `--pronunciation-dict` on say, stream and --batch: the names as typed become the resource names
// TTS requests carry (one list of the workspace when any is given by name or id).
import type { InworldClient } from '../../core/client.js';
import { workspaceOf } from './common.js';
import { resolveDictionaryNames } from './find-dictionary.js';

/** Replaces `options.pronunciationDictionaries` with resource names, in place. */
export async function resolvePronunciationDictionaries(client: InworldClient, options: { pronunciationDictionaries?: string[] }, signal?: AbortSignal): Promise<void> {
  const wanted = options.pronunciationDictionaries;
  if (wanted === undefined || wanted.length === 0) return;
  options.pronunciationDictionaries = await resolveDictionaryNames(client, workspaceOf({}), wanted, signal);
}
