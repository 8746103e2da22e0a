// Markup in the text that the service refuses, checked before sending (docs/protocol.md#markup):
// at most 20 `<break time="…"/>` pauses per request, each at most 10 s, and no SSML `<phoneme>`
// (Inworld takes IPA inline, between slashes). Tag names are case-insensitive, as the service
// reads them. A "request" is what one call sends: an HTTP request (one part of a long text), or
// one `sendText()` on a WebSocket stream (the CLI sends one sentence, or one batch line, per call,
// each with its own flush, so each is one generation).
import { ValidationError } from '../core/errors.js';

export const MAX_BREAKS_PER_REQUEST = 20;
export const MAX_BREAK_SECONDS = 10;

const BREAK_TAG = /<\s*break\b([^>]*)>/gi;
const TIME_ATTRIBUTE = /\btime\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s/>]+))/i;
const DURATION = /^\s*(\d+(?:\.\d*)?|\.\d+)\s*(ms|s)\s*$/i;
const PHONEME_ELEMENT = /<\s*phoneme\b([^>]*)>([\s\S]*?)<\s*\/\s*phoneme\s*>/i;
const PHONEME_TAG = /<\s*phoneme\b[^>]*>/i;
const PH_ATTRIBUTE = /\bph\s*=\s*(?:"([^"]*)"|'([^']*)')/i;

export interface MarkupCheckOptions {
  /** How the refusal names the text: "The text" (default), "Line 3", "The sentence". */
  subject?: string;
}

/** Seconds of a break's `time` ("500ms", "1.5s"), or undefined when it cannot be read. */
export function breakSeconds(time: string): number | undefined {
  const match = DURATION.exec(time);
  if (!match) return undefined;
  const value = Number(match[1]);
  return match[2]!.toLowerCase() === 'ms' ? value / 1000 : value;
}

/** Throws a ValidationError naming the first markup problem in `text` and its fix. */
export function checkMarkup(text: string, options: MarkupCheckOptions = {}): void {
  if (!text.includes('<')) return; // the common case: no tags at all
  const subject = options.subject ?? 'The text';
  checkPhoneme(text, subject);
  let breaks = 0;
  for (const match of text.matchAll(BREAK_TAG)) {
    breaks += 1;
    const time = TIME_ATTRIBUTE.exec(match[1]!);
    if (!time) continue; // a pause of the server's default length
    const value = time[1] ?? time[2] ?? time[3] ?? '';
    const seconds = breakSeconds(value);
    if (seconds === undefined) {
      throw new ValidationError(`${subject} has ${match[0]}, whose time is not a duration; write it as e.g. time="500ms" or time="1.5s".`);
    }
    if (seconds > MAX_BREAK_SECONDS) {
      throw new ValidationError(`${subject} has ${match[0]}, a ${seconds} s pause; a break may be at most ${MAX_BREAK_SECONDS} s, so shorten it.`);
    }
  }
  if (breaks > MAX_BREAKS_PER_REQUEST) {
    throw new ValidationError(
      `${subject} has ${breaks} <break> tags; one request takes at most ${MAX_BREAKS_PER_REQUEST}. Use fewer pauses, or split the text into shorter pieces.`,
    );
  }
}

function checkPhoneme(text: string, subject: string): void {
  const tag = PHONEME_TAG.exec(text);
  if (!tag) return;
  const element = PHONEME_ELEMENT.exec(text);
  const ph = PH_ATTRIBUTE.exec(element?.[1] ?? tag[0]);
  const ipa = ph ? (ph[1] ?? ph[2] ?? '').trim() : '';
  const fix = ipa
    ? `write the IPA inline between slashes instead: /${ipa}/${element ? ` in place of ${element[0]}` : ''}`
    : 'write the IPA inline between slashes instead, e.g. /kriːt/';
  throw new ValidationError(`${subject} uses SSML <phoneme>, which Inworld does not support; ${fix}.`);
}
