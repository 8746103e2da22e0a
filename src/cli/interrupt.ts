// Ctrl-C and SIGTERM abort the running command through one AbortSignal, so every stream can stop
// cleanly (finish WAV headers, kill child processes); a second signal exits at once.
import { UserAbortError } from '../core/errors.js';

let controller: AbortController | undefined;

export function interruptSignal(): AbortSignal {
  if (controller) return controller.signal;
  controller = new AbortController();
  const onSignal = (name: NodeJS.Signals) => {
    if (controller!.signal.aborted) process.exit(name === 'SIGTERM' ? 143 : 130);
    controller!.abort(new UserAbortError(name === 'SIGINT' ? 'Interrupted' : 'Terminated'));
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  return controller.signal;
}
