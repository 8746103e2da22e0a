// Microphone input: s16le mono PCM at a requested rate, recorded by arecord (Linux) or sox's
// `rec` (elsewhere) through node-record-lpcm16, wrapped so that its rough edges cannot hurt us:
// - a missing recorder would crash the process with an unhandled spawn 'error': we look the
//   program up on PATH first (clear AudioDeviceError with the fix), and still attach an 'error'
//   listener to the child synchronously, before the spawn error can be emitted;
// - it emits a string 'error' on the stream whenever the recorder exits non-zero, including
//   after our own stop(): a permanent listener keeps that from crashing, and it is ignored
//   after stop();
// - its default audioType is 'wav' (a header in the stream): we ask for 'raw'.
// It spawns with this process's environment, which is what a microphone should use.
import type { ChildProcess } from 'node:child_process';
import { createRequire } from 'node:module';
import type { Readable } from 'node:stream';
import { AudioDeviceError } from '../core/errors.js';
import { killChild, lastLine, trackChild, waitForExit, type ExitStatus } from './child-process.js';
import { findExecutable } from './find-executable.js';
import type { PcmSource } from './source.js';

export type RecorderName = 'arecord' | 'rec' | 'sox';

export interface MicrophoneOptions {
  /** Defaults to 16 kHz, what speech recognition wants. */
  sampleRateHertz?: number;
  /** Recorder program; defaults to arecord on Linux (rec if arecord is missing), rec elsewhere. */
  recorder?: RecorderName;
  /** ALSA device (arecord -D) or sox AUDIODEV. */
  device?: string;
}

export interface MicrophoneSource extends PcmSource {
  readonly recorder: RecorderName;
  /** Same as close(): stops the recorder; the iteration then ends. */
  stop(): void;
}

export const DEFAULT_MIC_RATE_HZ = 16_000;
/** How long we wait for the recorder to either deliver audio or fail before returning. */
const MIC_START_TIMEOUT_MS = 5_000;
/** After the recorder's output ends, how long it may take to exit. */
const MIC_EXIT_TIMEOUT_MS = 5_000;

interface Recording {
  process: ChildProcess;
  stream(): Readable;
  stop(): void;
}
interface RecordModule {
  record(options: Record<string, unknown>): Recording;
}

/**
 * Starts recording. Resolves once the recorder is delivering audio (or after a short grace
 * period); a missing recorder or an unusable microphone is an AudioDeviceError here.
 */
export async function openMicrophone(options: MicrophoneOptions = {}): Promise<MicrophoneSource> {
  const sampleRateHertz = options.sampleRateHertz ?? DEFAULT_MIC_RATE_HZ;
  const recorder = options.recorder ?? chooseRecorder();
  if (!findExecutable(recorder)) throw missingRecorder(recorder);

  const { record } = createRequire(import.meta.url)('node-record-lpcm16') as RecordModule;
  const recording = record({
    sampleRate: sampleRateHertz, // node-record-lpcm16's own option name
    channels: 1,
    audioType: 'raw',
    recorder,
    ...(options.device ? { device: options.device } : {}),
  });
  const child = recording.process;
  const stream = recording.stream();
  let stopped = false;
  let spawnError: Error | undefined;
  let stderr = '';
  // Attached in the same tick as the spawn: a spawn failure cannot go unhandled.
  child.on('error', (error) => {
    spawnError ??= error;
  });
  stream.on('error', () => undefined);
  // Its 'data' listener (debug logging only) would keep the stream flowing and drop audio emitted
  // before our iteration starts; without it the audio waits in the stream for us.
  stream.removeAllListeners('data');
  stream.pause();
  // And Node resumes (drains into nothing) a child's stdout that has no 'readable' listener when
  // the child exits, so a recorder that exits before we iterate would lose its last audio.
  stream.on('readable', () => undefined);
  child.stderr?.on('data', (text: Buffer | string) => {
    stderr = (stderr + text.toString()).slice(-2048);
  });
  const stderrClosed = new Promise<void>((resolve) => (child.stderr ? child.stderr.once('close', () => resolve()) : resolve()));
  trackChild(child);

  const stop = () => {
    if (stopped) return;
    stopped = true;
    void killChild(child);
  };
  const failure = (status: { code: number | null; signal: NodeJS.Signals | null }) =>
    new AudioDeviceError(
      `the microphone could not be recorded with ${recorder}: ${lastLine(stderr) || spawnError?.message || `exit code ${status.code ?? status.signal}`}`,
      { cause: spawnError, hint: micHint(recorder) },
    );

  const started = await awaitStart(child, stream, () => exitAndStderr(child, stderrClosed, MIC_START_TIMEOUT_MS));
  if (typeof started === 'object' && (started.spawnError || started.code !== 0)) {
    stop();
    throw started.spawnError && (started.spawnError as NodeJS.ErrnoException).code === 'ENOENT'
      ? missingRecorder(recorder)
      : failure(started);
  }

  async function* samples(): AsyncGenerator<Buffer> {
    let carry: Buffer | undefined;
    try {
      for await (const chunk of stream) {
        if (stopped) return;
        let data = chunk as Buffer;
        if (carry) data = Buffer.concat([carry, data]);
        const whole = data.length - (data.length % 2);
        carry = whole < data.length ? Buffer.from(data.subarray(whole)) : undefined;
        if (whole > 0) yield data.subarray(0, whole);
      }
      if (stopped) return;
      const status = await exitAndStderr(child, stderrClosed, MIC_EXIT_TIMEOUT_MS);
      if (!stopped && (status.spawnError || (status.code !== 0 && !status.timedOut))) throw failure(status);
    } catch (error) {
      // Errors after stop() are the recorder being killed: not a failure.
      if (stopped) return;
      throw error instanceof AudioDeviceError ? error : failure({ code: child.exitCode, signal: child.signalCode });
    } finally {
      stop();
    }
  }

  return {
    recorder,
    sampleRateHertz,
    channels: 1,
    close: stop,
    stop,
    [Symbol.asyncIterator]: () => samples(),
  };
}

