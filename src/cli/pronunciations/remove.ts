// `inworld pronunciations remove <name> <headword> [--lang]`: the entries for a word taken out, as
// a read of the dictionary and a write with its etag. A word the dictionary does not hold is bad
// input: nothing is written.
import { Argument, Command, Option } from 'commander';
import { ValidationError } from '../../core/errors.js';
import { languageFlag } from '../language-code.js';
import { note } from '../ui.js';
import { addPronunciationOptions, openSession, printJson, type PronunciationFlags } from './common.js';

interface RemoveFlags extends PronunciationFlags {
  lang?: string;
}

export function removeCommand(): Command {
  const command = new Command('remove')
    .description('remove the entries for a word from a dictionary')
    .addArgument(new Argument('<name>', 'display name, id or resource name of the dictionary'))
    .addArgument(new Argument('<headword>', 'the word whose entries go (any case)'))
    .addOption(new Option('--lang <bcp47>', 'only the entry in this language (default: every language)').argParser(languageFlag('--lang')));
  addPronunciationOptions(command, 'print the updated dictionary as a JSON object');
  return command.action(async (name: string, headword: string, flags: RemoveFlags) => {
    const [{ removeEntries }, { findDictionary }, { describeDictionary, describeEntry }, { nearestIds }] = await Promise.all([
      import('../../pronunciations/dictionaries.js'),
      import('./find-dictionary.js'),
      import('./render.js'),
      import('../voices/voice-suggest.js'),
    ]);
    if (headword.trim() === '') throw new ValidationError('The headword is empty; give the word whose entry goes.');
    const session = await openSession(flags);
    try {
      const dictionary = await findDictionary(session.client, session.workspace, name, session.signal);
      const selector = { displayHeadword: headword, ...(flags.lang ? { languageCode: flags.lang } : {}) };
      const { dictionary: saved, removed } = await removeEntries(session.client, session.workspace, dictionary.name, [selector], { signal: session.signal });
      if (removed.length === 0) {
        const near = nearestIds(headword, [...new Set(saved.entries.map((entry) => entry.displayHeadword))]);
        throw new ValidationError(`${describeDictionary(saved)} has no entry for "${headword}"${flags.lang ? ` in ${flags.lang}` : ''}; nothing was changed`, {
          hint: near.length > 0 ? `Did you mean ${near.map((word) => `"${word}"`).join(' or ')}?` : 'See its entries with `inworld pronunciations show`',
        });
      }
      if (flags.json) printJson(saved);
      else note(`Removed ${removed.map(describeEntry).join(', ')} from ${describeDictionary(saved)}.`, flags);
    } finally {
      await session.close();
    }
  });
}
