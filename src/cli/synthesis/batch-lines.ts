// The lines of a `say --batch` file: plain text, or JSON Lines with per-line voice and options.
// `checkBatchFile` reads the whole file once, line by line (memory stays flat however long it
// is), before any request, so a bad line is a usage error naming its line and column instead of
// a failure found halfway through the run.
import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import { ValidationError } from '../../core/errors.js';
import { checkMarkup } from '../../tts/markup.js';
import type { TtsStreamSynthesisOptions } from '../../tts/ws-options.js';

export interface BatchItem {
  line: number;
  text: string;
  name?: string;
  options: TtsStreamSynthesisOptions;
}

/** Checks the merged options of a line; throws a ValidationError (the library's own checks). */
export type OptionsCheck = (options: TtsStreamSynthesisOptions) => void;

const JSON_OPTION_KEYS: Record<string, (options: TtsStreamSynthesisOptions, value: unknown, key: string) => void> = {
  // A line's voice replaces a --voice-design default, and its voice design a --voice default.
  voice: (o, v, k) => setVoice(o, asString(v, k)),
  voiceId: (o, v, k) => setVoice(o, asString(v, k)),
  voiceDesign: (o, v, k) => setVoiceDesign(o, asDesignPrompt(v, k)),
  seed: (o, v, k) => (o.seed = asInteger(v, k)),
  model: (o, v, k) => (o.modelId = asString(v, k)),
  modelId: (o, v, k) => (o.modelId = asString(v, k)),
  language: (o, v, k) => (o.language = asString(v, k)),
  temperature: (o, v, k) => (o.temperature = asNumber(v, k)),
  speakingRate: (o, v, k) => (o.audioConfig = { ...o.audioConfig, speakingRate: asNumber(v, k) }),
  deliveryMode: (o, v, k) => (o.deliveryMode = asString(v, k) as TtsStreamSynthesisOptions['deliveryMode']),
};
const KNOWN_KEYS = ['text', 'name', ...Object.keys(JSON_OPTION_KEYS)];

/** The output name a line gets without a "name": its line number, at least 4 digits. */
export function defaultLineName(line: number): string {
  return String(line).padStart(4, '0');
}

/** A problem at a place in the batch file: "lines.jsonl, line 3, column 8: …". */
function lineError(where: { file?: string; line: number; column?: number }, problem: string): ValidationError {
  const column = where.column !== undefined ? `, column ${where.column}` : '';
  const file = where.file !== undefined ? `${where.file}, ` : 'Batch file ';
  return new ValidationError(`${file}line ${where.line}${column}: ${problem}`);
}

/**
 * One non-blank line as an item. Throws a ValidationError naming the line (and, for JSON, the
 * column of the fault or of the bad field); `check` validates a JSON line's options.
 */
export function parseBatchLine(value: string, line: number, defaults: TtsStreamSynthesisOptions, check?: OptionsCheck, file?: string): BatchItem {
  const trimmed = value.trim();
  if (value.includes('\0')) throw lineError({ file, line, column: value.indexOf('\0') + 1 }, 'the line looks binary (it contains a NUL byte); give plain UTF-8 text.');
  if (!trimmed.startsWith('{')) return { line, text: trimmed, options: defaults };
  let json: unknown;
  try {
    json = JSON.parse(trimmed);
  } catch (error) {
    const lead = value.length - value.trimStart().length;
    const { offset, reason } = jsonFault(trimmed, (error as Error).message);
    throw lineError({ file, line, column: columnAt(value, lead + offset) }, `the line starts with "{" but is not valid JSON: ${reason}.`);
  }
  const record = json as Record<string, unknown>;
  const at = (key: string) => ({ file, line, column: keyColumn(value, key) });
  for (const key of Object.keys(record)) {
    if (!KNOWN_KEYS.includes(key)) throw lineError(at(key), `unknown field "${key}"; a JSON line may have ${KNOWN_KEYS.map((k) => `"${k}"`).join(', ')}.`);
  }
  if (typeof record.text !== 'string' || record.text.trim() === '') throw lineError(at('text'), 'a JSON line needs a non-empty "text".');
  const options: TtsStreamSynthesisOptions = { ...defaults, audioConfig: { ...defaults.audioConfig } };
  const given = Object.keys(JSON_OPTION_KEYS).filter((key) => record[key] !== undefined);
  const voiceKey = given.find((key) => key === 'voice' || key === 'voiceId');
  if (voiceKey && given.includes('voiceDesign')) {
    throw lineError(at('voiceDesign'), `a line takes "${voiceKey}" or "voiceDesign", not both; drop one of them.`);
  }
  for (const key of given) {
    try {
      JSON_OPTION_KEYS[key]!(options, record[key], key);
    } catch (error) {
      throw lineError(at(key), (error as Error).message);
    }
  }
  if (check && given.length > 0) checkFields(options, defaults, given, record, check, at);
  let name: string | undefined;
  if (record.name !== undefined) {
    if (typeof record.name !== 'string' || !/^[\w.-]+$/.test(record.name) || record.name.startsWith('.')) {
      throw lineError(at('name'), '"name" may hold only letters, digits, ".", "-" and "_", and not start with ".".');
    }
    name = record.name;
  }
  return { line, text: record.text, name, options };
}

