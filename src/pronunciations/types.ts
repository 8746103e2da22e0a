// The shapes callers see for pronunciation dictionaries. On the wire an entry list is
// `pronunciations`; here it is `entries`, the word the CLI and the README use.

/** One word and how to say it: the written form, its language and IPA phone symbols. */
export interface PronunciationEntry {
  /** The word as written in the text, e.g. `tomato`. Matched without regard to case. */
  displayHeadword: string;
  /** BCP-47 code of the language the entry applies to, e.g. `en-US`. */
  languageCode: string;
  /** IPA symbols in order, e.g. `['t', 'ə', 'ˈm', 'eɪ', 't', 'oʊ']`; at least one. */
  phoneSymbols: string[];
}

/** A named pronunciation dictionary as the service returns it. */
export interface PronunciationDictionary {
  /** Resource name, `workspaces/{workspace}/pronunciationDictionaries/{id}`: what TTS requests name. */
  name: string;
  /** The service-assigned id, the last segment of `name`. */
  id: string;
  /** The workspace that owns the dictionary. */
  workspace: string;
  /** Human-readable name, non-blank, at most 64 characters. */
  displayName: string;
  entries: PronunciationEntry[];
  /** Changes on every update; updates and deletes must send the current value. */
  etag: string;
}

/** Request settings every dictionary call takes. */
export interface PronunciationCallOptions {
  signal?: AbortSignal;
  /** Deadline for connecting and for the first byte, in ms (default: the client's). */
  timeoutMs?: number;
  /** Retries of failures that are safe to repeat (default: the client's). */
  maxRetries?: number;
}

/** What {@link Pronunciations.create} sends. */
export interface CreateDictionaryInput {
  /** Required by the service: non-blank, at most 64 characters. */
  displayName: string;
  /** May be empty; at most 1,000 entries and 512 KiB. */
  entries: PronunciationEntry[];
}

/** The fields an update replaces; only the ones present are named in `updateMask`. */
export interface UpdateDictionaryInput {
  displayName?: string;
  /** The complete new entry list: entries left out are deleted. */
  entries?: PronunciationEntry[];
}

/** An update needs the etag the caller last read. */
export interface UpdateDictionaryOptions extends PronunciationCallOptions {
  etag: string;
}

/** Which entries to remove: by headword (any case), in one language or all. */
export interface EntrySelector {
  displayHeadword: string;
  /** When absent, the headword is removed in every language. */
  languageCode?: string;
}

/** The result of removing entries: the dictionary as saved, and what was taken out. */
export interface RemoveEntriesResult {
  dictionary: PronunciationDictionary;
  removed: PronunciationEntry[];
}

export interface DeleteDictionaryOptions extends PronunciationCallOptions {
  /** The etag last read; when absent the dictionary is read first and its current etag used. */
  etag?: string;
  /** Treat a dictionary that no longer exists as deleted. */
  allowMissing?: boolean;
}
