// `inworld logout`: removes the stored API key from the config file and leaves every other field.
// Nothing stored is not an error (exit 0, and it says so); a key still set in the environment is
// pointed out, since later commands would go on using it.
import { Command, Option } from 'commander';
import { defaultConfigPath, readConfigRecord } from '../../core/config-file.js';
import { mask } from '../../core/log.js';
import { findConfigKey, storedSpellings, storedValue, updateConfigFile } from './config-file.js';
import { registerSecret } from '../exit.js';
import { note } from '../ui.js';

interface LogoutFlags {
  emulator?: boolean;
  quiet?: boolean;
}

export function logoutCommand(): Command {
  return new Command('logout')
    .description('remove your API key from the config file')
    .addOption(new Option('--emulator', 'touch nothing: the emulator needs no stored key (env INWORLD_EMULATOR=1)'))
    .addOption(new Option('-q, --quiet', 'print nothing but errors on stderr'))
    .addHelpText(
      'after',
      `
Other settings in the config file (voice, model, …) stay. A key in INWORLD_API_KEY is not
affected; unset it in your shell.

Examples:
  $ inworld logout`,
    )
    .action(async (flags: LogoutFlags) => {
      await runLogout(flags);
    });
}

async function runLogout(flags: LogoutFlags): Promise<void> {
  const path = defaultConfigPath();
  const { emulatorRequested } = await import('../context.js');
  if (emulatorRequested(flags)) {
    note(`Nothing removed: with --emulator, logout leaves ${path} alone`, flags);
    return;
  }
  const spec = findConfigKey('api-key');
  const record = readConfigRecord(path);
  const stored = storedValue(record, spec);
  registerSecret(stored);
  if (storedSpellings(spec).every((name) => !(name in record))) {
    note(`Not logged in: no API key stored in ${path}; nothing to remove`, flags);
  } else {
    const written = await updateConfigFile(
      path,
      (current) => {
        for (const name of storedSpellings(spec)) delete current[name];
      },
      note,
    );
    note(`Logged out: removed the API key${stored ? ` ${mask(stored)}` : ''} from ${written}`, flags);
  }
  if (process.env.INWORLD_API_KEY) note('inworld: note: INWORLD_API_KEY is still set in your environment, and commands will use it; unset it to log out fully', flags);
}