/** Runs the check; when it fails, finds the first field that makes it fail and names that field. */
function checkFields(
  options: TtsStreamSynthesisOptions,
  defaults: TtsStreamSynthesisOptions,
  given: string[],
  record: Record<string, unknown>,
  check: OptionsCheck,
  at: (key: string) => { file?: string; line: number; column?: number },
): void {
  try {
    check(options);
    return;
  } catch {
    // Find the culprit below: the options were valid before the first field that breaks them.
  }
  const partial: TtsStreamSynthesisOptions = { ...defaults, audioConfig: { ...defaults.audioConfig } };
  for (const key of given) {
    JSON_OPTION_KEYS[key]!(partial, record[key], key);
    try {
      check(partial);
    } catch (error) {
      // The library's message names the CLI flag to fix; here the fix is this field of this line.
      const message = (error as Error).message.replace(/;\s*(?:fix|use|drop|pass) [^;]*$/, '.').replace(/\.\.$/, '.');
      throw lineError(at(key), `"${key}": ${message}`);
    }
  }
  check(options);
}

/** Where JSON.parse stopped (an offset into `text`) and why, without the echo of the whole text. */
function jsonFault(text: string, message: string): { offset: number; reason: string } {
  const reason = message
    .replace(/\s*\(line \d+ column \d+\)/, '')
    .replace(/ in JSON at position \d+/, '')
    .replace(/, (?:\.\.\.)?".*" is not valid JSON$/s, '')
    .replace(/\.$/, '');
  const position = /at position (\d+)/.exec(message);
  if (position) return { offset: Number(position[1]), reason };
  if (/end of JSON input/.test(message)) return { offset: text.length, reason };
  // Older messages give no position: the fault is where the longest valid prefix ends.
  for (let end = 1; end <= text.length; end += 1) {
    try {
      JSON.parse(text.slice(0, end));
    } catch (error) {
      const found = /at position (\d+)/.exec((error as Error).message);
      if (/end of JSON input/.test((error as Error).message) || (found && Number(found[1]) >= end)) continue;
      return { offset: end - 1, reason };
    }
  }
  return { offset: text.length, reason };
}

/** 1-based column of a UTF-16 offset, counted in characters as editors count them. */
function columnAt(value: string, offset: number): number {
  return Array.from(value.slice(0, offset)).length + 1;
}

function keyColumn(value: string, key: string): number | undefined {
  const index = value.indexOf(`"${key}"`);
  return index < 0 ? undefined : columnAt(value, index);
}

function asString(value: unknown, key: string): string {
  if (typeof value !== 'string' || value === '') throw new ValidationError(`"${key}" must be a non-empty string, not ${JSON.stringify(value)}.`);
  return value;
}

function setVoice(options: TtsStreamSynthesisOptions, voiceId: string): void {
  options.voiceId = voiceId;
  delete options.voiceDesign;
}

function setVoiceDesign(options: TtsStreamSynthesisOptions, designPrompt: string): void {
  options.voiceDesign = { designPrompt };
  delete options.voiceId;
}

