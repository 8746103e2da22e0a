// `inworld pronunciations list`: every dictionary in the workspace (all pages), as a table or JSON.
import { Command } from 'commander';
import { note } from '../ui.js';
import { addPronunciationOptions, openSession, printJson, type PronunciationFlags } from './common.js';

export function listCommand(): Command {
  const command = new Command('list').description('list the pronunciation dictionaries in the workspace');
  addPronunciationOptions(command, 'print the dictionaries (with their entries) as a JSON array');
  return command.action(async (flags: PronunciationFlags) => {
    const [{ listDictionaries }, { dictionaryTable }] = await Promise.all([import('../../pronunciations/dictionaries.js'), import('./render.js')]);
    const session = await openSession(flags);
    try {
      const dictionaries = await listDictionaries(session.client, session.workspace, { signal: session.signal });
      if (flags.json) printJson(dictionaries);
      else if (dictionaries.length === 0) note(`No pronunciation dictionaries in workspace ${session.workspace}; make one with \`inworld pronunciations create <name>\`.`, flags);
      else process.stdout.write(dictionaryTable(dictionaries));
    } finally {
      await session.close();
    }
  });
}
