// Caption and duration errors per encoding: runs `inworld stream` (40 sentences) and a multi-part
// `inworld say` (about 4.5 kB: three requests) against the emulator for every encoding, and reports
//  - the last subtitle cue's start against the same run written as WAV (the reference timeline);
//  - the same, corrected for the extra audio MP3 adds per request (encoder delay and padding):
//    the WAV cue plus (this file's duration − the WAV file's) × (requests − 1) / requests;
//  - the duration the CLI printed against ffprobe's duration of the file it wrote, and against
//    what ffmpeg decodes. A multi-part output is one joined stream, so the two agree unless the
//    join is wrong: ffprobe believes what the file states (FLAC's STREAMINFO totals, the last Ogg
//    granule position, an MP3's size over its bit rate), decoding counts the samples. (For Ogg
//    Opus ffprobe also counts the 6.5 ms pre-skip that decoders drop.)
// Usage: npm run build && node --import tsx bench/caption-drift.ts  (about a minute)
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** CAPTION_DRIFT_BIN runs another build (e.g. an older checkout) for a before/after comparison. */
const BIN = process.env.CAPTION_DRIFT_BIN ?? fileURLToPath(new URL('../bin/inworld.js', import.meta.url));
const ENCODINGS: Array<{ name: string; extension: string; probe: string[] }> = [
  { name: 'WAV', extension: 'wav', probe: [] },
  { name: 'MP3', extension: 'mp3', probe: [] },
  { name: 'OGG_OPUS', extension: 'ogg', probe: [] },
  { name: 'FLAC', extension: 'flac', probe: [] },
  { name: 'MULAW', extension: 'ulaw', probe: ['-f', 'mulaw', '-ar', '8000', '-ac', '1'] },
  { name: 'ALAW', extension: 'alaw', probe: ['-f', 'alaw', '-ar', '8000', '-ac', '1'] },
  { name: 'PCM', extension: 'pcm', probe: ['-f', 's16le', '-ar', '24000', '-ac', '1'] },
];

const env: Record<string, string> = { ...process.env, XDG_CONFIG_HOME: '/nonexistent-inworld-bench-config', INWORLD_EMULATOR_ENGINE: 'synthetic' } as Record<string, string>;
for (const key of Object.keys(env)) if (key.startsWith('INWORLD_') && key !== 'INWORLD_EMULATOR_ENGINE') delete env[key];

const sentences = (count: number) => Array.from({ length: count }, (_, i) => `Sentence number ${i + 1} of the drift check is right here.`).join(' ');
const STREAM_TEXT = sentences(40);
const SAY_TEXT = sentences(80); // about 4.6 kB: three requests of at most 2000 characters

interface Run {
  lastCueSeconds: number;
  printedSeconds: number | undefined;
  probedSeconds: number;
  decodedSeconds: number;
}

function lastCueStart(srt: string): number {
  const times = [...srt.matchAll(/(\d\d):(\d\d):(\d\d),(\d\d\d) -->/g)];
  const [, h, m, s, ms] = times[times.length - 1]!;
  return Number(h) * 3600 + Number(m) * 60 + Number(s) + Number(ms) / 1000;
}

function probe(file: string, args: string[]): number {
  const run = spawnSync('ffprobe', ['-v', 'error', ...args, '-show_entries', 'format=duration', '-of', 'csv=p=0', file]);
  return Number(run.stdout.toString().trim());
}

function decode(file: string, args: string[]): number {
  const run = spawnSync('ffmpeg', ['-v', 'quiet', ...args, '-i', file, '-f', 's16le', '-ac', '1', '-ar', '48000', '-'], { maxBuffer: 1 << 28 });
  return run.stdout.length / 2 / 48000;
}

function runOne(command: 'stream' | 'say', encoding: (typeof ENCODINGS)[number], dir: string): Run {
  const out = join(dir, `${command}.${encoding.extension}`);
  const srt = join(dir, `${command}-${encoding.name}.srt`);
  const args = command === 'stream' ? ['stream', '-o', out, '--subtitles', srt, '--timings', '--emulator'] : ['say', '-o', out, '--subtitles', srt, '--timings', '--emulator'];
  const run = spawnSync(process.execPath, [BIN, ...args], { input: command === 'stream' ? STREAM_TEXT : SAY_TEXT, env, maxBuffer: 1 << 26 });
  const stderr = run.stderr.toString();
  if (run.status !== 0) throw new Error(`${args.join(' ')} failed: ${stderr}`);
  // --timings prints the duration with two decimals (the "Wrote" line has one).
  const printed = /audio ([\d.]+) s, real-time factor/.exec(stderr);
  return { lastCueSeconds: lastCueStart(readFileSync(srt, 'utf8')), printedSeconds: printed ? Number(printed[1]) : undefined, probedSeconds: probe(out, encoding.probe), decodedSeconds: decode(out, encoding.probe) };
}

const dir = mkdtempSync(join(tmpdir(), 'inworld-caption-drift-'));
try {
  const lines = [
    '| command | encoding | last cue vs WAV | same, MP3 padding allowed for | printed duration | ffprobe | printed − ffprobe | ffmpeg decoded | printed − decoded |',
    '|---|---|---|---|---|---|---|---|---|',
  ];
  for (const command of ['stream', 'say'] as const) {
    let reference: number | undefined;
    let referenceSeconds = 0;
    const requests = command === 'stream' ? 40 : 3;
    for (const encoding of ENCODINGS) {
      if (command === 'stream' && encoding.name === 'FLAC') continue; // the WebSocket has no FLAC
      const run = runOne(command, encoding, dir);
      if (reference === undefined) {
        reference = run.lastCueSeconds;
        referenceSeconds = run.decodedSeconds;
      }
      const ms = (seconds: number) => `${(seconds * 1000).toFixed(0)} ms`;
      const extraBefore = ((run.decodedSeconds - referenceSeconds) * (requests - 1)) / requests;
      const printed = run.printedSeconds === undefined ? 'none' : `${run.printedSeconds.toFixed(1)} s`;
      const error = (truth: number) => (run.printedSeconds === undefined ? 'n/a' : ms(run.printedSeconds - truth));
      lines.push(
        `| ${command} | ${encoding.name} | ${ms(run.lastCueSeconds - reference)} | ${ms(run.lastCueSeconds - reference - extraBefore)} | ${printed} | ` +
          `${run.probedSeconds.toFixed(3)} s | ${error(run.probedSeconds)} | ${run.decodedSeconds.toFixed(3)} s | ${error(run.decodedSeconds)} |`,
      );
    }
  }
  console.log(lines.join('\n'));
} finally {
  rmSync(dir, { recursive: true, force: true });
}
