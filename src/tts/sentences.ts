// Sentence segmentation for TTS, in two forms that always agree:
//
//   splitSentences(text): string[]
//     The whole text at once. Same result as one SentenceSegmenter fed any split of the text.
//
//   new SentenceSegmenter({ maxChars? })
//     .push(piece): string[]   Text arriving in arbitrary pieces (one character at a time, mid-word,
//                              mid-line). Returns the sentences whose end is now certain, in order.
//     .end(): string[]         End of input: returns whatever is left (zero or more sentences).
//     .pending: string         Text held back, waiting for certainty.
//     .idleEnding              Whether the held-back text ends where a sentence would end if no
//                              more text came: 'certain' ("Hello." / "Hello. "), 'ambiguous'
//                              ("Dr.", "3.", "etc. ", a line without punctuation) or 'none'.
//     .flush(): string[]       Gives up waiting: the held-back text as a sentence (as end() does,
//                              but input may go on); unlike push(), it makes the result depend on
//                              timing. For live input, liveSentences (live-sentences.ts) feeds
//                              push() and calls flush() after a pause.
//
//   chunkText(text, maxChars): string[]
//     Request-sized parts for long-text synthesis: whole sentences packed greedily up to maxChars,
//     a sentence longer than maxChars split at word boundaries (then at clause punctuation, then
//     hard, never inside a surrogate pair).
//
// Every returned sentence is trimmed and non-empty. The sentences are the input in order with only
// whitespace changed: nothing is dropped, added or reordered (join with ' ', or '' after CJK text).
//
// Rules (why: Intl.Segmenter splits after "Dr." and "St.", which breaks a voice's prosody mid-name,
// and it cannot say when a boundary is certain for streamed input):
//  - A run of terminators (. ! ? … ‼ ؟ ।, or CJK 。！？｡) plus any closing quotes/brackets after it
//    ends a sentence when followed by whitespace and then a character that is not a lower-case
//    letter ("Hello. World" splits, "approx. five" and "3.14" do not).
//  - Whitespace containing a line break after a terminator ends the sentence at once (so a line of
//    stdin ending in "." is spoken without waiting for the next line).
//  - CJK terminators need no space: "你好。我是" splits after "。" (after any closing brackets).
//  - A single "." after a title (Dr. Mr. Mrs. Ms. Prof. St. Mt. …), after e.g. / i.e. / vs. / cf. /
//    approx. / et al., or after an initial or dotted acronym (J. / U.S. / U.K.) never ends a
//    sentence; after No. / p. / Fig. / Vol. it does not when a digit follows. "etc." and "Inc."
//    end a sentence when an upper-case word follows.
//  - A blank line (paragraph break) ends a sentence even without punctuation.
//  - Certainty: a boundary is reported only once the next non-space character (or a line break,
//    or end()) has been seen, so the same text gives the same sentences however it was split.
//  - maxChars (optional): a pending sentence longer than this is cut at the last whitespace
//    (hard cut if there is none), so a text without punctuation cannot grow the buffer forever.

/** Characters that end a sentence when followed by whitespace. */
const TERMINATORS = new Set(['.', '!', '?', '…', '‼', '⁇', '⁈', '⁉', '؟', '।', '。', '！', '？', '｡']);
/** Terminators that end a sentence with no space after them (CJK full-width punctuation). */
const CJK_TERMINATORS = new Set(['。', '！', '？', '｡']);
/** Closing quotes and brackets that belong to the sentence they follow. */
const CLOSERS = new Set(['"', "'", '”', '’', ')', ']', '}', '»', '›', '」', '』', '）', '】', '〕', '〉', '》', '〗', '〙', '〛']);

/** Tokens before "." that never end a sentence (titles and Latin abbreviations that precede more text). */
const NEVER_FINAL_ABBREVIATIONS = new Set([
  'mr', 'mrs', 'ms', 'mx', 'dr', 'prof', 'st', 'mt', 'ft', 'rev', 'fr', 'gen', 'gov', 'sen', 'rep', 'pres',
  'capt', 'cpt', 'sgt', 'lt', 'col', 'maj', 'cmdr', 'adm', 'hon', 'messrs', 'mme', 'mlle', 'sra', 'sr', 'srta',
  'e.g', 'i.e', 'eg', 'ie', 'vs', 'v', 'cf', 'viz', 'approx', 'ca', 'incl', 'esp', 'al', 'resp', 'dept', 'univ',
  'jan', 'feb', 'mar', 'apr', 'jun', 'jul', 'aug', 'sep', 'sept', 'oct', 'nov', 'dec',
]);
/** Tokens before "." that end a sentence only when an upper-case word follows ("etc. Then", "etc. and"). */
const SOMETIMES_FINAL_ABBREVIATIONS = new Set(['etc', 'inc', 'ltd', 'co', 'corp', 'jr', 'bros', 'esq']);
/** Tokens before "." that do not end a sentence when a digit follows ("No. 5", "p. 12", "Fig. 3"). */
const NUMBER_PREFIX_ABBREVIATIONS = new Set(['no', 'nos', 'nr', 'p', 'pp', 'fig', 'figs', 'vol', 'vols', 'ch', 'sec', 'art', 'op', 'eq', 'ref', 'pt']);