/** "voiceDesign": the description, as a string or as the wire's {"designPrompt": …}. */
function asDesignPrompt(value: unknown, key: string): string {
  const prompt = value !== null && typeof value === 'object' ? (value as { designPrompt?: unknown }).designPrompt : value;
  if (typeof prompt !== 'string' || prompt.trim() === '') {
    throw new ValidationError(`"${key}" must be a description of the voice (a string, or {"designPrompt": "…"}), not ${JSON.stringify(value)}.`);
  }
  return prompt;
}

function asInteger(value: unknown, key: string): number {
  if (typeof value !== 'number' || !Number.isInteger(value)) throw new ValidationError(`"${key}" must be a whole number, not ${JSON.stringify(value)}.`);
  return value;
}

function asNumber(value: unknown, key: string): number {
  if (typeof value !== 'number' || !Number.isFinite(value)) throw new ValidationError(`"${key}" must be a number, not ${JSON.stringify(value)}.`);
  return value;
}

/** One bit per line number: which lines use their default name (a file of n lines costs n/8 bytes). */
class LineSet {
  private bits = new Uint8Array(1024);
  add(line: number): void {
    if (line >> 3 >= this.bits.length) {
      const grown = new Uint8Array(Math.max(this.bits.length * 2, (line >> 3) + 1));
      grown.set(this.bits);
      this.bits = grown;
    }
    this.bits[line >> 3]! |= 1 << (line & 7);
  }
  has(line: number): boolean {
    return line >> 3 < this.bits.length && (this.bits[line >> 3]! & (1 << (line & 7))) !== 0;
  }
}

/** Most batch files repeat a few voice and option sets: each set is checked once (up to a bound). */
function rememberValid(check: OptionsCheck, limit = 1000): OptionsCheck {
  const valid = new Set<string>();
  return (options) => {
    const key = JSON.stringify(options);
    if (valid.has(key)) return;
    check(options);
    if (valid.size < limit) valid.add(key);
  };
}

/** The line a default name belongs to ("0007" is line 7's), if the name has that shape. */
function lineOfDefaultName(name: string): number | undefined {
  if (!/^\d{4,}$/.test(name) || (name.length > 4 && name.startsWith('0'))) return undefined;
  const line = Number(name);
  return line > 0 && defaultLineName(line) === name ? line : undefined;
}

/**
 * Reads the batch file once, line by line, and checks every line before any request: JSON, fields
 * and their values (`check`), names (valid, and no two lines writing the same file). Returns the
 * number of lines to synthesize; a file with none is "nothing to speak".
 */
export async function checkBatchFile(file: string, defaults: TtsStreamSynthesisOptions, check: OptionsCheck): Promise<number> {
  const lines = createInterface({ input: createReadStream(file, { encoding: 'utf8' }), crlfDelay: Number.POSITIVE_INFINITY });
  const named = new Map<string, number>();
  const unnamed = new LineSet();
  const cachedCheck = rememberValid(check);
  let line = 0;
  let items = 0;
  try {
    for await (const value of lines) {
      line += 1;
      if (value.trim() === '') continue;
      const item = parseBatchLine(value, line, defaults, cachedCheck, file);
      try {
        checkMarkup(item.text, { subject: 'its text' });
      } catch (error) {
        throw lineError({ file, line }, (error as Error).message);
      }
      items += 1;
      if (item.name === undefined) {
        const clash = named.get(defaultLineName(line));
        if (clash !== undefined) throw lineError({ file, line }, `its file name ${defaultLineName(line)} is also the "name" of line ${clash}; rename one.`);
        unnamed.add(line);
        continue;
      }
      const earlier = named.get(item.name);
      if (earlier !== undefined) throw lineError({ file, line }, `"name" ${item.name} is also the name of line ${earlier}; each line needs its own.`);
      const owner = lineOfDefaultName(item.name);
      if (owner !== undefined && unnamed.has(owner)) throw lineError({ file, line }, `"name" ${item.name} is the file name line ${owner} already gets; rename it.`);
      named.set(item.name, line);
    }
  } finally {
    lines.close();
  }
  return items;
}
