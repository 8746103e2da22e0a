// OpenAI's transcription `response_format`s from the turns of an Inworld streaming transcription:
// each final turn is one segment; words come from the STT word timestamps.
import { renderCaptions, renderTurnCaptions } from '../audio/captions.js';
import type { WordTimestamp } from '../stt/protocol.js';

export const TRANSCRIPT_FORMATS = ['json', 'text', 'srt', 'vtt', 'verbose_json'] as const;
export type TranscriptFormat = (typeof TRANSCRIPT_FORMATS)[number];

export interface TranscriptTurn {
  text: string;
  words: WordTimestamp[];
  startMs?: number;
  endMs?: number;
}

export interface Transcript {
  turns: TranscriptTurn[];
  /** Seconds of audio sent. */
  durationSeconds: number;
  /** The BCP-47 code asked for, e.g. en-US. */
  language: string;
}

export interface RenderedTranscript {
  contentType: string;
  body: string;
}

export function transcriptText(transcript: Transcript): string {
  return transcript.turns.map((turn) => turn.text.trim()).filter(Boolean).join(' ');
}

export function renderTranscript(transcript: Transcript, format: TranscriptFormat, granularities: ReadonlySet<string>): RenderedTranscript {
  const text = transcriptText(transcript);
  const usage = { type: 'duration', seconds: Math.ceil(transcript.durationSeconds) };
  switch (format) {
    case 'json':
      return json({ text, usage });
    case 'text':
      return { contentType: 'text/plain; charset=utf-8', body: `${text}\n` };
    case 'srt':
    case 'vtt':
      return { contentType: format === 'vtt' ? 'text/vtt; charset=utf-8' : 'application/x-subrip; charset=utf-8', body: captions(transcript, format) };
    case 'verbose_json': {
      const verbose: Record<string, unknown> = { task: 'transcribe', language: languageName(transcript.language), duration: transcript.durationSeconds, text };
      // OpenAI gives segments unless only words were asked for.
      if (granularities.has('segment') || !granularities.has('word')) verbose.segments = segments(transcript);
      if (granularities.has('word')) verbose.words = transcript.turns.flatMap((turn) => turn.words.map((word) => ({ word: word.word, start: word.startMs / 1000, end: word.endMs / 1000 })));
      verbose.usage = usage;
      return json(verbose);
    }
  }
}

function json(value: unknown): RenderedTranscript {
  return { contentType: 'application/json', body: JSON.stringify(value) };
}

function turnBounds(turn: TranscriptTurn): { start: number; end: number } {
  const startMs = turn.startMs ?? turn.words[0]?.startMs ?? 0;
  const endMs = turn.endMs ?? turn.words.at(-1)?.endMs ?? startMs;
  return { start: startMs / 1000, end: endMs / 1000 };
}

/** Whisper's segment fields; the ones Inworld has no counterpart for carry neutral values. */
function segments(transcript: Transcript) {
  return transcript.turns
    .filter((turn) => turn.text.trim() !== '')
    .map((turn, id) => {
      const { start, end } = turnBounds(turn);
      return { id, seek: 0, start, end, text: turn.text.trim(), tokens: [], temperature: 0, avg_logprob: 0, compression_ratio: 1, no_speech_prob: 0 };
    });
}

function captions(transcript: Transcript, format: 'srt' | 'vtt'): string {
  const words = transcript.turns.flatMap((turn) => turn.words.map((word) => ({ word: word.word, start: word.startMs / 1000, end: word.endMs / 1000 })));
  if (words.length > 0) return renderCaptions(format, words);
  return renderTurnCaptions(format, transcript.turns.map((turn) => ({ text: turn.text, ...turnBounds(turn) })));
}

/** Whisper names the language in English, lower case ("english"). */
function languageName(code: string): string {
  try {
    return (new Intl.DisplayNames(['en'], { type: 'language' }).of(code.split('-')[0]!) ?? code).toLowerCase();
  } catch {
    return code;
  }
}
