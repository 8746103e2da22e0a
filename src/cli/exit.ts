// The single exit path: every failure becomes one line on stderr and the contract's exit code.
import { InworldError, UserAbortError, ValidationError } from '../core/errors.js';
import { actionForSyscall, describeFileError, isRawFileSystemError } from '../core/file-errors.js';
import { redact } from '../core/log.js';
import { contextualHint } from './failure-hints.js';
import { note } from './ui.js';
import { interruptedLine, SignalInterrupt } from './interrupt.js';

export const ExitCode = {
  OK: 0,
  FAILURE: 1,
  USAGE: 2,
  INTERRUPTED: 130,
} as const;

/** Secrets the exit path must never print, registered as soon as the CLI knows them. */
const secrets: string[] = [];
export function registerSecret(secret: string | undefined): void {
  if (secret && !secrets.includes(secret)) secrets.push(secret);
}
export function redactSecrets(text: string): string {
  return redact(text, secrets);
}

export function exitCodeFor(error: unknown): number {
  if (error instanceof UserAbortError) {
    const code = (error as { exitCode?: unknown }).exitCode;
    return typeof code === 'number' ? code : ExitCode.INTERRUPTED;
  }
  if (error instanceof ValidationError) return ExitCode.USAGE;
  if (isCommanderUsageError(error)) return ExitCode.USAGE;
  return ExitCode.FAILURE;
}

function isCommanderUsageError(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && code.startsWith('commander.');
}

/** One readable line: the message, then what to do about it. */
export function formatError(error: unknown, verbose = false): string {
  // A usage error is the one line even with --verbose: its stack says nothing about the input.
  if (verbose && error instanceof Error && !(error instanceof ValidationError) && error.stack) return redactSecrets(error.stack);
  let line: string;
  if (error instanceof InworldError) {
    // The hint follows as its own sentence; a message that already ends in a period keeps just one.
    const hint = contextualHint(error) ?? error.hint;
    line = hint ? `${error.message.replace(/(?<!\.)\.$/, '')}. ${hint}` : error.message;
  } else if (isRawFileSystemError(error)) {
    line = describeFileError(actionForSyscall(error.syscall, error.code), error.path, error);
  } else if (error instanceof Error) {
    line = `${error.message} (rerun with --verbose for details)`;
  } else {
    line = String(error);
  }
  return redactSecrets(`inworld: ${line.replace(/\s*\n\s*/g, ' ')}`);
}

/** Prints the error (for a signal, what was kept) and exits. */
export function fail(error: unknown, verbose = false): never {
  const code = exitCodeFor(error);
  if (error instanceof SignalInterrupt) note(interruptedLine(error));
  else if (!(error instanceof UserAbortError)) note(formatError(error, verbose));
  process.exit(code);
}