const LOWERCASE = /^\p{Ll}$/u;
const UPPER_INITIALS = /^(?:\p{Lu}\.)*\p{Lu}$/u;
const WORD_CHAR = /[\p{L}\p{M}.]/u;

function isSpace(ch: string): boolean {
  return /\s/u.test(ch);
}

export interface SegmenterOptions {
  /** Cut a pending sentence longer than this many UTF-16 units at a word boundary. Default: no limit. */
  maxChars?: number;
}

/** See SentenceSegmenter.idleEnding. */
export type IdleEnding = 'certain' | 'ambiguous' | 'none';

type Decision = { kind: 'boundary'; at: number; resume: number } | { kind: 'none'; resume: number } | { kind: 'wait' };

export class SentenceSegmenter {
  /** Text received and not yet emitted starts at `start`; earlier text is dropped lazily. */
  private buffer = '';
  private start = 0;
  /** Absolute positions before this index are known not to end a sentence. */
  private scanFrom = 0;
  private readonly maxChars: number;

  constructor(options: SegmenterOptions = {}) {
    const max = options.maxChars ?? Number.POSITIVE_INFINITY;
    if (!(max >= 2)) throw new RangeError('maxChars must be at least 2');
    this.maxChars = max;
  }

  /** Text held back because its sentence end is not certain yet. */
  get pending(): string {
    return this.buffer.slice(this.start);
  }

  /** Whether the held-back text would end a sentence if no more text came, and how surely. */
  get idleEnding(): IdleEnding {
    const at = this.scanFrom;
    if (at < this.start || at >= this.buffer.length) return endsInTerminator(this.buffer, this.start) ? 'ambiguous' : 'none';
    const ch = this.buffer[at]!;
    if (ch === '\n') return decideParagraph(this.buffer, at, false).kind === 'wait' ? 'ambiguous' : 'none';
    if (!TERMINATORS.has(ch) || decideTerminator(this.buffer, this.start, at, false).kind !== 'wait') return 'none';
    return classifyEnding(this.buffer, this.start, at);
  }

  /** Emits the held-back text as a sentence when it has an idle ending (else nothing); input may go on. */
  flush(): string[] {
    return this.idleEnding === 'none' ? [] : this.end();
  }

  push(piece: string): string[] {
    if (piece.length === 0) return [];
    // Drop emitted text now and then, not on every sentence: slicing the remainder after each
    // sentence would make one big push (splitSentences on a book) quadratic.
    if (this.start > 0 && (this.start >= 65_536 || this.start * 2 >= this.buffer.length)) {
      this.buffer = this.buffer.slice(this.start);
      this.scanFrom -= this.start;
      this.start = 0;
    }
    this.buffer += piece;
    return this.drain(false);
  }

  end(): string[] {
    const out = this.drain(true);
    const rest = this.buffer.slice(this.start).trim();
    this.buffer = '';
    this.start = 0;
    this.scanFrom = 0;
    if (rest.length > 0) out.push(rest);
    return out;
  }

  private drain(final: boolean): string[] {
    const out: string[] = [];
    for (;;) {
      this.skipLeadingSpace();
      const found = this.scan(final);
      if (found !== undefined) {
        this.emit(found, out);
        continue;
      }
      // No certain boundary yet: enforce the length cap on the part already known to be boundary-free.
      if (this.buffer.length - this.start > this.maxChars && this.scanFrom - this.start >= this.maxChars) {
        this.emit(forcedCut(this.buffer, this.start, this.maxChars), out);
        continue;
      }
      return out;
    }
  }

  /**
   * Whitespace after an emitted sentence may arrive after it was emitted; skipping it here, not
   * only in emit(), keeps it out of the maxChars count, as it is when the text comes at once.
   */
  private skipLeadingSpace(): void {
    while (this.start < this.buffer.length && isSpace(this.buffer[this.start]!)) this.start += 1;
    if (this.scanFrom < this.start) this.scanFrom = this.start;
  }

  private emit(at: number, out: string[]): void {
    const sentence = this.buffer.slice(this.start, at).trim();
    if (sentence.length > 0) out.push(sentence);
    let next = at;
    while (next < this.buffer.length && isSpace(this.buffer[next]!)) next += 1;
    this.start = next;
    this.scanFrom = next;
  }

