// Where the emulated STT service gets its words. The emulator does not recognize speech: each
// turn in which its voice activity detector heard something is given the next text of a script
// the test (or user) supplies, in order; without a script every turn gets a placeholder.
//
// A script is supplied, most specific first:
//   1. a fault rule with the custom action `stt-script`, e.g. over HTTP
//      POST /_emulator/faults {"protocol":"ws","action":{"type":"custom","name":"stt-script","params":{"turns":["hello","bye"]}}}
//      (a rule without `times` applies to every connection; its position carries across them);
//   2. `sttScript` in the emulator options, when the options carry one;
//   3. the environment variable INWORLD_EMULATOR_STT_SCRIPT: a JSON array of strings, or texts
//      separated by `|`.
// A position advances only when a final with that text is sent, so a turn cut short by a
// dropped connection gets the same text again when the client replays its audio.

import type { FaultAction } from '../faults/rules.js';

export const STT_SCRIPT_ACTION = 'stt-script';
export const STT_SCRIPT_ENV_VAR = 'INWORLD_EMULATOR_STT_SCRIPT';
/** What a turn says when no script was supplied; makes plain that nothing was recognized. */
export const PLACEHOLDER_TRANSCRIPT = 'emulated transcript';

export class SttScript {
  private readonly turns: readonly string[];
  private position = 0;

  constructor(turns: readonly string[]) {
    this.turns = turns;
  }

  /** The text the current turn will have (without consuming it). */
  peek(): string {
    if (this.turns.length === 0) return PLACEHOLDER_TRANSCRIPT;
    return this.turns[this.position] ?? PLACEHOLDER_TRANSCRIPT;
  }

  /** Called when a final with the current text was sent. */
  advance(): void {
    if (this.position < this.turns.length) this.position += 1;
  }
}

/** Scripts keyed by the object that owns them (a fault action, or one emulator instance). */
const scripts = new WeakMap<object, SttScript>();

/**
 * The script for a new connection: from a matched `stt-script` action, else the emulator-wide
 * one (options or environment) keyed by `owner` (one per emulator instance).
 */
export function scriptFor(matched: readonly FaultAction[], owner: object, optionTurns: unknown, env: NodeJS.ProcessEnv): SttScript {
  const action = matched.find((a) => a.type === 'custom' && a.name === STT_SCRIPT_ACTION);
  const key: object = action ?? owner;
  let script = scripts.get(key);
  if (!script) {
    const turns = action && action.type === 'custom' ? stringList(action.params?.turns) : stringList(optionTurns) ?? parseEnvScript(env[STT_SCRIPT_ENV_VAR]);
    script = new SttScript(turns ?? []);
    scripts.set(key, script);
  }
  return script;
}

export function parseEnvScript(value: string | undefined): string[] | undefined {
  if (value === undefined || value.trim() === '') return undefined;
  const trimmed = value.trim();
  if (trimmed.startsWith('[')) {
    try {
      return stringList(JSON.parse(trimmed));
    } catch {
      return undefined;
    }
  }
  return trimmed.split('|').map((part) => part.trim());
}

function stringList(value: unknown): string[] | undefined {
  if (typeof value === 'string') return [value];
  if (!Array.isArray(value)) return undefined;
  return value.filter((item): item is string => typeof item === 'string');
}
