// Dictionaries in synthesis: the `pronunciationDictionarySettings` of a TTS request (HTTP body or
// WebSocket `create`), and speech in which each headword is said as its IPA. The emulator speaks
// the phone symbols in place of the written word, so the audio for a headword differs with and
// without the dictionary (deterministically), while timestamps keep the words as written.
import { EmulatorError, GRPC_NOT_FOUND, invalidArgument } from '../server/grpc.js';
import { getField, isObject, readBoolean, type JsonObject } from '../server/json-fields.js';
import type { RenderedSpeech, SpeechEngine, SpeechRenderOptions } from '../tts/speech.js';
import { characterTimes } from '../tts/speech-synthetic.js';
import { splitWords } from '../tts/text-units.js';
import { wordKey } from './entries.js';
import type { PronunciationStore, StoredEntry } from './store.js';

/** Dictionaries one request may name. */
export const MAX_DICTIONARIES_PER_REQUEST = 3;

/**
 * The dictionary names a request selects, checked: at most three, TTS-2 models only, never with
 * `enableCustomPronunciation` (the workspace dictionary), and, given the store, each one existing.
 */
export function readDictionarySettings(body: JsonObject, modelId: string, store?: PronunciationStore): string[] {
  const settings = getField(body, 'pronunciationDictionarySettings');
  if (settings === undefined) return [];
  if (!isObject(settings)) throw invalidArgument(`Invalid value at 'pronunciation_dictionary_settings' (TYPE_MESSAGE), ${JSON.stringify(settings)}`);
  const list = getField(settings, 'dictionaries') ?? [];
  if (!Array.isArray(list)) throw invalidArgument(`Invalid value at 'pronunciation_dictionary_settings.dictionaries' (TYPE_MESSAGE), ${JSON.stringify(list)}`);
  const names = list.map((item, index) => {
    const at = `pronunciation_dictionary_settings.dictionaries[${index}]`;
    const name = isObject(item) ? getField(item, 'dictionary') : undefined;
    if (typeof name !== 'string' || name.trim() === '') throw invalidArgument(`${at}.dictionary must be a dictionary resource name`);
    return name.trim();
  });
  if (names.length === 0) return [];
  if (names.length > MAX_DICTIONARIES_PER_REQUEST) {
    throw invalidArgument(`At most ${MAX_DICTIONARIES_PER_REQUEST} pronunciation dictionaries per request, got ${names.length}`);
  }
  if (!modelId.startsWith('inworld-tts-2')) {
    throw invalidArgument(`Pronunciation dictionaries need an inworld-tts-2 model; ${modelId} does not support them`);
  }
  if (readBoolean(body, 'enableCustomPronunciation') === true) {
    throw invalidArgument('enable_custom_pronunciation cannot be combined with pronunciation_dictionary_settings');
  }
  const missing = store ? missingDictionary(names, store) : undefined;
  if (missing) throw new EmulatorError(GRPC_NOT_FOUND, `Pronunciation dictionary ${missing} not found`);
  return names;
}

/** The first of `names` the store does not hold (unknown dictionaries are refused as NOT_FOUND, inferred). */
export function missingDictionary(names: readonly string[], store: PronunciationStore): string | undefined {
  return names.find((name) => !store.find(name));
}

/**
 * The entries that apply to a text: from the named dictionaries in order (the first one naming a
 * word wins), in the request's language when it has one (matched on the base language).
 */
export function entriesFor(store: PronunciationStore, names: readonly string[], language: string | undefined): Map<string, StoredEntry> {
  const base = (code: string): string => code.toLowerCase().split(/[-_]/)[0]!;
  const entries = new Map<string, StoredEntry>();
  for (const name of names) {
    for (const entry of store.find(name)?.entries ?? []) {
      if (language !== undefined && language !== '' && base(entry.languageCode) !== base(language)) continue;
      const key = wordKey(entry.displayHeadword);
      if (!entries.has(key)) entries.set(key, entry);
    }
  }
  return entries;
}

/** The text with each headword (punctuation around it kept) replaced by its phone symbols. */
export function respell(text: string, entries: ReadonlyMap<string, StoredEntry>): string {
  if (entries.size === 0) return text;
  return text.replace(/\S+/gu, (token) => {
    const match = /^(\P{L}*)(.*?)(\P{L}*)$/su.exec(token)!;
    const entry = match[2] ? entries.get(wordKey(match[2])) : undefined;
    return entry ? `${match[1]}${entry.phoneSymbols.join('')}${match[3]}` : token;
  });
}

/**
 * Renders `text` with the dictionaries' pronunciations: the engine speaks the respelled text,
 * and the word and character timings are given back for the text as written.
 */
export async function renderPronounced(
  speech: SpeechEngine,
  text: string,
  options: SpeechRenderOptions,
  entries: ReadonlyMap<string, StoredEntry>,
): Promise<RenderedSpeech> {
  const spoken = respell(text, entries);
  if (spoken === text) return speech.render(text, options);
  const rendered = await speech.render(spoken, options);
  const written = splitWords(text);
  if (written.length !== rendered.words.length) return rendered;
  const words = rendered.words.map((word, index) => ({ ...word, text: written[index]!.text }));
  return { ...rendered, words, characters: characterTimes(text, written, words, rendered.durationSeconds) };
}
