// SRT and WebVTT subtitles from word timings (TTS timestamps, STT words) or, when there are no
// word timings, from turn timings. Words are grouped into cues that read well: at most two lines
// of about 42 characters, at most ~5 s on screen, a new cue after a sentence end or a long pause.
// Any timing list gives a valid file: times are clamped to be non-negative, cues never overlap
// and always end after they start, and an empty list gives an empty (valid) file.

export interface WordTiming {
  word: string;
  /** Seconds from the start of the audio. */
  start: number;
  end: number;
}

export interface TurnTiming {
  text: string;
  start: number;
  end: number;
}

export interface Cue {
  /** Milliseconds; end > start, and each cue starts at or after the previous one ends. */
  startMs: number;
  endMs: number;
  lines: string[];
}

export type CaptionFormat = 'srt' | 'vtt';

export interface CueOptions {
  maxLineChars?: number;
  maxLines?: number;
  maxCueSeconds?: number;
  /** A silence at least this long between words starts a new cue. */
  pauseBreakSeconds?: number;
}

export const CAPTION_MAX_LINE_CHARS = 42;
export const CAPTION_MAX_LINES = 2;
export const CAPTION_MAX_CUE_SECONDS = 5;
export const CAPTION_PAUSE_BREAK_SECONDS = 1;
/** Reading speed used to give a turn without usable times a duration. */
const FALLBACK_CHARS_PER_SECOND = 15;
const MIN_CUE_MS = 1;

const SENTENCE_END = /[.!?…。！？]["'”’)\]]*$/;
/** Tokens that attach to the previous word without a space. */
const CLOSING_PUNCTUATION = /^[,.;:!?%…)\]}”’»、。，！？]+$/;

export function captionFormatForPath(path: string): CaptionFormat | undefined {
  const lower = path.toLowerCase();
  if (lower.endsWith('.srt')) return 'srt';
  if (lower.endsWith('.vtt')) return 'vtt';
  return undefined;
}

/** Groups timed words into cues (see the file comment for the rules). */
export function cuesFromWords(words: readonly WordTiming[], options: CueOptions = {}): Cue[] {
  const maxLineChars = options.maxLineChars ?? CAPTION_MAX_LINE_CHARS;
  const maxLines = options.maxLines ?? CAPTION_MAX_LINES;
  const maxCueMs = (options.maxCueSeconds ?? CAPTION_MAX_CUE_SECONDS) * 1000;
  const pauseMs = (options.pauseBreakSeconds ?? CAPTION_PAUSE_BREAK_SECONDS) * 1000;

  const cues: Cue[] = [];
  let group: { text: string; startMs: number; endMs: number } | undefined;
  let lastEndMs = 0;
  let previousWord = '';

  const flush = () => {
    if (!group) return;
    const lines = wrapLines(group.text, maxLineChars, maxLines) ?? [group.text];
    cues.push({ startMs: group.startMs, endMs: group.endMs, lines });
    group = undefined;
  };

  for (const raw of words) {
    const word = cleanText(raw.word);
    if (!word) continue;
    // Clamp to a monotonic, non-negative timeline whatever the input says.
    const startMs = Math.max(toMs(raw.start, lastEndMs), lastEndMs);
    const endMs = Math.max(toMs(raw.end, startMs), startMs);
    if (group) {
      const attaches = CLOSING_PUNCTUATION.test(word);
      const text = attaches ? group.text + word : `${group.text} ${word}`;
      const breakHere =
        (!attaches && SENTENCE_END.test(previousWord)) ||
        startMs - group.endMs >= pauseMs ||
        (!attaches && endMs - group.startMs > maxCueMs) ||
        (!attaches && wrapLines(text, maxLineChars, maxLines) === undefined);
      if (!breakHere) {
        group.text = text;
        group.endMs = endMs;
        previousWord = word;
        lastEndMs = endMs;
        continue;
      }
      flush();
    }
    group = { text: word, startMs, endMs };
    previousWord = word;
    lastEndMs = endMs;
  }
  flush();
  return normalizeCues(cues);
}

/**
 * Cues from turn-level timings (transcripts without word timestamps): each turn's text is split
 * into cue-sized pieces whose times are shared out by character count. Cues never span turns.
 */
