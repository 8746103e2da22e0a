// Markup the service reads in the text of one request (an HTTP request, or one WebSocket
// generation): `<break time="…"/>` pauses, at most 20, each at most 10 s, tag names in any case;
// SSML `<phoneme>` is not supported (pronunciations go inline in IPA between slashes). The
// emulator refuses what the service refuses, and speaks a break as silence of its length.

export const MAX_BREAKS_PER_REQUEST = 20;
export const MAX_BREAK_SECONDS = 10;
/** The pause of a `<break/>` with no time (SSML's "medium" strength is of this order). */
export const DEFAULT_BREAK_SECONDS = 0.5;

/** One `<break …>` tag: where it is in the text and how long it pauses. */
export interface BreakTag {
  start: number;
  end: number;
  /** The `time` as written, when there is one. */
  time?: string;
  /** Its length; undefined when `time` cannot be read. */
  seconds: number | undefined;
}

const BREAK = /<\s*break(?:\s[^>]*)?\/?\s*>/gi;
const TIME = /\stime\s*=\s*["']?([^"'\s/>]*)/i;
const PHONEME = /<\s*phoneme[\s>/]/i;

export function findBreakTags(text: string): BreakTag[] {
  const tags: BreakTag[] = [];
  for (const match of text.matchAll(BREAK)) {
    const time = TIME.exec(match[0])?.[1];
    tags.push({ start: match.index, end: match.index + match[0].length, time, seconds: time === undefined ? DEFAULT_BREAK_SECONDS : parseTime(time) });
  }
  return tags;
}

/** "1.5s" or "250ms" in seconds; undefined for anything else. */
function parseTime(time: string): number | undefined {
  const match = /^(\d+(?:\.\d+)?|\.\d+)(ms|s)$/i.exec(time.trim());
  if (!match) return undefined;
  return match[2]!.toLowerCase() === 'ms' ? Number(match[1]) / 1000 : Number(match[1]);
}

/** The INVALID_ARGUMENT message for markup the service refuses, or undefined. */
export function markupMessage(text: string): string | undefined {
  if (!text.includes('<')) return undefined;
  if (PHONEME.test(text)) {
    return 'SSML <phoneme> tags are not supported; write the pronunciation inline in IPA between slashes, e.g. /kriːt/';
  }
  const tags = findBreakTags(text);
  for (const tag of tags) {
    if (tag.seconds === undefined) return `Invalid break time "${tag.time}": use a duration such as 500ms or 2s`;
    if (tag.seconds > MAX_BREAK_SECONDS) return `Break time "${tag.time}" exceeds the maximum of ${MAX_BREAK_SECONDS}s`;
  }
  if (tags.length > MAX_BREAKS_PER_REQUEST) {
    return `Too many break tags: ${tags.length}; at most ${MAX_BREAKS_PER_REQUEST} are allowed per request`;
  }
  return undefined;
}
