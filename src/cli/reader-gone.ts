// When the reader of standard output or standard error goes away (`inworld … | head -n 1`), the
// next write fails with EPIPE. That is the reader's choice, not a failure: the command stops its
// work through the same signal as Ctrl-C (so files are finished and sockets closed), says nothing
// more, and exits 0. Other write failures on these streams stop the command with an error.
import { InworldError, UserAbortError } from '../core/errors.js';
import { abortCommand } from './interrupt.js';

type StreamName = 'stdout' | 'stderr';

/** The abort reason when a reader left: exit status 0, no message. */
export class ReaderGone extends UserAbortError {
  readonly exitCode = 0;
  constructor(readonly stream: StreamName) {
    super(`The reader of standard ${stream === 'stdout' ? 'output' : 'error'} went away`);
  }
}

const GONE_CODES = new Set(['EPIPE', 'ECONNRESET', 'ERR_STREAM_DESTROYED']);

/**
 * How long a stopped command may take to finish its files before the process exits anyway
 * (longer than transcribe's grace for the server's last finals).
 */
export const READER_GONE_GRACE_MS = 3_000;

let gone: StreamName | undefined;

/** Which stream's reader left, if one did. */
export function readerGone(): StreamName | undefined {
  return gone;
}

/** Installs the listeners once; an 'error' with no listener would crash with a stack trace. */
export function watchReaders(): void {
  watch('stdout', process.stdout);
  watch('stderr', process.stderr);
}

function watch(name: StreamName, stream: NodeJS.WriteStream): void {
  stream.on('error', (error: NodeJS.ErrnoException) => {
    if (!error.code || !GONE_CODES.has(error.code)) {
      abortCommand(new WriteFailed(name, error));
      return;
    }
    if (gone) return;
    gone = name;
    abortCommand(new ReaderGone(name));
    setTimeout(() => process.exit(0), READER_GONE_GRACE_MS);
  });
}

/** A write to stdout or stderr failed for a reason other than its reader leaving (a full disk). */
class WriteFailed extends InworldError {
  constructor(name: StreamName, cause: NodeJS.ErrnoException) {
    super(`Cannot write to standard ${name === 'stdout' ? 'output' : 'error'}: ${cause.code ?? cause.message}`, { cause });
  }
}
