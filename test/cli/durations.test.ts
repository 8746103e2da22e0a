// Captions and printed durations follow the audio actually written, for every encoding: the last
// subtitle cue of `stream` (one request per sentence) and of a multi-part `say` sits where the
// same run written as WAV puts it, and the duration printed matches what ffprobe measures.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { cleanEnv, runCli } from '../helpers/cli.js';
import { needs } from '../helpers/needs.js';

const TOLERANCE_SECONDS = 0.05;

interface Encoding {
  name: string;
  extension: string;
  /** ffprobe input options for headerless formats. */
  raw?: string[];
}
const ENCODINGS: Encoding[] = [
  { name: 'WAV', extension: 'wav' },
  { name: 'MP3', extension: 'mp3' },
  { name: 'OGG_OPUS', extension: 'ogg' },
  { name: 'FLAC', extension: 'flac' },
  { name: 'MULAW', extension: 'ulaw', raw: ['-f', 'mulaw', '-ar', '8000', '-ac', '1'] },
  { name: 'ALAW', extension: 'alaw', raw: ['-f', 'alaw', '-ar', '8000', '-ac', '1'] },
  { name: 'PCM', extension: 'pcm', raw: ['-f', 's16le', '-ar', '24000', '-ac', '1'] },
];

/** Three sentences: three generations on the WebSocket. */
const STREAM_TEXT = 'The first sentence is here. A second sentence follows it. The third one ends the text.';
/** Over one request's 2000 characters (about 2240): `say` sends it as two parts. */
const SAY_TEXT = Array.from({ length: 44 }, (_, i) => `Sentence ${i + 1} of the long text is spoken right here.`).join(' ');
const SAY_PARTS = 2;
const dir = mkdtempSync(join(tmpdir(), 'inworld-durations-'));

interface Run {
  file: string;
  lastCueStart: number;
  /** The duration the CLI reported in its JSON summary. */
  seconds: number;
}

async function run(command: 'say' | 'stream', encoding: Encoding): Promise<Run> {
  const file = join(dir, `${command}.${encoding.extension}`);
  const srt = join(dir, `${command}-${encoding.name}.srt`);
  const result = await runCli([command, '-o', file, '--subtitles', srt, '--json', '--emulator'], {
    env: cleanEnv(),
    input: command === 'say' ? SAY_TEXT : STREAM_TEXT,
    timeoutMs: 60_000,
  });
  assert.equal(result.code, 0, result.stderr);
  const jsonLines = (command === 'say' ? result.stdout.toString() : result.stderr).split('\n').filter((line) => line.startsWith('{'));
  const done = jsonLines.map((line) => JSON.parse(line) as Record<string, unknown>).find((event) => event.type === 'done');
  assert.ok(done, `a done summary in ${jsonLines.join('\n')}`);
  if (command === 'say') assert.equal(done.parts, SAY_PARTS, 'the text went out in several requests');
  const cues = [...readFileSync(srt, 'utf8').matchAll(/(\d\d):(\d\d):(\d\d),(\d\d\d) -->/g)];
  const [, h, m, s, ms] = cues.at(-1)!;
  return { file, lastCueStart: Number(h) * 3600 + Number(m) * 60 + Number(s) + Number(ms) / 1000, seconds: Number(done.seconds) };
}

function probeSeconds(file: string, encoding: Encoding): number {
  const probe = spawnSync('ffprobe', ['-v', 'error', ...(encoding.raw ?? []), '-show_entries', 'format=duration', '-of', 'csv=p=0', file]);
  return Number(probe.stdout.toString().trim());
}

/** What ffmpeg reports decoding the whole file (nothing for a valid one), and how long it is. */
function decode(file: string): { errors: string; seconds: number } {
  const run = spawnSync('ffmpeg', ['-v', 'error', '-i', file, '-f', 's16le', '-ac', '1', '-ar', '48000', '-'], { maxBuffer: 1 << 28 });
  return { errors: run.stderr.toString().trim(), seconds: run.stdout.length / 2 / 48000 };
}

