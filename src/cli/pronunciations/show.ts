// `inworld pronunciations show <name>`: one dictionary's entries, as a table or JSON.
import { Argument, Command } from 'commander';
import { note } from '../ui.js';
import { addPronunciationOptions, openSession, printJson, type PronunciationFlags } from './common.js';

export function showCommand(): Command {
  const command = new Command('show')
    .description('show the entries of a dictionary')
    .addArgument(new Argument('<name>', 'display name, id or resource name of the dictionary'));
  addPronunciationOptions(command, 'print the dictionary as a JSON object');
  return command.action(async (name: string, flags: PronunciationFlags) => {
    const [{ findDictionary }, { describeDictionary, entryTable }] = await Promise.all([import('./find-dictionary.js'), import('./render.js')]);
    const session = await openSession(flags);
    try {
      const dictionary = await findDictionary(session.client, session.workspace, name, session.signal);
      if (flags.json) {
        printJson(dictionary);
        return;
      }
      note(`${describeDictionary(dictionary)}: ${dictionary.name}`, flags);
      if (dictionary.entries.length > 0) process.stdout.write(entryTable(dictionary.entries));
      else note('No entries yet; add one with `inworld pronunciations add <name> <headword> <ipa>`.', flags);
    } finally {
      await session.close();
    }
  });
}
