// `inworld login`: asks for the API key (hidden prompt on a terminal, or piped stdin), proves it
// works with one voices call, and only then saves it to the config file (mode 0600). A key the
// server rejects is never saved, and neither is one only checked against the emulator.
import { Command, Option } from 'commander';
import { defaultConfigPath } from '../../core/config-file.js';
import { AuthenticationError, InworldError, PermissionDeniedError, UserAbortError, ValidationError } from '../../core/errors.js';
import { mask } from '../../core/log.js';
import { findConfigKey, storedSpellings, updateConfigFile } from './config-file.js';
import { registerSecret } from '../exit.js';
import { addGlobalOptions, type GlobalOptions } from '../options.js';
import { note } from '../ui.js';
import { monotonicMs } from '../../core/monotonic-clock.js';

export const API_KEYS_URL = 'https://platform.inworld.ai/';

interface LoginFlags extends GlobalOptions {
  verify?: boolean;
}

/** The key was refused: exit 1 (the API said no), with what to do next. */
export class KeyRejectedError extends InworldError {
  override readonly code = 'key_rejected';
}

export function loginCommand(): Command {
  const command = new Command('login')
    .description('save your API key to the config file after checking it with the API')
    .addOption(new Option('--no-verify', 'save without checking the key (offline)'));
  addGlobalOptions(command);
  return command
    .addHelpText(
      'after',
      `
The key is the "Basic (Base64)" API key from ${API_KEYS_URL} (API Keys).
On a terminal it is read from a hidden prompt; otherwise from standard input.
With --emulator the key is only checked against the local emulator; nothing is saved.

Examples:
  $ inworld login
  $ pbpaste | inworld login
  $ inworld login < ~/secrets/inworld-key.txt`,
    )
    .action(async (flags: LoginFlags) => {
      await runLogin(flags);
    });
}

async function runLogin(flags: LoginFlags): Promise<void> {
  const spec = findConfigKey('api-key');
  let raw: string;
  if (flags.apiKey !== undefined) {
    raw = flags.apiKey;
  } else {
    const { readSecret } = await import('../prompt.js');
    if (process.stdin.isTTY) note(`Paste your Inworld API key (Basic, Base64) from ${API_KEYS_URL}`, flags);
    raw = (await readSecret('API key (hidden): ')).value;
  }
  registerSecret(raw.trim());
  if (raw.trim() === '') {
    throw new ValidationError('No API key given', { hint: `Paste the "Basic (Base64)" key from ${API_KEYS_URL}, or pipe it in: pbpaste | inworld login` });
  }
  const key = spec.parse(raw);
  registerSecret(key);

  const { emulatorRequested } = await import('../context.js');
  if (emulatorRequested(flags)) {
    await checkWithEmulator(key, flags);
    return;
  }

  const verified = flags.verify === false ? undefined : await verifyKey(key, flags);

  const path = defaultConfigPath();
  const written = await updateConfigFile(
    path,
    (record) => {
      for (const name of storedSpellings(spec)) delete record[name];
      record[spec.field] = key;
    },
    (line) => note(line, flags),
  );
  if (flags.quiet) return;
  const check = verified ? `verified against ${verified.baseUrl} (${verified.voices} voices, ${verified.ms} ms)` : 'not verified (--no-verify)';
  note(`Logged in: key ${mask(key)} ${check}; saved to ${written} (mode 0600)`);
  if (process.env.INWORLD_API_KEY && process.env.INWORLD_API_KEY.trim() !== key) {
    note('inworld: note: INWORLD_API_KEY is set in your environment and takes precedence over the saved key; unset it to use this one');
  }
}

/**
 * `login --emulator` is a rehearsal: the local emulator accepts any key, so passing its check
 * proves nothing about the real service and the key is not saved anywhere.
 */
async function checkWithEmulator(key: string, flags: LoginFlags): Promise<void> {
  const verified = flags.verify === false ? undefined : await verifyKey(key, flags);
  if (flags.quiet) return;
  const check = verified ? `checked against the emulator (${verified.voices} voices, ${verified.ms} ms)` : 'not checked (--no-verify)';
  note(`Key ${mask(key)} ${check}; nothing saved: with --emulator, login never writes the config file`);
}

interface Verification {
  baseUrl: string;
  voices: number;
  ms: number;
}

/** One voices call with the new key; 401/403 becomes KeyRejectedError, anything else says nothing was saved. */
async function verifyKey(key: string, flags: LoginFlags): Promise<Verification> {
  const { openContext } = await import('../context.js');
  const { listVoices } = await import('../../voices/list.js');
  const { interruptSignal } = await import('../interrupt.js');
  // The key goes in through the environment slot, not --api-key, so openContext does not warn
  // about a flag the user never typed; it still outranks any key already in the config file.
  const context = await openContext({ ...flags, apiKey: undefined }, { ...process.env, INWORLD_API_KEY: key });
  const started = monotonicMs();
  try {
    const voices = await listVoices(context.client, { signal: interruptSignal() });
    const ms = Math.round(monotonicMs() - started);
    // The key's own voices are now known: shell completion of --voice can offer them.
    const { cacheVoiceIds } = await import('../voices/voice-cache.js');
    const { emulatorRequested } = await import('../context.js');
    await cacheVoiceIds(voices, emulatorRequested(flags));
    return { baseUrl: context.client.connection.baseUrl.href, voices: voices.length, ms };
  } catch (error) {
    if (error instanceof AuthenticationError || error instanceof PermissionDeniedError) {
      throw new KeyRejectedError(`The API rejected this key (HTTP ${error.status ?? (error instanceof AuthenticationError ? 401 : 403)}); nothing was saved`, {
        hint: `Copy the "Basic (Base64)" key again from ${API_KEYS_URL} and rerun \`inworld login\``,
        cause: error,
      });
    }
    if (error instanceof InworldError && !(error instanceof ValidationError) && !(error instanceof UserAbortError)) {
      throw new InworldError(`Could not verify the key: ${error.message}; nothing was saved`, {
        hint: error.hint ?? 'Check your network (or --base-url), or save it unchecked with --no-verify',
        cause: error,
      });
    }
    throw error;
  } finally {
    await context.close();
  }
}
