// What every voice subcommand shares: its global flags and `--json`, the client it runs with, the
// hint after a refusal by the Voice API, and the refreshed voice cache after a change.
import { Option, type Command } from 'commander';
import type { CommandContext } from '../context.js';
import type { VoiceAction } from '../failure-hints.js';
import { addGlobalOptions, type GlobalOptions } from '../options.js';

export interface VoiceFlags extends GlobalOptions {
  json?: boolean;
}

/** Adds `--json` and the flags every command takes. */
export function voiceSubcommand(command: Command, jsonHelp: string): Command {
  command.addOption(new Option('--json', jsonHelp));
  return addGlobalOptions(command);
}

export interface VoiceRun {
  context: CommandContext;
  fromEmulator: boolean;
  /** Lists the voices again and rewrites the completion cache (after a change). */
  refreshCache(): Promise<void>;
}

/** Opens the client, runs the command, adds the refusal hint to a Voice API failure, closes. */
export async function runVoiceCommand(flags: VoiceFlags, action: VoiceAction, voiceId: string | undefined, run: (voice: VoiceRun) => Promise<void>): Promise<void> {
  const { emulatorRequested, openContext } = await import('../context.js');
  const { withVoiceRefusalHint } = await import('../failure-hints.js');
  const { refreshVoiceCache } = await import('./voice-cache.js');
  const context = await openContext(flags);
  const fromEmulator = emulatorRequested(flags);
  try {
    await run({ context, fromEmulator, refreshCache: async () => void (await refreshVoiceCache(context.client, fromEmulator)) });
  } catch (error) {
    throw withVoiceRefusalHint(error, action, voiceId);
  } finally {
    await context.close();
  }
}
