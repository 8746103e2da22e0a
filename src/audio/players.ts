// The programs that can play s16le mono PCM, in the order we try them, and how to start each.
import { createRequire } from 'node:module';

export const PLAYER_NAMES = ['speaker', 'aplay', 'paplay', 'pw-play', 'ffplay', 'afplay'] as const;
export type PlayerName = (typeof PLAYER_NAMES)[number];

export function isPlayerName(value: string): value is PlayerName {
  return (PLAYER_NAMES as readonly string[]).includes(value);
}

export interface PlayerSpec {
  readonly name: PlayerName;
  /** Program to look up on PATH (`speaker` runs in a Node child: process.execPath). */
  readonly program: string;
  args(sampleRate: number): string[];
  /**
   * How we learn, before sending audio, that the player can open a device:
   * - `handshake`: the child writes one byte on stdout once the device is open;
   * - `empty-input`: a run with empty input exits 0 only if the device opens (aplay, paplay, pw-play);
   * - `silence`: play a moment of silence and read stderr (ffplay exits 0 even when it cannot
   *   open audio, and with empty input it fails even when it could);
   * - `none`: no probe (afplay, which plays a finished file): judged by its exit.
   */
  readonly probe: 'handshake' | 'empty-input' | 'silence' | 'none';
  /** afplay cannot read a pipe: it is given a finished WAV file instead. */
  readonly needsFile: boolean;
}

/**
 * Runs the `speaker` addon in a child process, because loading it with no ALSA device aborts the
 * whole process (SIGABRT, no way to catch it). The child opens the device with an empty write,
 * signals "R" on stdout, then plays stdin; the parent falls back to the next player if the child
 * dies before the signal. argv: [speaker package path, sample rate].
 */
const SPEAKER_CHILD_SCRIPT = `
const Speaker = require(process.argv[1]);
const speaker = new Speaker({ channels: 1, bitDepth: 16, signed: true, sampleRate: Number(process.argv[2]) });
speaker.on('error', (error) => {
  process.stderr.write('speaker: ' + ((error && error.message) || error) + '\\n');
  process.exit(1);
});
speaker.once('open', () => process.stdout.write('R'));
speaker.on('close', () => process.exit(0));
process.stdin.on('error', () => process.exit(1));
speaker.write(Buffer.alloc(0));
process.stdin.pipe(speaker);
`;

/** Absolute path of the optional `speaker` package, resolved here so the child needs no lookup. */
export function resolveSpeakerPackage(): string | undefined {
  try {
    return createRequire(import.meta.url).resolve('speaker');
  } catch {
    return undefined;
  }
}

export const PLAYERS: Readonly<Record<PlayerName, PlayerSpec>> = {
  speaker: {
    name: 'speaker',
    program: process.execPath,
    args: (rate) => ['-e', SPEAKER_CHILD_SCRIPT, resolveSpeakerPackage() ?? 'speaker', String(rate)],
    probe: 'handshake',
    needsFile: false,
  },
  aplay: {
    name: 'aplay',
    program: 'aplay',
    args: (rate) => ['-q', '-t', 'raw', '-f', 'S16_LE', '-r', String(rate), '-c', '1', '-'],
    probe: 'empty-input',
    needsFile: false,
  },
  paplay: {
    name: 'paplay',
    program: 'paplay',
    args: (rate) => ['--raw', '--format=s16le', `--rate=${rate}`, '--channels=1'],
    probe: 'empty-input',
    needsFile: false,
  },
  'pw-play': {
    name: 'pw-play',
    program: 'pw-play',
    args: (rate) => ['--format', 's16', '--rate', String(rate), '--channels', '1', '-'],
    probe: 'empty-input',
    needsFile: false,
  },
  ffplay: {
    name: 'ffplay',
    program: 'ffplay',
    args: (rate) => ['-nodisp', '-autoexit', '-loglevel', 'error', '-f', 's16le', '-ar', String(rate), '-ac', '1', '-i', '-'],
    probe: 'silence',
    needsFile: false,
  },
  afplay: {
    name: 'afplay',
    program: 'afplay',
    args: () => [],
    probe: 'none',
    needsFile: true,
  },
};

/** The order to try players on this platform. */
export function defaultPlayerOrder(platform: NodeJS.Platform = process.platform): PlayerName[] {
  if (platform === 'darwin') return ['speaker', 'afplay', 'ffplay'];
  if (platform === 'win32') return ['speaker', 'ffplay'];
  return ['speaker', 'aplay', 'paplay', 'pw-play', 'ffplay'];
}
