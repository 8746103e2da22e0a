// When the reader of standard output or standard error goes away (`inworld … | head -n 1`), the
// next write fails with EPIPE. That is the reader's choice, not a failure: the command stops its
// work through the same signal as Ctrl-C (so files are finished and sockets closed), says nothing
// more, and exits 0. Other write failures on these streams stop the command with an error.
//
// A command with nothing left to write (`stream` waiting on a live pipe that paused) never makes
// that next write, so it would wait for input nobody will hear. Where the stream is a socket (what
// Node, socat and service managers give a child), an empty write fails with EPIPE once the reader
// has closed its end, and not while it merely stopped sending, so an empty write now and then
// notices the reader leaving without writing anything. A pipe from a shell's `|` accepts an empty
// write whoever reads it (Linux tells only poll(2), which Node does not offer), so there the
// command notices at its next real write, as `cat` does.
import { fstatSync, writeSync } from 'node:fs';
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

/** How often an idle socket on stdout or stderr is checked for a reader that left. */
export const READER_CHECK_INTERVAL_MS = 200;

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
    stopCommand(name);
  });
  checkWhileIdle(name, name === 'stdout' ? 1 : 2);
}

function stopCommand(name: StreamName): void {
  if (gone) return;
  gone = name;
  abortCommand(new ReaderGone(name));
  setTimeout(() => process.exit(0), READER_GONE_GRACE_MS);
}

/** For a socket: an empty write every so often, which fails once the reader has closed its end. */
function checkWhileIdle(name: StreamName, fd: number): void {
  if (!isSocket(fd)) return;
  const timer = setInterval(() => {
    try {
      writeSync(fd, EMPTY);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === undefined || !GONE_CODES.has(code)) return; // the real writes report real failures
      clearInterval(timer);
      stopCommand(name);
    }
  }, READER_CHECK_INTERVAL_MS);
  timer.unref(); // checking must not keep a finished command alive
}

const EMPTY = Buffer.alloc(0);

function isSocket(fd: number): boolean {
  try {
    return fstatSync(fd).isSocket();
  } catch {
    return false;
  }
}

/** A write to stdout or stderr failed for a reason other than its reader leaving (a full disk). */
class WriteFailed extends InworldError {
  constructor(name: StreamName, cause: NodeJS.ErrnoException) {
    super(`Cannot write to standard ${name === 'stdout' ? 'output' : 'error'}: ${cause.code ?? cause.message}`, { cause });
  }
}
