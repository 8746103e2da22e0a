// `inworld pronunciations list|show|create|add|remove|delete`: named pronunciation dictionaries,
// the words TTS-2 says the way they list (`say --pronunciation-dict <name>`).
import { Command } from 'commander';
import { addCommand } from './add.js';
import { createCommand } from './create.js';
import { deleteCommand } from './delete.js';
import { listCommand } from './list.js';
import { removeCommand } from './remove.js';
import { showCommand } from './show.js';

export function pronunciationsCommand(): Command {
  return new Command('pronunciations')
    .description('manage pronunciation dictionaries (headword, language, IPA) for TTS-2')
    .addCommand(listCommand())
    .addCommand(showCommand())
    .addCommand(createCommand())
    .addCommand(addCommand())
    .addCommand(removeCommand())
    .addCommand(deleteCommand())
    .addHelpText(
      'after',
      `
A dictionary is named by its display name, its id, or its resource name
(workspaces/{workspace}/pronunciationDictionaries/{id}). The workspace comes from
--workspace, else INWORLD_WORKSPACE_ID, else "default".

Examples:
  $ inworld pronunciations create Produce --from produce.csv
  $ inworld pronunciations add Produce tomato /təˈmeɪtoʊ/
  $ inworld pronunciations show Produce
  $ inworld say "I say tomato." --model inworld-tts-2 --pronunciation-dict Produce -o tomato.wav
  $ inworld pronunciations remove Produce tomato
  $ inworld pronunciations delete Produce --yes`,
    );
}
