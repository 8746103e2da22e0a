// Plays s16le mono PCM on the speakers through the first player that can open a device (see
// players.ts for the order and why `speaker` runs in a child). The sink owns the child process:
// it is killed on abort/interrupt and on process exit, and end() waits for it to drain and exit.
import { type ChildProcess, spawn } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { unlink } from 'node:fs/promises';
import { AudioDeviceError } from '../core/errors.js';
import { FileSink } from './file-sink.js';
import { findExecutable } from './find-executable.js';
import { killChild, lastLine, stderrTail, trackChild, waitForExit } from './child-process.js';
import { type PlayerName, type PlayerSpec, PLAYERS, defaultPlayerOrder, resolveSpeakerPackage } from './players.js';
import type { AudioSink } from './sink.js';

/** How long a probe run or the `speaker` child's "device open" signal may take. */
export const PLAYER_START_TIMEOUT_MS = 10_000;
/** Slack on top of the audio still to be played when waiting for a player to drain. */
export const PLAYER_DRAIN_SLACK_MS = 10_000;
const BYTES_PER_SAMPLE = 2;
/** Silence fed to a player whose only probe is playing something (ffplay). */
const PROBE_SILENCE_MS = 50;

export interface SpeakerOptions {
  sampleRateHertz: number;
  /** Use only this player (the `--player` flag); fails if it cannot play. */
  player?: PlayerName;
  /** Order to try players in; defaults to the platform's order. */
  players?: readonly PlayerName[];
  /** Environment for the player (tests point ALSA at a file through it). */
  env?: NodeJS.ProcessEnv;
}

export interface SpeakerSink extends AudioSink {
  /** The player actually in use. */
  readonly player: PlayerName;
}

/**
 * Opens the speakers. Resolves once a player has shown it can open a device, so a machine without
 * audio fails here with one clear AudioDeviceError, before any audio is requested.
 */
export async function openSpeakers(options: SpeakerOptions): Promise<SpeakerSink> {
  const { sampleRateHertz } = options;
  if (!Number.isInteger(sampleRateHertz) || sampleRateHertz <= 0) throw new RangeError(`invalid sample rate ${sampleRateHertz}`);
  const env = options.env ?? process.env;
  const order = options.player ? [options.player] : (options.players ?? defaultPlayerOrder());
  const reasons: string[] = [];
  for (const name of order) {
    const spec = PLAYERS[name];
    const started = await startPlayer(spec, sampleRateHertz, env);
    if (typeof started !== 'string') return started;
    reasons.push(`${name}: ${started}`);
  }
  const cause = new Error(reasons.join('; '));
  if (options.player) {
    throw new AudioDeviceError(`audio player ${options.player} cannot play (${reasons[0]?.replace(/^[^:]+: /, '')})`, {
      cause,
      hint: 'Choose another --player, or write to a file with -o out.wav',
    });
  }
  throw new AudioDeviceError('no audio output device found', {
    cause,
    hint:
      process.platform === 'darwin'
        ? 'Write to a file with -o out.wav'
        : 'Write to a file with -o out.wav, or install alsa-utils or pulseaudio',
  });
}

/** Starts one player; returns the sink, or a short reason it cannot play here. */
async function startPlayer(spec: PlayerSpec, sampleRateHertz: number, env: NodeJS.ProcessEnv): Promise<SpeakerSink | string> {
  const program = spec.name === 'speaker' ? speakerProgram() : findExecutable(spec.program, env);
  if (!program) return 'not installed';
  if (spec.needsFile) return FilePlayerSink.open(spec, program, sampleRateHertz, env);

  const args = spec.args(sampleRateHertz);
  if (spec.probe === 'empty-input') {
    const reason = await probeRun(spec.name, program, args, env, Buffer.alloc(0));
    if (reason) return reason;
  }
  if (spec.probe === 'silence') {
    const silence = Buffer.alloc(Math.round((sampleRateHertz * PROBE_SILENCE_MS) / 1000) * BYTES_PER_SAMPLE);
    const reason = await probeRun(spec.name, program, args, env, silence);
    if (reason) return reason;
  }
  const child = spawn(program, args, {
    env,
    stdio: ['pipe', spec.probe === 'handshake' ? 'pipe' : 'ignore', 'pipe'],
  });
  trackChild(child);
  const stderr = stderrTail(child);
  if (spec.probe === 'handshake') {
    const ready = await waitForHandshake(child);
    if (!ready) {
      await killChild(child);
      const status = await waitForExit(child, 0);
      return describeFailure(status.code, status.signal, stderr());
    }
  }
  return new PlayerProcessSink(spec.name, child, stderr, sampleRateHertz);
}

