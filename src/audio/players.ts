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
  args(sampleRateHertz: number): string[];
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
 *
 * speaker 0.5.5 fails ("write() failed: 56") whenever a chunk is not a whole number of frames,
 * which chunks read from a pipe often are (ALSA writes only whole frames and the rest counts as a
 * short write); it also treats a legitimately short write as fatal. The child therefore replaces
 * its _write with one that carries an incomplete frame over to the next chunk and sends the rest
 * of a short write, giving up only if the device accepts nothing for many attempts in a row.
 */
const SPEAKER_CHILD_SCRIPT = `
const path = require('path');
const speakerPath = process.argv[1];
const Speaker = require(speakerPath);
const MAX_EMPTY_WRITES = 1000;
const bindingKey = Object.keys(require.cache).find(
  (key) => key.endsWith('.node') && key.startsWith(path.dirname(speakerPath) + path.sep),
);
const binding = bindingKey && require.cache[bindingKey].exports;
if (binding && typeof binding.write === 'function') {
  Speaker.prototype._write = function (chunk, _encoding, done) {
    if (this._closed) return done(new Error('write after close'));
    if (!this.audio_handle) {
      try { this._open(); } catch (error) { return done(error); }
    }
    const maxBytes = this.blockAlign * this.samplesPerFrame;
    let left = this.carry ? Buffer.concat([this.carry, chunk]) : chunk;
    const whole = left.length - (left.length % this.blockAlign);
    this.carry = whole < left.length ? Buffer.from(left.subarray(whole)) : undefined;
    left = left.subarray(0, whole);
    let emptyWrites = 0;
    const step = () => {
      if (this._closed || left.length === 0) return done();
      binding.write(this.audio_handle, left.subarray(0, maxBytes)).then((written) => {
        if (written > 0) {
          emptyWrites = 0;
          left = left.subarray(written);
        } else if (++emptyWrites > MAX_EMPTY_WRITES) {
          return done(new Error('the audio device stopped accepting data'));
        }
        step();
      }, done);
    };
    step();
  };
}
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
