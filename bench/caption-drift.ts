// Caption and duration errors per encoding: runs `inworld stream` (40 sentences) and a multi-part
// `inworld say` (about 4.5 kB: three requests) against the emulator for every encoding, and reports
//  - the last subtitle cue's start against the same run written as WAV (the reference timeline);
//  - the duration the CLI printed against ffprobe's duration of the file it wrote.
// Usage: npm run build && node --import tsx bench/caption-drift.ts
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const BIN = fileURLToPath(new URL('../bin/inworld.js', import.meta.url));
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

function runOne(command: 'stream' | 'say', encoding: (typeof ENCODINGS)[number], dir: string): Run {
  const out = join(dir, `${command}.${encoding.extension}`);
  const srt = join(dir, `${command}-${encoding.name}.srt`);
  const args = command === 'stream' ? ['stream', '-o', out, '--subtitles', srt, '--emulator'] : ['say', '-o', out, '--subtitles', srt, '--emulator'];
  const run = spawnSync(process.execPath, [BIN, ...args], { input: command === 'stream' ? STREAM_TEXT : SAY_TEXT, env, maxBuffer: 1 << 26 });
  const stderr = run.stderr.toString();
  if (run.status !== 0) throw new Error(`${args.join(' ')} failed: ${stderr}`);
  const printed = /([\d.]+) s of audio/.exec(stderr);
  return { lastCueSeconds: lastCueStart(readFileSync(srt, 'utf8')), printedSeconds: printed ? Number(printed[1]) : undefined, probedSeconds: probe(out, encoding.probe) };
}

const dir = mkdtempSync(join(tmpdir(), 'inworld-caption-drift-'));
try {
  const lines = ['| command | encoding | last cue vs WAV | printed duration | ffprobe duration | printed − ffprobe |', '|---|---|---|---|---|---|'];
  for (const command of ['stream', 'say'] as const) {
    let reference: number | undefined;
    for (const encoding of ENCODINGS) {
      if (command === 'stream' && encoding.name === 'FLAC') continue; // the WebSocket has no FLAC
      const run = runOne(command, encoding, dir);
      reference ??= run.lastCueSeconds;
      const cue = `${((run.lastCueSeconds - reference) * 1000).toFixed(0)} ms`;
      const printed = run.printedSeconds === undefined ? 'none' : `${run.printedSeconds.toFixed(1)} s`;
      const error = run.printedSeconds === undefined ? 'n/a' : `${((run.printedSeconds - run.probedSeconds) * 1000).toFixed(0)} ms`;
      lines.push(`| ${command} | ${encoding.name} | ${cue} | ${printed} | ${run.probedSeconds.toFixed(3)} s | ${error} |`);
    }
  }
  console.log(lines.join('\n'));
} finally {
  rmSync(dir, { recursive: true, force: true });
}