function speakerProgram(): string | undefined {
  return resolveSpeakerPackage() ? process.execPath : undefined;
}

/**
 * Runs the player once on `input` and reports why it could not play, or undefined if it could.
 * aplay/paplay/pw-play open the device even for empty input and exit non-zero if they cannot.
 */
async function probeRun(
  player: PlayerName,
  program: string,
  args: string[],
  env: NodeJS.ProcessEnv,
  input: Buffer,
): Promise<string | undefined> {
  const probe = spawn(program, args, { env, stdio: [input.length > 0 ? 'pipe' : 'ignore', 'ignore', 'pipe'] });
  trackChild(probe);
  const stderr = stderrTail(probe);
  if (probe.stdin) {
    probe.stdin.on('error', () => undefined);
    probe.stdin.end(input);
  }
  const status = await waitForExit(probe, PLAYER_START_TIMEOUT_MS);
  if (status.timedOut) {
    await killChild(probe);
    return 'did not respond';
  }
  if (status.spawnError) return status.spawnError.message;
  if (status.code === 0 && !reportsFailure(player, stderr())) return undefined;
  return describeFailure(status.code, status.signal, stderr());
}

/** True once the child wrote its "device open" byte; false if it exited or timed out first. */
function waitForHandshake(child: ChildProcess): Promise<boolean> {
  return new Promise((resolve) => {
    const finish = (ready: boolean) => {
      clearTimeout(timer);
      child.stdout?.off('data', onData);
      child.off('exit', onExit);
      child.off('error', onExit);
      // Nothing else is read from stdout; keep it flowing so the child never blocks on it.
      child.stdout?.resume();
      resolve(ready);
    };
    const onData = () => finish(true);
    const onExit = () => finish(false);
    const timer = setTimeout(() => finish(false), PLAYER_START_TIMEOUT_MS);
    timer.unref();
    child.stdout?.once('data', onData);
    child.once('exit', onExit);
    child.once('error', onExit);
  });
}

function describeFailure(code: number | null, signal: NodeJS.Signals | null, stderr: string): string {
  // `speaker` with no ALSA device dies of an assertion (SIGABRT): say so plainly.
  if (signal === 'SIGABRT') return 'no ALSA device';
  const line = lastLine(stderr);
  const how = signal ? `killed by ${signal}` : `exit code ${code}`;
  return line ? `${line} (${how})` : how;
}

/** ffplay exits 0 even when it could not open an audio device; its stderr tells. */
function reportsFailure(player: PlayerName, stderr: string): boolean {
  return player === 'ffplay' && /audio open failed|failed to open|no available audio device/i.test(stderr);
}

class PlayerProcessSink implements SpeakerSink {
  readonly player: PlayerName;
  private readonly child: ChildProcess;
  private readonly stderr: () => string;
  private readonly bytesPerSecond: number;
  private readonly startedAtMs = Date.now();
  private bytesWritten = 0;
  private finished = false;
  private stdinError?: Error;
  private readonly exited: Promise<void>;

  constructor(player: PlayerName, child: ChildProcess, stderr: () => string, sampleRateHertz: number) {
    this.player = player;
    this.child = child;
    this.stderr = stderr;
    this.bytesPerSecond = sampleRateHertz * BYTES_PER_SAMPLE;
    // EPIPE when the player dies mid-stream arrives here; the exit status explains it.
    child.stdin?.on('error', (error) => {
      this.stdinError ??= error;
    });
    this.exited = new Promise((resolve) => {
      if (child.exitCode !== null || child.signalCode !== null) resolve();
      child.once('exit', () => resolve());
      child.once('error', (error) => {
        this.stdinError ??= error;
        resolve();
      });
    });
  }

  async write(chunk: Buffer): Promise<void> {
    if (this.finished) throw new Error('write to the speakers after playback was finished');
    if (this.hasExited() || this.stdinError) throw this.deathError();
    if (chunk.length === 0) return;
    this.bytesWritten += chunk.length;
    const stdin = this.child.stdin!;
    if (!stdin.write(chunk)) {
      let onDrain!: () => void;
      await Promise.race([new Promise<void>((resolve) => stdin.once('drain', (onDrain = resolve))), this.exited]);
      stdin.off('drain', onDrain);
    }
    if (this.hasExited() || this.stdinError) throw this.deathError();
  }