  /** Returns the absolute index just after the next certain boundary, or undefined (scanFrom updated). */
  private scan(final: boolean): number | undefined {
    const text = this.buffer;
    let i = Math.max(this.scanFrom, this.start);
    while (i < text.length) {
      // Past the length cap a forced cut is due: stop here, so the cut comes before scanning on
      // (scanning the rest first would be redone after the cut, quadratic on run-on text).
      if (i - this.start >= this.maxChars) break;
      const ch = text[i]!;
      let decision: Decision;
      if (TERMINATORS.has(ch)) decision = decideTerminator(text, this.start, i, final);
      else if (ch === '\n') decision = decideParagraph(text, i, final);
      else {
        i += 1;
        continue;
      }
      if (decision.kind === 'wait') {
        this.scanFrom = i;
        return undefined;
      }
      if (decision.kind === 'boundary') return decision.at;
      i = decision.resume;
    }
    this.scanFrom = i;
    return undefined;
  }
}

/** Decides a terminator run starting at `start`. */
function decideTerminator(text: string, sentenceStart: number, start: number, final: boolean): Decision {
  let runEnd = start;
  let cjk = false;
  while (runEnd < text.length && TERMINATORS.has(text[runEnd]!)) {
    if (CJK_TERMINATORS.has(text[runEnd]!)) cjk = true;
    runEnd += 1;
  }
  let closeEnd = runEnd;
  while (closeEnd < text.length && CLOSERS.has(text[closeEnd]!)) closeEnd += 1;
  if (closeEnd === text.length) {
    // More terminators or closers may still arrive.
    return final ? { kind: 'boundary', at: closeEnd, resume: closeEnd } : { kind: 'wait' };
  }
  if (cjk) return { kind: 'boundary', at: closeEnd, resume: closeEnd };
  if (!isSpace(text[closeEnd]!)) return { kind: 'none', resume: closeEnd };

  let spaceEnd = closeEnd;
  let newline = false;
  while (spaceEnd < text.length && isSpace(text[spaceEnd]!)) {
    if (text[spaceEnd] === '\n' || text[spaceEnd] === '\r') newline = true;
    spaceEnd += 1;
  }
  const singleDot = runEnd - start === 1 && text[start] === '.';
  const token = singleDot ? tokenBefore(text, sentenceStart, start) : '';
  const lower = token.toLowerCase();
  const protectedAlways =
    singleDot && (NEVER_FINAL_ABBREVIATIONS.has(lower) || (token !== 'I' && UPPER_INITIALS.test(token)));
  if (protectedAlways) return { kind: 'none', resume: closeEnd };
  if (newline) return { kind: 'boundary', at: closeEnd, resume: closeEnd };
  if (spaceEnd === text.length) {
    return final ? { kind: 'boundary', at: closeEnd, resume: closeEnd } : { kind: 'wait' };
  }
  const next = String.fromCodePoint(text.codePointAt(spaceEnd)!);
  if (LOWERCASE.test(next)) return { kind: 'none', resume: closeEnd };
  if (singleDot && NUMBER_PREFIX_ABBREVIATIONS.has(lower) && /[0-9]/.test(next)) return { kind: 'none', resume: closeEnd };
  return { kind: 'boundary', at: closeEnd, resume: closeEnd };
}

/**
 * How sure a terminator run at the end of the text (`start`, where decideTerminator waits) is to end
 * its sentence: 'ambiguous' when the next characters could well continue it ("3." -> "3.14",
 * "e." -> "e.g.", "J." -> "J.R.R.", an open quote still to close, "No. " -> "No. 5", "etc. " -> "etc. and").
 */
function classifyEnding(text: string, sentenceStart: number, start: number): IdleEnding {
  let runEnd = start;
  let cjk = false;
  while (runEnd < text.length && TERMINATORS.has(text[runEnd]!)) {
    if (CJK_TERMINATORS.has(text[runEnd]!)) cjk = true;
    runEnd += 1;
  }
  let closeEnd = runEnd;
  while (closeEnd < text.length && CLOSERS.has(text[closeEnd]!)) closeEnd += 1;
  if (cjk) return 'certain';
  const singleDot = runEnd - start === 1 && text[start] === '.';
  const token = singleDot ? tokenBefore(text, sentenceStart, start) : '';
  const lower = token.toLowerCase();
  if (SOMETIMES_FINAL_ABBREVIATIONS.has(lower) || NUMBER_PREFIX_ABBREVIATIONS.has(lower)) return 'ambiguous';
  if (closeEnd < text.length) return 'certain'; // whitespace follows: only what comes after it could undo the end
  if (singleDot && token !== 'I') {
    const number = /[0-9]/.test(text[start - 1] ?? '');
    const initial = /^\p{Ll}$/u.test(token) || UPPER_INITIALS.test(token);
    if (number || initial || NEVER_FINAL_ABBREVIATIONS.has(lower)) return 'ambiguous';
  }
  if (unclosedQuote(text.slice(sentenceStart, closeEnd))) return 'ambiguous';
  return 'certain';
}