function near(actual: number, expected: number, what: string): void {
  assert.ok(Math.abs(actual - expected) <= TOLERANCE_SECONDS, `${what}: ${actual.toFixed(3)} s, expected ${expected.toFixed(3)} s (±${TOLERANCE_SECONDS * 1000} ms)`);
}

for (const command of ['stream', 'say'] as const) {
  test(`${command}: the last cue and the printed duration are true for every encoding`, { skip: needs('ffprobe', 'ffmpeg'), timeout: 240_000 }, async () => {
    const reference = await run(command, ENCODINGS[0]!);
    const referenceSeconds = probeSeconds(reference.file, ENCODINGS[0]!);
    near(reference.seconds, referenceSeconds, `${command} WAV: printed duration vs ffprobe`);
    const requests = command === 'stream' ? 3 : SAY_PARTS;
    for (const encoding of ENCODINGS.slice(1)) {
      if (command === 'stream' && encoding.name === 'FLAC') continue; // the WebSocket has no FLAC
      const result = await run(command, encoding);
      // Parts joined into one stream: ffprobe reads the whole file, not its first part.
      const trueSeconds = probeSeconds(result.file, encoding);
      near(result.seconds, trueSeconds, `${command} ${encoding.name}: printed duration vs ffprobe`);
      // Each MP3 request adds its own encoder delay and frame padding: the last sentence starts
      // later by the extra audio of the requests before it (the extra spread evenly is within a frame).
      const extraBefore = ((trueSeconds - referenceSeconds) * (requests - 1)) / requests;
      near(result.lastCueStart, reference.lastCueStart + extraBefore, `${command} ${encoding.name}: last cue vs the WAV run`);
    }
  });
}

test('the human summary gives the true duration for compressed audio too', { skip: needs('ffprobe') }, async () => {
  const mp3 = ENCODINGS.find((encoding) => encoding.name === 'MP3')!;
  for (const command of ['say', 'stream'] as const) {
    const file = join(dir, `human-${command}.mp3`);
    const result = await runCli([command, ...(command === 'say' ? ['hi'] : []), '-o', file, '--emulator'], { env: cleanEnv(), input: 'Hi there.' });
    assert.equal(result.code, 0, result.stderr);
    const printed = /\(([^)]*?)([\d.]+) s of audio\)/.exec(result.stderr);
    assert.ok(printed, `a duration in: ${result.stderr}`);
    assert.equal(Number(printed[2]), Number(probeSeconds(file, mp3).toFixed(1)), result.stderr);
  }
});

test('say: a multi-part FLAC, Ogg Opus or MP3 file is one stream ffmpeg decodes whole, without an error', { skip: needs('ffmpeg', 'ffprobe'), timeout: 240_000 }, async () => {
  const wav = await run('say', ENCODINGS[0]!);
  const wavSeconds = probeSeconds(wav.file, ENCODINGS[0]!);
  for (const name of ['FLAC', 'OGG_OPUS', 'MP3']) {
    const encoding = ENCODINGS.find((candidate) => candidate.name === name)!;
    const result = await run('say', encoding);
    const decoded = decode(result.file);
    assert.equal(decoded.errors, '', `${name}: ffmpeg -v error`);
    near(probeSeconds(result.file, encoding), result.seconds, `${name}: ffprobe vs printed`);
    near(decoded.seconds, result.seconds, `${name}: decoded vs printed`);
    // FLAC is lossless: every sample of the WAV run, none dropped at the join.
    if (name === 'FLAC') assert.equal(decoded.seconds, wavSeconds);
  }
  // On standard output STREAMINFO keeps "unknown" totals (nothing can be patched): still one stream.
  const piped = await runCli(['say', '-o', '-', '--encoding', 'FLAC', '--emulator'], { env: cleanEnv(), input: SAY_TEXT, timeoutMs: 60_000 });
  assert.equal(piped.code, 0, piped.stderr);
  const file = join(dir, 'piped.flac');
  writeFileSync(file, piped.stdout);
  const decoded = decode(file);
  assert.equal(decoded.errors, '', 'piped FLAC: ffmpeg -v error');
  assert.equal(decoded.seconds, wavSeconds, 'piped FLAC: every sample');
});
