// The subset of AIP-160 filtering the Voice API takes in its `filter` parameter:
//   expr  := term (('AND' | 'OR') term)*      AND binds tighter than OR; no parentheses
//   term  := ['NOT' | '-'] field op value
//   op    := '=' | '!=' | ':'                  ':' means "has" (list contains / string contains)
//   value := "quoted" | 'quoted' | bare
// Fields: lang_code (en, en-US or en_US), source, gender, age_group (`elderly` is OLD), voice_id,
// display_name, description, tags, categories, owned (a custom voice); camelCase spellings work too.
import { invalidArgument } from '../server/grpc.js';
import type { EmulatorVoice } from './types.js';

type Predicate = (voice: EmulatorVoice) => boolean;

const FIELD_ALIASES: Record<string, keyof EmulatorVoice> = {
  lang_code: 'langCode', langcode: 'langCode', language: 'langCode',
  source: 'source', gender: 'gender', age_group: 'ageGroup', agegroup: 'ageGroup',
  voice_id: 'voiceId', voiceid: 'voiceId', display_name: 'displayName', displayname: 'displayName',
  description: 'description', tags: 'tags', categories: 'categories', owned: 'source',
};

/** Age group names Inworld's tools filter with that the catalogue spells differently. */
const AGE_ALIASES: Record<string, string> = { elderly: 'OLD', old: 'OLD', middle_aged: 'MIDDLE_AGED', 'middle-aged': 'MIDDLE_AGED' };

/** `owned = "true"`: the caller's own (custom) voices; `"false"`: the others. */
function ownedTest(value: string): Predicate {
  const wanted = value.toLowerCase() === 'true';
  return (voice) => (voice.source !== 'SYSTEM') === wanted;
}

/** The repeated `languages=` parameters (Inworld's SDK): a voice in any one of them matches. */
export function languagesPredicate(languages: readonly string[]): Predicate {
  const tests = languages.filter((language) => language.trim() !== '').map((language) => langCodeTest(language.trim(), '='));
  return tests.length === 0 ? () => true : (voice) => tests.some((test) => test(voice));
}

const TERM = /^\s*(NOT\s+|-)?([A-Za-z_]+)\s*(!=|=|:)\s*("(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'|[^\s"']+)\s*$/i;

export function compileVoiceFilter(filter: string): Predicate {
  const text = filter.trim();
  if (text === '') return () => true;
  const alternatives = splitKeyword(text, 'OR').map((part) => splitKeyword(part, 'AND').map(compileTerm));
  return (voice) => alternatives.some((terms) => terms.every((term) => term(voice)));
}

/** Splits on a keyword outside quotes. */
function splitKeyword(text: string, keyword: 'AND' | 'OR'): string[] {
  const parts: string[] = [];
  let quote: string | undefined;
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (quote) {
      if (ch === '\\') i += 1;
      else if (ch === quote) quote = undefined;
      continue;
    }
    if (ch === '"' || ch === "'") {
      quote = ch;
      continue;
    }
    const word = text.slice(i, i + keyword.length + 2);
    if (new RegExp(`^\\s${keyword}\\s$`, 'i').test(word)) {
      parts.push(text.slice(start, i));
      start = i + keyword.length + 2;
      i = start - 1;
    }
  }
  parts.push(text.slice(start));
  return parts;
}

function compileTerm(term: string): Predicate {
  const match = TERM.exec(term);
  if (!match) throw invalidArgument(`Invalid filter: cannot parse "${term.trim()}"`);
  const [, negation, rawField, op, rawValue] = match;
  const field = FIELD_ALIASES[rawField!.toLowerCase()];
  if (!field) throw invalidArgument(`Invalid filter: unknown field "${rawField}"`);
  const value = unquote(rawValue!);
  const test =
    rawField!.toLowerCase() === 'owned' ? ownedTest(value)
    : field === 'langCode' ? langCodeTest(value, op!)
    : field === 'ageGroup' ? genericTest(field, AGE_ALIASES[value.toLowerCase()] ?? value, op!)
    : genericTest(field, value, op!);
  const predicate: Predicate = op === '!=' ? (voice) => !test(voice) : test;
  return negation ? (voice) => !predicate(voice) : predicate;
}

function unquote(value: string): string {
  if ((value.startsWith('"') && value.endsWith('"')) || (value.startsWith("'") && value.endsWith("'"))) {
    return value.slice(1, -1).replace(/\\(.)/g, '$1');
  }
  return value;
}

function langCodeTest(value: string, op: string): Predicate {
  const wanted = value.replace(/-/g, '_').toUpperCase();
  // A bare language ("en") matches every region of it; "en-US" and "EN_US" match exactly.
  if (!wanted.includes('_')) return (voice) => voice.langCode.split('_')[0] === wanted;
  if (op === ':') return (voice) => voice.langCode.startsWith(wanted);
  return (voice) => voice.langCode === wanted;
}

function genericTest(field: keyof EmulatorVoice, value: string, op: string): Predicate {
  const wanted = value.toLowerCase();
  return (voice) => {
    const actual = voice[field];
    if (Array.isArray(actual)) return actual.some((item) => item.toLowerCase() === wanted);
    const text = String(actual).toLowerCase();
    return op === ':' ? text.includes(wanted) : text === wanted;
  };
}
