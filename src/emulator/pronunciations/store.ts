// The emulator's named pronunciation dictionaries: held in memory per emulator, each with a
// service-style resource name and an etag that changes on every write (so a writer holding an
// older etag is refused).
import { createHash, randomUUID } from 'node:crypto';

export interface StoredEntry {
  displayHeadword: string;
  languageCode: string;
  phoneSymbols: string[];
}

export interface StoredDictionary {
  /** `workspaces/{workspace}/pronunciationDictionaries/{id}`. */
  readonly name: string;
  readonly workspace: string;
  readonly id: string;
  displayName: string;
  entries: StoredEntry[];
  etag: string;
  /** Writes so far; part of the etag, so even a write that changes nothing gives a new one. */
  revision: number;
}

/** The JSON a dictionary is answered with. */
export function dictionaryJson(dictionary: StoredDictionary): Record<string, unknown> {
  return {
    name: dictionary.name,
    displayName: dictionary.displayName,
    pronunciations: dictionary.entries.map((entry) => ({ ...entry, phoneSymbols: [...entry.phoneSymbols] })),
    etag: dictionary.etag,
  };
}

export class PronunciationStore {
  private readonly dictionaries = new Map<string, StoredDictionary>();

  /** A workspace's dictionaries in the order they were created. */
  list(workspace: string): StoredDictionary[] {
    return [...this.dictionaries.values()].filter((dictionary) => dictionary.workspace === workspace);
  }

  find(name: string): StoredDictionary | undefined {
    return this.dictionaries.get(name);
  }

  create(workspace: string, displayName: string, entries: StoredEntry[]): StoredDictionary {
    const id = randomUUID();
    const dictionary: StoredDictionary = {
      name: `workspaces/${workspace}/pronunciationDictionaries/${id}`,
      workspace,
      id,
      displayName,
      entries,
      etag: '',
      revision: 0,
    };
    dictionary.etag = etagOf(dictionary);
    this.dictionaries.set(dictionary.name, dictionary);
    return dictionary;
  }

  /** Applies a write to a dictionary and gives it a new etag. */
  write(dictionary: StoredDictionary, changes: { displayName?: string; entries?: StoredEntry[] }): StoredDictionary {
    if (changes.displayName !== undefined) dictionary.displayName = changes.displayName;
    if (changes.entries !== undefined) dictionary.entries = changes.entries;
    dictionary.revision += 1;
    dictionary.etag = etagOf(dictionary);
    return dictionary;
  }

  delete(name: string): boolean {
    return this.dictionaries.delete(name);
  }

  clear(): void {
    this.dictionaries.clear();
  }
}

function etagOf(dictionary: StoredDictionary): string {
  const content = JSON.stringify([dictionary.name, dictionary.revision, dictionary.displayName, dictionary.entries]);
  return createHash('sha256').update(content).digest('base64url').slice(0, 22);
}
