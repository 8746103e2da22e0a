// What every `inworld pronunciations` subcommand shares: the workspace (flag, then
// INWORLD_WORKSPACE_ID, then `default`), --json, the global options, and the client to call with.
import { Option, type Command } from 'commander';
import type { InworldClient } from '../../core/client.js';
import { DEFAULT_WORKSPACE, WORKSPACE_ENV_VAR } from '../../pronunciations/protocol.js';
import { addGlobalOptions, type GlobalOptions } from '../options.js';

export interface PronunciationFlags extends GlobalOptions {
  workspace?: string;
  json?: boolean;
}

/** The workspace dictionaries live in: --workspace, then INWORLD_WORKSPACE_ID, then `default`. */
export function workspaceOf(flags: { workspace?: string }, env: NodeJS.ProcessEnv = process.env): string {
  return flags.workspace?.trim() || env[WORKSPACE_ENV_VAR]?.trim() || DEFAULT_WORKSPACE;
}

/** Adds --workspace, --json and the global options to a subcommand. */
export function addPronunciationOptions(command: Command, json = 'print the result as JSON on stdout'): Command {
  command
    .addOption(new Option('--workspace <id>', `workspace of the dictionaries (else env ${WORKSPACE_ENV_VAR}, else "${DEFAULT_WORKSPACE}")`))
    .addOption(new Option('--json', json));
  return addGlobalOptions(command);
}

export interface DictionarySession {
  client: InworldClient;
  workspace: string;
  signal: AbortSignal;
  close(): Promise<void>;
}

/** Opens the client (or the in-process emulator) a subcommand runs with. */
export async function openSession(flags: PronunciationFlags): Promise<DictionarySession> {
  const [{ openContext }, { interruptSignal }] = await Promise.all([import('../context.js'), import('../interrupt.js')]);
  const context = await openContext(flags);
  return { client: context.client, workspace: workspaceOf(flags), signal: interruptSignal(), close: () => context.close() };
}

/** JSON for scripts on stdout, one document per run. */
export function printJson(value: unknown): void {
  process.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
}
