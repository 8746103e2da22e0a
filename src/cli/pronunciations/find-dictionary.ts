// Dictionaries as users name them: by display name (what `create <name>` took), by the id the
// service assigned, or by the full resource name. A resource name is used as is; the others are
// looked up in the workspace's list. An unknown or ambiguous name is bad input (exit 2), with the
// nearest names offered.
import type { InworldClient } from '../../core/client.js';
import { ValidationError } from '../../core/errors.js';
import { getDictionary, listDictionaries } from '../../pronunciations/dictionaries.js';
import { parseDictionaryName } from '../../pronunciations/protocol.js';
import type { PronunciationDictionary } from '../../pronunciations/types.js';
import { nearestIds } from '../voices/voice-suggest.js';

/** The one dictionary of `dictionaries` that `wanted` names: its id, else its display name. */
export function matchDictionary(dictionaries: readonly PronunciationDictionary[], wanted: string, workspace: string): PronunciationDictionary {
  const byId = dictionaries.find((dictionary) => dictionary.id === wanted);
  if (byId) return byId;
  let named = dictionaries.filter((dictionary) => dictionary.displayName === wanted);
  if (named.length === 0) named = dictionaries.filter((dictionary) => dictionary.displayName.toLowerCase() === wanted.toLowerCase());
  if (named.length === 1) return named[0]!;
  if (named.length > 1) {
    throw new ValidationError(`${named.length} dictionaries are named "${wanted}" (ids ${named.map((dictionary) => dictionary.id).join(', ')}); name one by its id.`);
  }
  const near = nearestIds(wanted, dictionaries.map((dictionary) => dictionary.displayName));
  const hint = near.length > 0 ? `Did you mean ${near.map((name) => `"${name}"`).join(' or ')}?` : 'Run `inworld pronunciations list` to see them.';
  throw new ValidationError(`No pronunciation dictionary "${wanted}" in workspace ${workspace}`, { hint });
}

/** The dictionary `wanted` names, with its entries and current etag. */
export async function findDictionary(client: InworldClient, workspace: string, wanted: string, signal?: AbortSignal): Promise<PronunciationDictionary> {
  const parsed = parseDictionaryName(wanted);
  if (parsed) return getDictionary(client, parsed.workspace, wanted, { signal });
  return matchDictionary(await listDictionaries(client, workspace, { signal }), wanted.trim(), workspace);
}

/**
 * The resource names TTS requests send for `--pronunciation-dict` values: resource names as
 * given, names and ids looked up once in the workspace's list.
 */
export async function resolveDictionaryNames(client: InworldClient, workspace: string, wanted: readonly string[], signal?: AbortSignal): Promise<string[]> {
  let listed: PronunciationDictionary[] | undefined;
  const names: string[] = [];
  for (const value of wanted) {
    if (parseDictionaryName(value)) {
      names.push(value.trim());
      continue;
    }
    listed ??= await listDictionaries(client, workspace, { signal });
    names.push(matchDictionary(listed, value.trim(), workspace).name);
  }
  return names;
}
