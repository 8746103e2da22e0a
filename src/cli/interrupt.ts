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

export function interruptSignal(): AbortSignal {
  if (controller) return controller.signal;
  const current = new AbortController();
  controller = current;
  const onSignal = (name: 'SIGINT' | 'SIGTERM') => {
    const exitCode = name === 'SIGINT' ? 130 : 143;
    if (current.signal.aborted) process.exit(exitCode);
    current.abort(new SignalInterrupt(name, exitCode));
  };
  process.on('SIGINT', () => onSignal('SIGINT'));
  process.on('SIGTERM', () => onSignal('SIGTERM'));
  return current.signal;
}

/** Stops the running command through the same signal as Ctrl-C, for another reason. */
export function abortCommand(reason: InworldError): void {
  interruptSignal();
  if (!controller!.signal.aborted) controller!.abort(reason);
}
