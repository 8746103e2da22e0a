// Ctrl-C and SIGTERM abort the running command through one AbortSignal, so every stream can stop
// cleanly (finish WAV headers, kill child processes); a second signal exits at once.
import { type InworldError, UserAbortError } from '../core/errors.js';

/** The abort reason for a signal, carrying the conventional exit status (128 + signal number). */
export class SignalInterrupt extends UserAbortError {
  constructor(
    readonly signalName: 'SIGINT' | 'SIGTERM',
    readonly exitCode: number,
  ) {
    super(signalName === 'SIGINT' ? 'Interrupted' : 'Terminated');
  }
}

let controller: AbortController | undefined;
/** Sections running that a second Ctrl-C must not cut short (a job submission awaiting its name). */
let held = 0;
let exitWhenReleased: number | undefined;

export function interruptSignal(): AbortSignal {
  if (controller) return controller.signal;
  const current = new AbortController();
  controller = current;
  const onSignal = (name: 'SIGINT' | 'SIGTERM') => {
    const exitCode = name === 'SIGINT' ? 130 : 143;
    if (current.signal.aborted) {
      if (held > 0) exitWhenReleased = exitCode;
      else process.exit(exitCode);
      return;
    }
    current.abort(new SignalInterrupt(name, exitCode));
  };
  process.on('SIGINT', () => onSignal('SIGINT'));
  process.on('SIGTERM', () => onSignal('SIGTERM'));
  return current.signal;
}

/**
 * Runs `work` so that no signal cuts it short: the first Ctrl-C still aborts the command's signal
 * (which `work` does not listen to), and a second one exits only once `work` is over. For the
 * moment between sending a job submission and recording the job's name, when stopping would
 * leave a paid job nobody can find.
 */
export async function holdInterrupts<T>(work: () => Promise<T>): Promise<T> {
  interruptSignal();
  held += 1;
  try {
    return await work();
  } finally {
    held -= 1;
    if (held === 0 && exitWhenReleased !== undefined) process.exit(exitWhenReleased);
  }
}

/** Stops the running command through the same signal as Ctrl-C, for another reason. */
export function abortCommand(reason: InworldError): void {
  interruptSignal();
  if (!controller!.signal.aborted) controller!.abort(reason);
}

/** What the interrupted run leaves behind, said by the command that knows it; see interruptedLine. */
let kept: string | undefined;

export function reportKept(what: string): void {
  kept = what;
}

/** The one line printed when a signal stopped the run: "Interrupted: kept 2.2 s of audio in int.wav". */
export function interruptedLine(reason: SignalInterrupt): string {
  return `${reason.message}: ${kept ?? 'nothing was written'}`;
}

export interface KeptAudio {
  bytes: number;
  /** Known exactly for PCM; otherwise the size is given instead. */
  seconds?: number;
  /** The file the audio went to; absent for standard output and the speakers. */
  file?: string;
  /** "standard output" or "the speakers", when there is no file. */
  destination: string;
}

export function describeKeptAudio(audio: KeptAudio): string {
  if (audio.bytes === 0) return 'nothing was written';
  const amount = audio.seconds !== undefined ? `${audio.seconds.toFixed(1)} s` : `${Math.max(1, Math.round(audio.bytes / 1024))} KiB`;
  if (audio.file !== undefined) return `kept ${amount} of audio in ${audio.file}`;
  return `${amount} of audio went to ${audio.destination}`;
}

/** For transcribe: the finals kept in the -o file, or printed on standard output. */
export function describeKeptTranscript(lines: number, file?: string): string {
  if (lines === 0) return file === undefined ? 'nothing was transcribed' : 'nothing was transcribed, nothing was written';
  const count = `${lines} transcript line${lines === 1 ? '' : 's'}`;
  return file === undefined ? `${count} went to standard output` : `kept ${count} in ${file}`;
}