/** The text from `from` ends (before trailing whitespace and closers) in a terminator: "Dr. " that was passed over. */
function endsInTerminator(text: string, from: number): boolean {
  let i = text.length;
  while (i > from && (isSpace(text[i - 1]!) || CLOSERS.has(text[i - 1]!))) i -= 1;
  return i > from && TERMINATORS.has(text[i - 1]!);
}

/** An opening quote or bracket without its closer (so a closer may still arrive). */
function unclosedQuote(sentence: string): boolean {
  const count = (ch: string) => sentence.split(ch).length - 1;
  if (count('"') % 2 === 1) return true;
  const pairs = [['“', '”'], ['(', ')'], ['«', '»'], ['「', '」'], ['『', '』'], ['（', '）']] as const;
  return pairs.some(([open, close]) => count(open) > count(close));
}

/** A line break followed (after optional spaces) by another line break is a paragraph boundary. */
function decideParagraph(text: string, start: number, final: boolean): Decision {
  let j = start + 1;
  while (j < text.length && (text[j] === ' ' || text[j] === '\t' || text[j] === '\r')) j += 1;
  if (j === text.length) return final ? { kind: 'none', resume: j } : { kind: 'wait' };
  if (text[j] === '\n') return { kind: 'boundary', at: start, resume: j };
  return { kind: 'none', resume: start + 1 };
}

/** The word (letters and inner dots) just before position `end`, e.g. "Dr", "e.g", "U.S", never before `lowest`. */
function tokenBefore(text: string, lowest: number, end: number): string {
  let start = end;
  while (start > lowest && WORD_CHAR.test(text[start - 1]!)) start -= 1;
  return text.slice(start, end);
}

/** Absolute index to cut at so the text from `from` has at most `maxChars` units: last whitespace, else hard. */
function forcedCut(text: string, from: number, maxChars: number): number {
  for (let i = from + maxChars; i > from; i -= 1) {
    if (isSpace(text[i]!) && !isSpace(text[i - 1]!)) return i;
  }
  return safeCut(text, from + maxChars);
}

/** `at`, moved back one unit if it would split a surrogate pair. */
function safeCut(text: string, at: number): number {
  const code = text.charCodeAt(at - 1);
  return code >= 0xd800 && code <= 0xdbff ? at - 1 : at;
}

export function splitSentences(text: string, options: SegmenterOptions = {}): string[] {
  const segmenter = new SentenceSegmenter(options);
  return [...segmenter.push(text), ...segmenter.end()];
}

const CLAUSE_BREAKS = /[,;:，、；：]/u;

/** Splits one over-long sentence into pieces of at most maxChars: at spaces, then clause marks, then hard. */
export function splitLongSentence(sentence: string, maxChars: number): string[] {
  const out: string[] = [];
  let rest = sentence.trim();
  while (rest.length > maxChars) {
    let cut = -1;
    for (let i = maxChars; i > 0; i -= 1) {
      if (isSpace(rest[i]!) && !isSpace(rest[i - 1]!)) {
        cut = i;
        break;
      }
    }
    if (cut <= 0) {
      for (let i = maxChars; i > 0; i -= 1) {
        if (CLAUSE_BREAKS.test(rest[i - 1]!)) {
          cut = i;
          break;
        }
      }
    }
    if (cut <= 0) cut = safeCut(rest, maxChars);
    out.push(rest.slice(0, cut).trim());
    rest = rest.slice(cut).trim();
  }
  if (rest.length > 0) out.push(rest);
  return out;
}

function endsWithCjk(text: string): boolean {
  const last = text[text.length - 1] ?? '';
  return CJK_TERMINATORS.has(last) || /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}」』）】]/u.test(last);
}

/**
 * Request-sized parts: sentences packed greedily (joined by one space, or nothing after CJK text)
 * up to maxChars each; an over-long sentence becomes several parts.
 */
export function chunkText(text: string, maxChars: number): string[] {
  if (!Number.isInteger(maxChars) || maxChars < 2) throw new RangeError('maxChars must be an integer >= 2');
  const parts: string[] = [];
  let current = '';
  for (const sentence of splitSentences(text)) {
    const pieces = sentence.length > maxChars ? splitLongSentence(sentence, maxChars) : [sentence];
    for (const piece of pieces) {
      if (current.length === 0) {
        current = piece;
        continue;
      }
      const joiner = endsWithCjk(current) ? '' : ' ';
      if (current.length + joiner.length + piece.length <= maxChars) current += joiner + piece;
      else {
        parts.push(current);
        current = piece;
      }
    }
  }
  if (current.length > 0) parts.push(current);
  return parts;
}
