// IPA text to the phone symbols a dictionary entry holds, and back for display. Written with
// spaces ("t ə m eɪ t oʊ") the symbols are taken exactly as given; written solid ("təmeɪtoʊ")
// each letter starts a symbol and what modifies a letter stays with it: combining diacritics,
// length and modifier letters (ː, ʰ, ʲ), and the letter after a tie bar (t͡ʃ); the English
// diphthongs and affricates (eɪ, oʊ, tʃ, dʒ, …) are one symbol each, as one phoneme each. Stress
// marks and syllable dots are symbols of their own. How the service splits IPA is not written
// down (docs/protocol.md#pronunciation-dictionaries): spaces give the caller the last word.
import { ValidationError } from '../core/errors.js';

const TIE_BARS = new Set(['\u0361', '\u035c']);
const STRESS_AND_BREAKS = new Set(['ˈ', 'ˌ', '.', '|', '‖']);
const ATTACHES = /^[\p{M}\p{Lm}]$/u;
/** Two letters that make one English phoneme. */
const DIGRAPHS = new Set(['eɪ', 'aɪ', 'ɔɪ', 'oʊ', 'əʊ', 'aʊ', 'ɪə', 'eə', 'ʊə', 'tʃ', 'dʒ']);

/**
 * The phone symbols of an IPA string such as `/təˈmeɪtoʊ/` (slashes or brackets optional).
 *
 * @throws {@link ValidationError} when nothing is left to pronounce.
 */
export function parseIpa(value: string): string[] {
  const inner = value
    .trim()
    .replace(/^[/[]/, '')
    .replace(/[/\]]$/, '')
    .trim();
  if (inner === '') throw new ValidationError('The IPA is empty; write the pronunciation such as /təˈmeɪtoʊ/.');
  if (/\s/.test(inner)) return inner.split(/\s+/).filter(Boolean);
  const symbols: string[] = [];
  let joinNext = false;
  for (const char of inner) {
    const last = symbols.length - 1;
    const attach = last >= 0 && !STRESS_AND_BREAKS.has(char) && !STRESS_AND_BREAKS.has(symbols[last]!) && (joinNext || ATTACHES.test(char));
    if (attach) symbols[last] += char;
    else if (last >= 0 && DIGRAPHS.has(symbols[last]! + char)) symbols[last] += char;
    else symbols.push(char);
    joinNext = TIE_BARS.has(char);
  }
  return symbols;
}

/** The symbols written back as one IPA word between slashes, e.g. `/təˈmeɪtoʊ/`. */
export function formatIpa(symbols: readonly string[]): string {
  return `/${symbols.join('')}/`;
}
