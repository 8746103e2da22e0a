// `inworld pronunciations add <name> <headword> <ipa> [--lang]`: one entry added (or an entry for
// the same word and language replaced), as a read of the dictionary and a write with its etag.
import { Argument, Command, Option } from 'commander';
import { languageFlag } from '../language-code.js';
import { note } from '../ui.js';
import { addPronunciationOptions, openSession, printJson, type PronunciationFlags } from './common.js';

/** The language an entry gets when --lang is not given. */
export const DEFAULT_ENTRY_LANGUAGE = 'en-US';

interface AddFlags extends PronunciationFlags {
  lang: string;
}

export function addCommand(): Command {
  const command = new Command('add')
    .description('add an entry to a dictionary (or replace the entry for that word)')
    .addArgument(new Argument('<name>', 'display name, id or resource name of the dictionary'))
    .addArgument(new Argument('<headword>', 'the word as written, e.g. tomato'))
    .addArgument(new Argument('<ipa>', 'its pronunciation in IPA, e.g. /təˈmeɪtoʊ/ (or symbols separated by spaces)'))
    .addOption(new Option('--lang <bcp47>', 'language of the entry').default(DEFAULT_ENTRY_LANGUAGE).argParser(languageFlag('--lang')));
  addPronunciationOptions(command, 'print the updated dictionary as a JSON object');
  return command
    .addHelpText(
      'after',
      `
Examples:
  $ inworld pronunciations add Produce tomato /təˈmeɪtoʊ/
  $ inworld pronunciations add Produce tomate "t o m a t e" --lang es-ES`,
    )
    .action(async (name: string, headword: string, ipa: string, flags: AddFlags) => {
      const [{ parseIpa }, { checkEntry, entryKey }, { addEntries }, { findDictionary }, { describeDictionary, describeEntry }] = await Promise.all([
        import('../../pronunciations/ipa.js'),
        import('../../pronunciations/validate.js'),
        import('../../pronunciations/dictionaries.js'),
        import('./find-dictionary.js'),
        import('./render.js'),
      ]);
      const entry = { displayHeadword: headword.trim(), languageCode: flags.lang, phoneSymbols: parseIpa(ipa) };
      checkEntry(entry, `The entry "${headword}"`);
      const session = await openSession(flags);
      try {
        const dictionary = await findDictionary(session.client, session.workspace, name, session.signal);
        const replaced = dictionary.entries.find((existing) => entryKey(existing) === entryKey(entry));
        const saved = await addEntries(session.client, session.workspace, dictionary.name, [entry], { signal: session.signal });
        if (flags.json) printJson(saved);
        else note(`${replaced ? `Replaced ${describeEntry(replaced)} with` : 'Added'} ${describeEntry(entry)} in ${describeDictionary(saved)}.`, flags);
      } finally {
        await session.close();
      }
    });
}
