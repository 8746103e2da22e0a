// Messages for humans, always on stderr (stdout carries audio and transcripts). Colour and the
// spinner are decided from stderr alone: NO_COLOR and FORCE_COLOR are honoured, and the spinner
// only runs on an interactive stderr, so pipes and logs get plain lines.
import type { Ora } from 'ora';

export interface UiOptions {
  quiet?: boolean;
  stream?: NodeJS.WriteStream;
  env?: NodeJS.ProcessEnv;
}

export interface Ui {
  /** Shows or updates a one-line progress status (spinner); a no-op unless stderr is a terminal. */
  progress(text: string): void;
  /** Removes the progress line. */
  stopProgress(): void;
  /** A line of information (silenced by --quiet). */
  info(text: string): void;
  /** A warning line (silenced by --quiet). */
  warn(text: string): void;
}

export function colorEnabled(stream: NodeJS.WriteStream, env: NodeJS.ProcessEnv): boolean {
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') return false;
  if (env.FORCE_COLOR !== undefined) return env.FORCE_COLOR !== '0' && env.FORCE_COLOR !== 'false';
  return stream.isTTY === true && env.TERM !== 'dumb';
}

export async function createUi(options: UiOptions = {}): Promise<Ui> {
  const stream = options.stream ?? process.stderr;
  const env = options.env ?? process.env;
  const quiet = options.quiet === true;
  const color = colorEnabled(stream, env);
  const paint = color ? (await import('chalk')).Chalk : undefined;
  const chalk = paint ? new paint({ level: 1 }) : undefined;
  // A terminal that reports 0 columns (a pty with no size: `script`, some CI runners) would make
  // ora's line clearing loop forever (ceil(width / 0) lines), so it gets plain lines too.
  const interactive =
    !quiet && stream.isTTY === true && ((stream as { columns?: number }).columns ?? 0) > 0 && env.TERM !== 'dumb' && env.CI === undefined;
  let spinner: Ora | undefined;
  let latest = '';
  let stopped = false;

  return {
    progress(text) {
      if (!interactive || stopped) return;
      if (!spinner) {
        // ora is the heaviest import of the CLI; only an interactive terminal pays for it.
        void import('ora').then(({ default: ora }) => {
          if (spinner || stopped) return;
          spinner = ora({ stream, text: latest, discardStdin: false, hideCursor: true }).start();
        });
      }
      latest = text;
      if (spinner) spinner.text = text;
    },
    stopProgress() {
      stopped = true;
      spinner?.stop();
      spinner = undefined;
    },
    info(text) {
      if (!quiet) stream.write(`${text}\n`);
    },
    warn(text) {
      if (!quiet) stream.write(`${chalk ? chalk.yellow('warning:') : 'warning:'} ${text}\n`);
    },
  };
}