/**
 * Waits until the recorder delivers audio, or its output ends without any and it has exited
 * (e.g. "audio open error": no microphone); resolves 'timeout' after MIC_START_TIMEOUT_MS.
 * Its exit alone decides nothing: a loaded machine can see the exit before the last output has
 * been read from the pipe, and that output may be audio.
 */
async function awaitStart(child: ChildProcess, stream: Readable, exited: () => Promise<ExitStatus>): Promise<'audio' | 'timeout' | ExitStatus> {
  let onReadable = () => undefined as void;
  // 'readable' with nothing buffered means the output has ended.
  const output = new Promise<'audio' | 'end'>((resolve) => {
    onReadable = () => resolve(stream.readableLength > 0 ? 'audio' : 'end');
    stream.on('readable', onReadable);
  });
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<'timeout'>((resolve) => {
    timer = setTimeout(() => resolve('timeout'), MIC_START_TIMEOUT_MS);
    timer.unref();
  });
  try {
    const first = await Promise.race([output, deadline, waitForExit(child, MIC_START_TIMEOUT_MS)]);
    if (first === 'audio' || first === 'timeout') return first;
    if (first !== 'end') {
      if (first.spawnError) return first;
      if (first.timedOut) return 'timeout';
      // Exited: what is still in the pipe decides.
      if (stream.readableLength > 0) return 'audio';
      const next = await Promise.race([output, deadline]);
      if (next !== 'end') return next;
    }
    const status = await exited();
    return status.timedOut ? 'timeout' : status;
  } finally {
    clearTimeout(timer);
    stream.off('readable', onReadable);
  }
}

/** The recorder's exit status once its stderr is read to the end too (the error message needs all of it). */
async function exitAndStderr(child: ChildProcess, stderrClosed: Promise<void>, timeoutMs: number): Promise<ExitStatus> {
  const status = await waitForExit(child, timeoutMs);
  // Bounded: a process the recorder left behind may hold stderr open.
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<void>((resolve) => {
    timer = setTimeout(resolve, timeoutMs);
    timer.unref();
  });
  await Promise.race([stderrClosed, late]);
  clearTimeout(timer);
  return status;
}

function chooseRecorder(): RecorderName {
  if (process.platform === 'linux' && (findExecutable('arecord') || !findExecutable('rec'))) return 'arecord';
  return 'rec';
}

function micHint(recorder: RecorderName): string {
  if (process.platform === 'darwin') {
    return 'Install sox (brew install sox) and allow your terminal to use the microphone in System Settings › Privacy & Security › Microphone';
  }
  return recorder === 'arecord'
    ? 'Check that a microphone is connected (arecord -l lists them), or transcribe a file instead'
    : 'Check that a microphone is connected, or transcribe a file instead';
}

function missingRecorder(recorder: RecorderName): AudioDeviceError {
  const install =
    process.platform === 'darwin'
      ? 'Install sox (brew install sox) and allow your terminal to use the microphone in System Settings › Privacy & Security › Microphone'
      : 'Install alsa-utils (arecord) or sox (rec), e.g. sudo apt-get install alsa-utils';
  return new AudioDeviceError(`no microphone recorder found (${recorder} is not installed)`, { hint: install });
}