export function cuesFromTurns(turns: readonly TurnTiming[], options: CueOptions = {}): Cue[] {
  const words: WordTiming[] = [];
  let cursor = 0;
  const cues: Cue[] = [];
  for (const turn of turns) {
    const tokens = cleanText(turn.text).split(' ').filter(Boolean);
    if (tokens.length === 0) continue;
    const chars = tokens.reduce((sum, token) => sum + token.length + 1, 0);
    const start = Number.isFinite(turn.start) && turn.start >= cursor ? turn.start : cursor;
    const end = Number.isFinite(turn.end) && turn.end > start ? turn.end : start + chars / FALLBACK_CHARS_PER_SECOND;
    const secondsPerChar = (end - start) / chars;
    let at = start;
    words.length = 0;
    for (const token of tokens) {
      const duration = (token.length + 1) * secondsPerChar;
      words.push({ word: token, start: at, end: at + duration });
      at += duration;
    }
    // Interpolated words carry no real pauses; only length, duration and sentences split a turn.
    cues.push(...cuesFromWords(words, { ...options, pauseBreakSeconds: Number.POSITIVE_INFINITY }));
    cursor = end;
  }
  return normalizeCues(cues);
}

export function formatSrt(cues: readonly Cue[]): string {
  return cues
    .map((cue, index) => {
      const text = cue.lines.map((line) => line.replace(/-->/g, '->')).join('\n');
      return `${index + 1}\n${timestamp(cue.startMs, ',')} --> ${timestamp(cue.endMs, ',')}\n${text}\n`;
    })
    .join('\n');
}

export function formatVtt(cues: readonly Cue[]): string {
  const body = cues
    .map((cue) => `${timestamp(cue.startMs, '.')} --> ${timestamp(cue.endMs, '.')}\n${cue.lines.map(escapeVtt).join('\n')}\n`)
    .join('\n');
  return body ? `WEBVTT\n\n${body}` : 'WEBVTT\n';
}

/** SRT or VTT text for word timings. */
export function renderCaptions(format: CaptionFormat, words: readonly WordTiming[], options?: CueOptions): string {
  const cues = cuesFromWords(words, options);
  return format === 'vtt' ? formatVtt(cues) : formatSrt(cues);
}

/** SRT or VTT text for turn timings (no word timestamps). */
export function renderTurnCaptions(format: CaptionFormat, turns: readonly TurnTiming[], options?: CueOptions): string {
  const cues = cuesFromTurns(turns, options);
  return format === 'vtt' ? formatVtt(cues) : formatSrt(cues);
}

/**
 * Splits text into at most `maxLines` lines of at most `maxLineChars`, balancing two lines;
 * undefined if it does not fit. A single word longer than a line is allowed on its own.
 */
export function wrapLines(text: string, maxLineChars: number, maxLines: number): string[] | undefined {
  if (text.length <= maxLineChars) return [text];
  const words = text.split(' ');
  if (words.length === 1) return [text];
  if (maxLines < 2) return undefined;
  if (maxLines === 2) {
    // The split closest to the middle where both halves fit.
    let best: string[] | undefined;
    let bestDiff = Number.POSITIVE_INFINITY;
    for (let i = 1; i < words.length; i++) {
      const first = words.slice(0, i).join(' ');
      const second = words.slice(i).join(' ');
      if (first.length > maxLineChars || second.length > maxLineChars) continue;
      const diff = Math.abs(first.length - second.length);
      if (diff < bestDiff) {
        bestDiff = diff;
        best = [first, second];
      }
    }
    return best;
  }
  const lines: string[] = [];
  let line = '';
  for (const word of words) {
    if (!line) line = word;
    else if (line.length + 1 + word.length <= maxLineChars) line += ` ${word}`;
    else {
      lines.push(line);
      line = word;
    }
  }
  lines.push(line);
  return lines.length <= maxLines && lines.every((l) => l.length <= maxLineChars) ? lines : undefined;
}

/** Makes every cue end after it starts and start no earlier than the previous cue ends. */
function normalizeCues(cues: Cue[]): Cue[] {
  let previousEnd = 0;
  for (const cue of cues) {
    cue.startMs = Math.max(cue.startMs, previousEnd);
    cue.endMs = Math.max(cue.endMs, cue.startMs + MIN_CUE_MS);
    previousEnd = cue.endMs;
  }
  return cues;
}

function toMs(seconds: number, fallbackMs: number): number {
  return Number.isFinite(seconds) && seconds >= 0 ? Math.round(seconds * 1000) : fallbackMs;
}

/** One line of plain text: no line breaks (a blank line would end an SRT/VTT cue early). */
function cleanText(text: string): string {
  return String(text ?? '')
    .replace(/\s+/g, ' ')
    .trim();
}

function escapeVtt(line: string): string {
  return line.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

function timestamp(ms: number, separator: ',' | '.'): string {
  const total = Math.max(0, Math.round(ms));
  const hours = Math.floor(total / 3_600_000);
  const minutes = Math.floor(total / 60_000) % 60;
  const seconds = Math.floor(total / 1000) % 60;
  const millis = total % 1000;
  const pad = (value: number, width: number) => String(value).padStart(width, '0');
  return `${pad(hours, 2)}:${pad(minutes, 2)}:${pad(seconds, 2)}${separator}${pad(millis, 3)}`;
}
