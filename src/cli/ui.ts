// The terminal: every line for humans goes to stderr through here (stdout carries audio,
// transcripts and reports), and colour and the spinner are decided here once for every command.
// Colour precedence, the common convention:
//   1. FORCE_COLOR set: '0' or 'false' turns colour off; '1'-'3' pick that level; anything else
//      (including empty) is level 1. It wins over everything below.
//   2. NO_COLOR set and non-empty: no colour.
//   3. TERM=dumb: no colour.
//   4. Otherwise colour (level 1) when stderr is a terminal, and so is the stream the painted text
//      goes to when that is not stderr (doctor's report on stdout), so a saved file holds no escapes.
// The spinner only runs on an interactive stderr, so pipes and logs get plain lines. chalk and ora
// are imported only when they will be used (ora is the CLI's heaviest import).
import type { Ora } from 'ora';

export type ColorLevel = 0 | 1 | 2 | 3;

export function colorLevel(
  env: NodeJS.ProcessEnv = process.env,
  stderrIsTTY: boolean = process.stderr.isTTY === true,
  outputIsTTY = true,
): ColorLevel {
  const force = env.FORCE_COLOR;
  if (force !== undefined) {
    if (force === '0' || force === 'false') return 0;
    const level = Number.parseInt(force, 10);
    return Number.isFinite(level) && level >= 1 ? (Math.min(level, 3) as ColorLevel) : 1;
  }
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') return 0;
  if (env.TERM === 'dumb') return 0;
  return stderrIsTTY && outputIsTTY ? 1 : 0;
}

/** The few styles the CLI uses; a chalk instance, or plain text at level 0. */
export interface Painter {
  green(text: string): string;
  yellow(text: string): string;
  red(text: string): string;
  dim(text: string): string;
}

const PLAIN: Painter = { green: String, yellow: String, red: String, dim: String };

/** A painter for `level`; chalk is loaded only when there is colour to paint. */
export async function painter(level: ColorLevel): Promise<Painter> {
  if (level === 0) return PLAIN;
  const { Chalk } = await import('chalk');
  return new Chalk({ level });
}

/** A line for a human on stderr (progress, results, warnings); dropped under --quiet. */
export function note(text: string, options: { quiet?: boolean } = {}): void {
  if (options.quiet !== true) process.stderr.write(`${text}\n`);
}

/** A warning for a human on stderr: the request goes ahead, but probably not as meant; dropped under --quiet. */
export function warn(text: string, options: { quiet?: boolean } = {}): void {
  note(`inworld: warning: ${text}`, options);
}

/** A machine-readable event line on stderr (`--json` progress); never silenced. */
export function jsonEvent(event: Record<string, unknown>): void {
  process.stderr.write(`${JSON.stringify(event)}\n`);
}

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
}

/** The progress spinner and info lines of a long command. */
export async function createUi(options: UiOptions = {}): Promise<Ui> {
  const stream = options.stream ?? process.stderr;
  const env = options.env ?? process.env;
  const quiet = options.quiet === true;
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
  };
}
