// Options every command shares (credentials, endpoints, emulator, verbosity), and the parsers
// that validate flag values at the command boundary, before any request.
import { InvalidArgumentError, Option, type Command } from 'commander';
import { checkFlagConflicts } from './flag-conflicts.js';

export interface GlobalOptions {
  apiKey?: string;
  baseUrl?: string;
  wsUrl?: string;
  emulator?: boolean;
  verbose?: boolean;
  quiet?: boolean;
  timeout?: number;
  retries?: number;
  insecure?: boolean;
}

export function addGlobalOptions(command: Command): Command {
  return command
    .addOption(new Option('--api-key <key>', 'API key (prefer INWORLD_API_KEY or the config file)'))
    .addOption(new Option('--base-url <url>', 'REST base URL (env INWORLD_BASE_URL)'))
    .addOption(new Option('--ws-url <url>', 'WebSocket base URL (env INWORLD_WS_URL)'))
    .addOption(new Option('--emulator', 'run against the built-in local emulator (env INWORLD_EMULATOR=1)'))
    .addOption(new Option('--timeout <ms>', 'connect and first-byte timeout in ms').argParser(positiveInt('--timeout')))
    .addOption(new Option('--retries <n>', 'retries for retryable failures').argParser(nonNegativeInt('--retries')))
    .addOption(new Option('--insecure', 'allow sending the key over plain http:// or ws:// to a host other than this machine'))
    .addOption(new Option('-v, --verbose', 'log requests and timings to stderr (key redacted)'))
    .addOption(new Option('-q, --quiet', 'print nothing but errors on stderr'))
    .hook('preAction', (self) => checkFlagConflicts(self));
}

export function positiveInt(flag: string): (value: string) => number {
  return (value) => {
    const n = Number(value);
    if (!Number.isInteger(n) || n <= 0) throw new InvalidArgumentError(`${flag} takes a whole number above 0, not "${value}".`);
    return n;
  };
}

export function nonNegativeInt(flag: string): (value: string) => number {
  return (value) => {
    const n = Number(value);
    if (!Number.isInteger(n) || n < 0) throw new InvalidArgumentError(`${flag} takes a whole number, 0 or more, not "${value}".`);
    return n;
  };
}

/** A number in a range; `exclusiveMin` makes the lower bound open, as for temperature (0, 2]. */
export function numberInRange(flag: string, min: number, max: number, exclusiveMin = false): (value: string) => number {
  return (value) => {
    const n = Number(value);
    const low = exclusiveMin ? n > min : n >= min;
    if (value.trim() === '' || !Number.isFinite(n) || !low || n > max) {
      const range = `${exclusiveMin ? '(' : '['}${min}, ${max}]`;
      throw new InvalidArgumentError(`${flag} must be a number in ${range}, not "${value}".`);
    }
    return n;
  };
}

/** Case-insensitive choice that returns the canonical spelling. */
export function oneOf<T extends string>(flag: string, choices: readonly T[]): (value: string) => T {
  return (value) => {
    const found = choices.find((c) => c.toLowerCase() === value.toLowerCase());
    if (!found) throw new InvalidArgumentError(`${flag} must be one of ${choices.join(', ')}, not "${value}".`);
    return found;
  };
}

/** An option with a fixed set of values: listed in help and completions, matched case-insensitively. */
export function choiceOption<T extends string>(flags: string, description: string, choices: readonly T[]): Option {
  const flag = flags.split(/[ ,]+/).find((part) => part.startsWith('--')) ?? flags;
  return new Option(flags, description).choices(choices).argParser(oneOf(flag, choices));
}