  async end(): Promise<void> {
    if (this.finished) return;
    this.finished = true;
    this.child.stdin?.end();
    const status = await waitForExit(this.child, this.drainTimeoutMs());
    if (status.timedOut) {
      await killChild(this.child);
      throw new AudioDeviceError(`audio player ${this.player} did not finish playing`);
    }
    if (status.code !== 0 || reportsFailure(this.player, this.stderr())) {
      throw new AudioDeviceError(`audio player ${this.player} failed: ${describeFailure(status.code, status.signal, this.stderr())}`);
    }
  }

  async interrupt(): Promise<void> {
    this.finished = true;
    await killChild(this.child);
  }

  async abort(_reason?: unknown): Promise<void> {
    this.finished = true;
    await killChild(this.child);
  }

  private hasExited(): boolean {
    return this.child.exitCode !== null || this.child.signalCode !== null;
  }

  /** The player cannot take longer than the audio not yet played, plus slack. */
  private drainTimeoutMs(): number {
    const audioMs = (this.bytesWritten / this.bytesPerSecond) * 1000;
    const elapsedMs = Date.now() - this.startedAtMs;
    return Math.max(0, audioMs - elapsedMs) + PLAYER_DRAIN_SLACK_MS;
  }

  private deathError(): AudioDeviceError {
    const status = describeFailure(this.child.exitCode, this.child.signalCode, this.stderr());
    return new AudioDeviceError(`audio player ${this.player} stopped during playback: ${status}`, {
      cause: this.stdinError,
    });
  }
}

/**
 * For players that only take a file (afplay on macOS): audio is collected into a temporary WAV
 * file (on disk, so memory stays flat) and played when the sink ends. Playback therefore starts
 * only once all audio has arrived.
 */
class FilePlayerSink implements SpeakerSink {
  readonly player: PlayerName;
  private child?: ChildProcess;
  private finished = false;

  private constructor(
    private readonly spec: PlayerSpec,
    private readonly program: string,
    private readonly file: FileSink,
    private readonly env: NodeJS.ProcessEnv,
    private readonly bytesPerSecond: number,
  ) {
    this.player = spec.name;
  }

  static async open(spec: PlayerSpec, program: string, sampleRateHertz: number, env: NodeJS.ProcessEnv): Promise<FilePlayerSink> {
    const path = join(tmpdir(), `inworld-play-${process.pid}-${randomBytes(4).toString('hex')}.wav`);
    const file = await FileSink.open(path, { wav: { sampleRateHertz, channels: 1, bitsPerSample: 16 } });
    return new FilePlayerSink(spec, program, file, env, sampleRateHertz * BYTES_PER_SAMPLE);
  }

  write(chunk: Buffer): Promise<void> {
    return this.file.write(chunk);
  }

  async end(): Promise<void> {
    if (this.finished) return;
    this.finished = true;
    const audioBytes = this.file.position();
    await this.file.end();
    try {
      const child = spawn(this.program, [...this.spec.args(0), this.file.path], { env: this.env, stdio: ['ignore', 'ignore', 'pipe'] });
      this.child = child;
      trackChild(child);
      const stderr = stderrTail(child);
      const status = await waitForExit(child, (audioBytes / this.bytesPerSecond) * 1000 + PLAYER_DRAIN_SLACK_MS);
      if (status.timedOut) {
        await killChild(child);
        throw new AudioDeviceError(`audio player ${this.player} did not finish playing`);
      }
      if (status.spawnError || status.code !== 0) {
        const reason = status.spawnError?.message ?? describeFailure(status.code, status.signal, stderr());
        throw new AudioDeviceError(`audio player ${this.player} failed: ${reason}`);
      }
    } finally {
      await unlink(this.file.path).catch(() => undefined);
    }
  }

  async interrupt(): Promise<void> {
    await this.abort();
  }

  async abort(_reason?: unknown): Promise<void> {
    this.finished = true;
    if (this.child) await killChild(this.child);
    await this.file.abort();
    await unlink(this.file.path).catch(() => undefined);
  }
}
