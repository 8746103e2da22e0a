// Flags that contradict each other, or that the command would silently ignore in this
// combination, are refused before any request: exit 2, one line naming them and the fix.
// Checked from a preAction hook that addGlobalOptions installs on every command.
import type { Command } from 'commander';
import { ValidationError } from '../core/errors.js';

interface Flags {
  /** The user typed this flag (not a default, not a config-file value). */
  given(name: string): boolean;
  value(name: string): unknown;
  /** How the emulator was asked for, if it was: the flag or the environment. */
  emulator: string | undefined;
}

/** A rule returns the refusal, or nothing when the flags are fine. */
type Rule = (flags: Flags) => ValidationError | undefined;

function refuse(problem: string, fix: string): ValidationError {
  return new ValidationError(problem, { hint: fix });
}

/** `a` only makes sense with `b`: refused when `a` is given without it. */
function needs(a: string, b: string, why: string): Rule {
  return (f) => (f.given(toKey(a)) && !f.given(toKey(b)) ? refuse(`${a} ${why}`, `Add ${b}, or drop ${a}`) : undefined);
}

/** `a` does nothing (or contradicts) when `b` is given. */
function notWith(a: string, b: string, why: string, fix = `Drop ${a}`): Rule {
  return (f) => (f.given(toKey(a)) && f.given(toKey(b)) ? refuse(`${a} ${why}`, fix) : undefined);
}

/** `--out-dir` -> `outDir`, `--no-voice-profile` -> `voiceProfile` (commander's attribute names). */
function toKey(flag: string): string {
  return flag.replace(/^--(no-)?/, '').replace(/-([a-z])/g, (_, c: string) => c.toUpperCase());
}

const GLOBAL: Rule[] = [
  notWith('--quiet', '--verbose', 'and --verbose contradict each other', 'Drop one of them'),
  ...['--base-url', '--ws-url'].map(
    (flag): Rule =>
      (f) =>
        f.given(toKey(flag)) && f.emulator
          ? refuse(`${flag} is not used with ${f.emulator}: the emulator has its own address`, f.emulator === '--emulator' ? `Drop ${flag}, or drop --emulator to use that server` : `Unset INWORLD_EMULATOR, or drop ${flag}`)
          : undefined,
  ),
  (f) => (f.given('insecure') && f.emulator ? refuse(`--insecure is not used with ${f.emulator}: the emulator is on this machine`, 'Drop --insecure') : undefined),
];

const SYNTHESIS: Rule[] = [
  notWith('--voice-design', '--voice', 'and --voice both choose the voice: a designed voice or a saved one', 'Drop one of them'),
  (f) =>
    f.given('timestampTransport') && !f.given('timestamps') && !f.given('subtitles') && !f.given('captions')
      ? refuse('--timestamp-transport does nothing without timestamps', 'Add --timestamps word (or --subtitles, --captions), or drop --timestamp-transport')
      : undefined,
];

const BY_COMMAND: Record<string, Rule[]> = {
  say: [
    ...SYNTHESIS,
    needs('--out-dir', '--batch', 'is where --batch writes its files'),
    needs('--concurrency', '--batch', 'sets how many --batch lines run at once'),
    ...['--captions', '--timings', '--player', '--timestamps', '--timestamp-transport'].map((flag) => notWith(flag, '--batch', 'is not used with --batch')),
  ],
  stream: [...SYNTHESIS, notWith('--captions', '--json', 'would mix caption text into the JSON lines on stderr', 'Drop --captions, or drop --json')],
  transcribe: [
    (f) =>
      f.given('voiceProfileTopN') && f.value('voiceProfile') === false
        ? refuse('--voice-profile-top-n is not used with --no-voice-profile', 'Drop one of them')
        : undefined,
    notWith('--realtime', '--mic', 'is not needed with --mic: the microphone is always real time'),
    notWith('--realtime', '--batch', 'is not used with --batch: the whole file goes in one request'),
    notWith('--max-chunk-rate', '--batch', 'is not used with --batch: the whole file goes in one request'),
    notWith('--sample-rate', '--mic', 'describes raw audio on standard input, not the microphone'),
    notWith('--channels', '--mic', 'describes raw audio on standard input, not the microphone'),
    ...['--min-end-of-turn-silence', '--end-of-turn-threshold'].map(
      (flag): Rule =>
        (f) =>
          f.given(toKey(flag)) && f.value('vadThreshold') === 0
            ? refuse(`${flag} does nothing with --vad-threshold 0 (turns end only with the input)`, `Drop ${flag}, or use a --vad-threshold above 0`)
            : undefined,
    ),
  ],
  voices: [
    needs('--output', '--preview', 'is where --preview writes its sample'),
    ...['--json', '--lang', '--legacy'].map((flag) => notWith(flag, '--preview', 'is not used with --preview, which speaks a sample instead of listing')),
  ],
};

/** Throws the first refusal for the command's flags (the preAction hook). */
export function checkFlagConflicts(command: Command, env: NodeJS.ProcessEnv = process.env): void {
  const values = command.opts();
  const given = (name: string) => values[name] !== undefined && command.getOptionValueSource(name) === 'cli';
  // The same switch context.ts reads.
  const fromEnv = env.INWORLD_EMULATOR === '1' || env.INWORLD_EMULATOR === 'true';
  const emulator = given('emulator') ? '--emulator' : fromEnv ? `INWORLD_EMULATOR=${env.INWORLD_EMULATOR}` : undefined;
  const flags: Flags = { given, value: (name) => values[name], emulator };
  for (const rule of [...GLOBAL, ...(BY_COMMAND[command.name()] ?? [])]) {
    const refusal = rule(flags);
    if (refusal) throw refusal;
  }
}
