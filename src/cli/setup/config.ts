// `inworld config set|get|unset|list|path`: the config file's defaults and credentials. Values go
// to stdout (they are the command's data); notes and warnings to stderr. The API key is only ever
// shown masked, and `set api-key -` reads it from stdin so it stays out of shell history.
import { Argument, Command, Option } from 'commander';
import { defaultConfigPath, readConfigRecord } from '../../core/config-file.js';
import { mask } from '../../core/log.js';
import {
  CONFIG_KEYS,
  configKeyArgument,
  findConfigKey,
  looseConfigMode,
  looseModeWarning,
  storedSpellings,
  storedValue,
  updateConfigFile,
  type ConfigKeySpec,
} from './config-file.js';
import { registerSecret } from '../exit.js';
import { note } from '../ui.js';

/** Environment variables that win over the file's value, so `list` can say the file is not in effect. */
const ENV_OVERRIDES: Readonly<Record<string, string>> = {
  'api-key': 'INWORLD_API_KEY',
  'base-url': 'INWORLD_BASE_URL',
  'ws-url': 'INWORLD_WS_URL',
};

interface QuietFlag {
  quiet?: boolean;
}

function keyArgument(): Argument {
  return new Argument('<key>', `one of ${CONFIG_KEYS.map((key) => key.name).join(', ')}`)
    .choices(CONFIG_KEYS.map((key) => key.name))
    .argParser(configKeyArgument);
}

function quietOption(): Option {
  return new Option('-q, --quiet', 'print nothing but errors on stderr');
}

/** How a value is shown: the key masked, everything else as stored. */
function display(spec: ConfigKeySpec, value: string): string {
  return spec.secret ? mask(value) : value;
}

async function warnIfLoose(path: string, flags: QuietFlag): Promise<void> {
  const loose = await looseConfigMode(path);
  if (loose) note(looseModeWarning(loose), flags);
}

export function configCommand(): Command {
  const config = new Command('config')
    .description('show or change defaults and credentials in the config file')
    .addHelpText(
      'after',
      `
Keys:
${CONFIG_KEYS.map((key) => `  ${key.name.padEnd(10)}${key.description}`).join('\n')}

Examples:
  $ inworld config set voice Dennis
  $ pbpaste | inworld config set api-key -        # key from stdin, not shell history
  $ inworld config get voice
  $ inworld config list
  $ inworld config unset language
  $ $EDITOR "$(inworld config path)"`,
    );
  config.addCommand(setCommand());
  config.addCommand(getCommand());
  config.addCommand(unsetCommand());
  config.addCommand(listCommand());
  config.addCommand(pathCommand());
  return config;
}

/** `config set <key> <value>`: writes one key (the key from stdin with `-`). */
function setCommand(): Command {
  return new Command('set')
    .description('set a key (use - as the value to read it from standard input)')
    .addArgument(keyArgument())
    .addArgument(new Argument('<value>', 'the value, or - to read it from standard input'))
    .addOption(quietOption())
    .action(async (name: string, value: string, flags: QuietFlag) => {
      const spec = findConfigKey(name);
      let raw = value;
      if (value === '-') {
        const { readSecret } = await import('../prompt.js');
        raw = (await readSecret(`${spec.name}${spec.secret ? ' (hidden)' : ''}: `)).value;
      } else if (spec.secret) {
        note('inworld: tip: `inworld config set api-key -` (or `inworld login`) reads the key from standard input and keeps it out of shell history', flags);
      }
      if (spec.secret) registerSecret(raw.trim());
      const parsed = spec.parse(raw);
      if (spec.secret) registerSecret(parsed);
      const path = defaultConfigPath();
      const written = await updateConfigFile(
        path,
        (record) => {
          for (const key of storedSpellings(spec)) delete record[key];
          record[spec.field] = parsed;
        },
        (line) => note(line, flags),
      );
      note(`Set ${spec.name} to ${display(spec, parsed)} in ${written}`, flags);
    });
}

/** `config get <key>`: prints one stored value. */
function getCommand(): Command {
  return new Command('get')
    .description('print the value of a key (the API key masked)')
    .addArgument(keyArgument())
    .addOption(quietOption())
    .action(async (name: string, flags: QuietFlag) => {
      const spec = findConfigKey(name);
      const path = defaultConfigPath();
      const value = storedValue(readConfigRecord(path), spec);
      await warnIfLoose(path, flags);
      if (value === undefined) {
        // Empty output (exit 0), as `gh config get` does, so `$(inworld config get voice)` is simply empty.
        note(`inworld: ${spec.name} is not set in ${path}`, flags);
        return;
      }
      if (spec.secret) registerSecret(value);
      process.stdout.write(`${display(spec, value)}\n`);
    });
}

/** `config unset <key>`: removes one key. */
function unsetCommand(): Command {
  return new Command('unset')
    .description('remove a key from the config file')
    .addArgument(keyArgument())
    .addOption(quietOption())
    .action(async (name: string, flags: QuietFlag) => {
      const spec = findConfigKey(name);
      const path = defaultConfigPath();
      const record = readConfigRecord(path);
      if (storedSpellings(spec).every((key) => !(key in record))) {
        note(`inworld: ${spec.name} was not set in ${path}`, flags);
        return;
      }
      const written = await updateConfigFile(
        path,
        (current) => {
          for (const key of storedSpellings(spec)) delete current[key];
        },
        (line) => note(line, flags),
      );
      note(`Removed ${spec.name} from ${written}`, flags);
    });
}

/** `config list`: prints every key that is set. */
function listCommand(): Command {
  return new Command('list')
    .alias('ls')
    .description('print every key that is set, as key=value (the API key masked)')
    .addOption(new Option('--json', 'print a JSON object instead'))
    .addOption(quietOption())
    .action(async (flags: QuietFlag & { json?: boolean }) => {
      const path = defaultConfigPath();
      const record = readConfigRecord(path);
      await warnIfLoose(path, flags);
      const shown: Record<string, string> = {};
      for (const spec of CONFIG_KEYS) {
        const value = storedValue(record, spec);
        if (value === undefined) continue;
        if (spec.secret) registerSecret(value);
        shown[spec.name] = display(spec, value);
        const env = ENV_OVERRIDES[spec.name];
        if (env && process.env[env]) note(`inworld: note: ${env} is set and takes precedence over ${spec.name} from the file`, flags);
      }
      if (flags.json) {
        process.stdout.write(`${JSON.stringify(shown, null, 2)}\n`);
      } else if (Object.keys(shown).length === 0) {
        note(`inworld: nothing set in ${path}`, flags);
      } else {
        process.stdout.write(Object.entries(shown).map(([key, value]) => `${key}=${value}\n`).join(''));
      }
    });
}

/** `config path`: prints where the file is. */
function pathCommand(): Command {
  return new Command('path')
    .description('print the config file path (it need not exist yet)')
    .action(() => {
      process.stdout.write(`${defaultConfigPath()}\n`);
    });
}
