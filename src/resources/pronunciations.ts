// `inworld.pronunciations`: named pronunciation dictionaries in one workspace. A dictionary is
// addressed by its id (in this resource's workspace) or by its full resource name.
import type { InworldClient } from '../core/client.js';
import {
  addEntries,
  createDictionary,
  deleteDictionary,
  getDictionary,
  listDictionaries,
  removeEntries,
  updateDictionary,
} from '../pronunciations/dictionaries.js';
import type {
  CreateDictionaryInput,
  DeleteDictionaryOptions,
  EntrySelector,
  PronunciationCallOptions,
  PronunciationDictionary,
  PronunciationEntry,
  RemoveEntriesResult,
  UpdateDictionaryInput,
  UpdateDictionaryOptions,
} from '../pronunciations/types.js';

/** The `pronunciations` resource of an {@link Inworld} client. */
export class Pronunciations {
  private readonly client: InworldClient;
  /** The workspace ids are resolved in (the `workspace` option, INWORLD_WORKSPACE_ID, or `default`). */
  readonly workspace: string;

  /** @internal Built by {@link Inworld}; not meant to be constructed directly. */
  constructor(client: InworldClient, workspace: string) {
    this.client = client;
    this.workspace = workspace;
  }

  /** Every dictionary in the workspace with all its entries (the service pages them five at a time; all pages are read). */
  list(options: PronunciationCallOptions = {}): Promise<PronunciationDictionary[]> {
    return listDictionaries(this.client, this.workspace, options);
  }

  /**
   * One dictionary by id or resource name.
   *
   * @throws {@link NotFoundError} when it does not exist.
   */
  get(dictionary: string, options: PronunciationCallOptions = {}): Promise<PronunciationDictionary> {
    return getDictionary(this.client, this.workspace, dictionary, options);
  }

  /**
   * Creates a dictionary. The entries are checked first (IPA present, language codes, one entry
   * per word and language, at most 1,000 entries and 512 KiB) and a bad one throws before sending.
   * The service has no idempotency key, so a failed create is never repeated once sent: after a
   * lost answer, {@link list} and look for the display name before creating again.
   *
   * @throws {@link ValidationError} for bad input, {@link APIError} for a refusal.
   */
  create(input: CreateDictionaryInput, options: PronunciationCallOptions = {}): Promise<PronunciationDictionary> {
    return createDictionary(this.client, this.workspace, input, options);
  }

  /**
   * Replaces the display name and/or the whole entry list (entries left out are deleted), if
   * `options.etag` is still the dictionary's etag.
   *
   * @throws {@link StaleEtagError} when the dictionary changed since that etag was read.
   */
  update(dictionary: string, input: UpdateDictionaryInput, options: UpdateDictionaryOptions): Promise<PronunciationDictionary> {
    return updateDictionary(this.client, this.workspace, dictionary, input, options);
  }

  /**
   * Adds entries, replacing any entry for the same word in the same language: reads the
   * dictionary, then updates it with the etag just read.
   *
   * @throws {@link StaleEtagError} when another writer changed it in between (call again to retry).
   */
  addEntries(dictionary: string, entries: readonly PronunciationEntry[], options: PronunciationCallOptions = {}): Promise<PronunciationDictionary> {
    return addEntries(this.client, this.workspace, dictionary, entries, options);
  }

  /**
   * Removes the entries for these headwords (any case; in one language or all): reads, then
   * updates with the etag just read. Nothing is written when no entry matches.
   *
   * @throws {@link StaleEtagError} when another writer changed it in between (call again to retry).
   */
  removeEntries(dictionary: string, selectors: readonly EntrySelector[], options: PronunciationCallOptions = {}): Promise<RemoveEntriesResult> {
    return removeEntries(this.client, this.workspace, dictionary, selectors, options);
  }

  /**
   * Deletes a dictionary and its entries. Without `options.etag` the dictionary is read first
   * and deleted as it is now; with `allowMissing` one already gone counts as deleted.
   *
   * @throws {@link StaleEtagError} when the etag given (or just read) is no longer current.
   */
  delete(dictionary: string, options: DeleteDictionaryOptions = {}): Promise<void> {
    return deleteDictionary(this.client, this.workspace, dictionary, options);
  }
}
