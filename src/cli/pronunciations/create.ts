// `inworld pronunciations create <name> [--from file]`: a new dictionary, empty or imported from
// CSV or JSON. The file is checked whole before anything is sent, and a name already used in the
// workspace is refused (names are how the other subcommands find a dictionary). Create has no
// idempotency key and is sent once: when its answer is lost, the list says whether it happened.
import { Argument, Command, Option } from 'commander';
import type { InworldClient } from '../../core/client.js';
import { APIError, InworldError, UserAbortError, ValidationError } from '../../core/errors.js';
import type { PronunciationDictionary } from '../../pronunciations/types.js';
import { note } from '../ui.js';
import { addPronunciationOptions, openSession, printJson, type PronunciationFlags } from './common.js';

interface CreateFlags extends PronunciationFlags {
  from?: string;
}

export function createCommand(): Command {
  const command = new Command('create')
    .description('create a dictionary, empty or with the entries of a CSV or JSON file')
    .addArgument(new Argument('<name>', 'display name of the new dictionary (at most 64 characters)'))
    .addOption(new Option('--from <file>', 'import entries: CSV lines headword,language,ipa, or a JSON array of entries'));
  addPronunciationOptions(command, 'print the new dictionary as a JSON object');
  return command
    .addHelpText(
      'after',
      `
Examples:
  $ inworld pronunciations create Produce
  $ inworld pronunciations create Brands --from brands.csv      # tomato,en-US,/təˈmeɪtoʊ/`,
    )
    .action(async (name: string, flags: CreateFlags) => {
      const [{ checkDisplayName }, { readEntriesFile }] = await Promise.all([import('../../pronunciations/validate.js'), import('./entries-file.js')]);
      const displayName = checkDisplayName(name);
      const entries = flags.from === undefined ? [] : await readEntriesFile(flags.from);
      const { createDictionary, failedBeforeSending, listDictionaries } = await import('../../pronunciations/dictionaries.js');
      const session = await openSession(flags);
      try {
        const existing = (await listDictionaries(session.client, session.workspace, { signal: session.signal })).find(
          (dictionary) => dictionary.displayName.toLowerCase() === displayName.toLowerCase(),
        );
        if (existing) {
          throw new ValidationError(`A dictionary named "${existing.displayName}" already exists in workspace ${session.workspace} (id ${existing.id})`, {
            hint: 'Choose another name, or add to it with `inworld pronunciations add`',
          });
        }
        let created: PronunciationDictionary;
        try {
          created = await createDictionary(session.client, session.workspace, { displayName, entries }, { signal: session.signal });
        } catch (error) {
          if (error instanceof UserAbortError || failedBeforeSending(error) || (error instanceof APIError && error.status !== undefined)) throw error;
          throw await afterLostAnswer(error, session.client, session.workspace, displayName);
        }
        if (flags.json) printJson(created);
        else {
          note(`Created "${created.displayName}" with ${created.entries.length} entr${created.entries.length === 1 ? 'y' : 'ies'} (id ${created.id}).`, flags);
          process.stdout.write(`${created.name}\n`);
        }
      } finally {
        await session.close();
      }
    });
}

/** The create was sent but its answer never came: say whether the dictionary exists now. */
async function afterLostAnswer(error: unknown, client: InworldClient, workspace: string, displayName: string): Promise<unknown> {
  const { listDictionaries } = await import('../../pronunciations/dictionaries.js');
  const reason = error instanceof Error ? error.message : String(error);
  let found: PronunciationDictionary | undefined;
  try {
    found = (await listDictionaries(client, workspace)).find((dictionary) => dictionary.displayName === displayName);
  } catch {
    return new InworldError(`The create request got no answer (${reason}), and the dictionary list could not be read to check it`, {
      cause: error,
      hint: 'It may have been created: check `inworld pronunciations list` before running the command again',
    });
  }
  if (found) {
    return new InworldError(`The create request got no answer (${reason}), but dictionary "${displayName}" exists now (id ${found.id}): it was created`, {
      cause: error,
      hint: 'Do not create it again; see it with `inworld pronunciations show`',
    });
  }
  return new InworldError(`The create request got no answer (${reason}) and no dictionary "${displayName}" exists, so nothing was created`, {
    cause: error,
    hint: 'It is safe to run the command again',
  });
}
