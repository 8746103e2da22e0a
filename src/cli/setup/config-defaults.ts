// The config file's default voice, model and language for `say` and `stream`. Precedence is the
// contract's: a flag on the command line wins, then the config file, then the built-in default.
// Commander has already put the built-in default in the flags, so we ask it where each value came
// from and only replace values the user did not type.
import { defaultConfigPath, readConfigFile } from '../../core/config-file.js';
import { ValidationError } from '../../core/errors.js';
import { findConfigKey, parseLanguage } from './config-file.js';

/** The flags this fills in, by their commander option name (attribute name). */
export const CONFIG_DEFAULT_FLAGS = ['voice', 'model', 'language'] as const;
export type ConfigDefaultFlag = (typeof CONFIG_DEFAULT_FLAGS)[number];

/** What we need from a commander Command: where an option's value came from. */
export interface OptionValueSource {
  getOptionValueSource(key: string): string | undefined;
}

/**
 * Fills voice/model/language from the config file when the flag was not given (its value is the
 * built-in default, or absent). Mutates and returns `flags`. A bad value in the file is a
 * ValidationError (exit 2) naming the key and how to fix it.
 */
export function applyConfigDefaults<T extends { voice?: string; model?: string; language?: string }>(
  flags: T,
  source: OptionValueSource,
  configPath: string = defaultConfigPath(),
): T {
  const pending = CONFIG_DEFAULT_FLAGS.filter((name) => {
    const from = source.getOptionValueSource(name);
    return from === undefined || from === 'default';
  });
  if (pending.length === 0) return flags;
  const file = readConfigFile(configPath);
  for (const name of pending) {
    const value = file[name];
    if (value === undefined || value === null || value === '') continue;
    if (typeof value !== 'string') {
      throw new ValidationError(`${name} in config file ${configPath} must be a string; fix it with \`inworld config set ${name} <value>\``);
    }
    try {
      (flags as Record<string, unknown>)[name] = name === 'language' ? parseLanguage(value) : findConfigKey(name).parse(value);
    } catch (error) {
      throw new ValidationError(`${(error as Error).message} (from config file ${configPath}); fix it with \`inworld config set ${name} <value>\``);
    }
  }
  return flags;
}
