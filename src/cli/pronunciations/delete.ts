// `inworld pronunciations delete <name> [--yes]`: a dictionary and its entries deleted, with the
// etag just read (asks first on a terminal; scripts pass --yes).
import { Argument, Command, Option } from 'commander';
import { ValidationError } from '../../core/errors.js';
import { note } from '../ui.js';
import { addPronunciationOptions, openSession, printJson, type PronunciationFlags } from './common.js';

interface DeleteFlags extends PronunciationFlags {
  yes?: boolean;
}

export function deleteCommand(): Command {
  const command = new Command('delete')
    .description('delete a dictionary and all its entries')
    .addArgument(new Argument('<name>', 'display name, id or resource name of the dictionary'))
    .addOption(new Option('-y, --yes', 'do not ask (needed when standard input is not a terminal)'));
  addPronunciationOptions(command, 'print {"deleted": <resource name>} on stdout');
  return command.action(async (name: string, flags: DeleteFlags) => {
    const [{ deleteDictionary }, { StaleEtagError }, { findDictionary }, { describeDictionary }] = await Promise.all([
      import('../../pronunciations/dictionaries.js'),
      import('../../pronunciations/errors.js'),
      import('./find-dictionary.js'),
      import('./render.js'),
    ]);
    if (!flags.yes && !process.stdin.isTTY) {
      throw new ValidationError(`Not deleting "${name}" without asking: standard input is not a terminal`, { hint: 'Pass --yes to delete it' });
    }
    const session = await openSession(flags);
    try {
      const dictionary = await findDictionary(session.client, session.workspace, name, session.signal);
      if (!flags.yes) {
        const { confirm } = await import('../prompt.js');
        if (!(await confirm(`Delete ${describeDictionary(dictionary)}?`))) {
          note('Not deleted.', flags);
          return;
        }
      }
      try {
        // With the etag read above, so what goes is what was shown.
        await deleteDictionary(session.client, session.workspace, dictionary.name, { etag: dictionary.etag, signal: session.signal });
      } catch (error) {
        if (error instanceof StaleEtagError) {
          throw Object.assign(error, { hint: 'Conflict: it changed after it was read, so it was not deleted; run the command again to delete it as it is now' });
        }
        throw error;
      }
      if (flags.json) printJson({ deleted: dictionary.name });
      else note(`Deleted ${describeDictionary(dictionary)}.`, flags);
    } finally {
      await session.close();
    }
  });
}
