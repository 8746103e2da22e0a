// `inworld voices`: lists voices as a table (or JSON for scripts), filtered by language, gender,
// age and source, and caches the ids for shell completion of --voice (voice-cache.ts). Its
// subcommands manage voices: show, clone, design, publish, update, delete (each in its own file,
// loaded only when `voices` runs; what they import loads only when they run).
import { Command, Option } from 'commander';
import { interruptSignal } from '../interrupt.js';
import { addGlobalOptions, choiceOption, type GlobalOptions } from '../options.js';
import { note } from '../ui.js';
import { cloneCommand } from './voice-clone.js';
import { designCommand } from './voice-design.js';
import { deleteCommand, publishCommand, updateCommand } from './voice-edit.js';
import { showCommand } from './voice-show.js';

interface VoicesFlags extends GlobalOptions {
  lang?: string;
  gender?: string;
  age?: string;
  source?: 'system' | 'custom';
  json?: boolean;
  legacy?: boolean;
  preview?: string;
  output?: string;
}

/** What `--preview` says: short, with a question and a number, so pace and prosody show. */
export const PREVIEW_TEXT = 'Hi, this is a preview of my voice. How does it sound? I can read 42 things at once.';

export const GENDERS = ['female', 'male', 'neutral'] as const;
export const AGES = ['young', 'adult', 'middle-aged', 'old'] as const;
/** The age group names Inworld's own tools filter with. */
const AGE_FILTER: Record<(typeof AGES)[number], string> = { young: 'young', adult: 'adult', 'middle-aged': 'middle_aged', old: 'elderly' };

export function voicesCommand(): Command {
  const command = new Command('voices')
    .description('list the voices available to your key')
    .addOption(new Option('--lang <code>', 'only voices for this language (en, en-US, ja, …)'))
    .addOption(choiceOption('--gender <gender>', 'only voices of this gender', GENDERS))
    .addOption(choiceOption('--age <group>', 'only voices of this age group', AGES))
    .addOption(choiceOption('--source <source>', 'only built-in voices, or only your cloned and designed ones', ['system', 'custom'] as const))
    .addOption(new Option('--json', 'print the voices as a JSON array'))
    .addOption(new Option('--legacy', 'use the legacy GET /tts/v1/voices endpoint only'))
    .addOption(new Option('--preview <voice>', 'speak a sample sentence in this voice'))
    .addOption(new Option('-o, --output <path>', 'with --preview: write the sample to a file instead of playing it'));
  addGlobalOptions(command);
  // `voices show X --json`: flags after a subcommand's name are that subcommand's, not the list's.
  command.enablePositionalOptions();
  for (const sub of [showCommand(), cloneCommand(), designCommand(), publishCommand(), updateCommand(), deleteCommand()]) command.addCommand(sub);
  return command
    .addHelpText(
      'after',
      `
Examples:
  $ inworld voices
  $ inworld voices --lang ja --gender female
  $ inworld voices --source custom --json | jq -r '.[].id'
  $ inworld voices --preview Dennis
  $ inworld voices clone grandma.wav --name Grandma
  $ inworld voices design "A calm older British man" --preview-text "Good evening." -o previews/`,
    )
    .action(async (flags: VoicesFlags) => {
      if (flags.preview !== undefined) {
        const { runSay } = await import('../synthesis/say.js');
        const { DEFAULT_MODEL } = await import('../synthesis/synthesis-flags.js');
        await runSay([PREVIEW_TEXT], { ...flags, voice: flags.preview, model: DEFAULT_MODEL, output: flags.output });
        return;
      }
      const { emulatorRequested, openContext } = await import('../context.js');
      const { listVoicesDetailed } = await import('../../voices/list.js');
      const { cacheVoiceIds } = await import('./voice-cache.js');
      const { withVoiceRefusalHint } = await import('../failure-hints.js');
      const { printJson, printVoiceTable } = await import('./voice-output.js');
      const context = await openContext(flags);
      try {
        const filtered = flags.lang !== undefined || flags.gender !== undefined || flags.age !== undefined || flags.source !== undefined;
        const result = await listVoicesDetailed(context.client, {
          language: flags.lang,
          gender: flags.gender,
          ageGroup: flags.age !== undefined ? AGE_FILTER[flags.age as (typeof AGES)[number]] : undefined,
          source: flags.source,
          legacyOnly: flags.legacy,
          signal: interruptSignal(),
        });
        const voices = result.voices;
        if (result.ignoredFilters.length > 0) {
          note(`inworld: warning: the legacy voice list cannot filter by ${result.ignoredFilters.join(' or ')}; those filters were not applied`, flags);
        }
        if (!filtered) await cacheVoiceIds(voices, emulatorRequested(flags));
        if (flags.json) printJson(voices);
        else if (voices.length === 0) note(`No voices${filtered ? ' match these filters' : ''}.`);
        else printVoiceTable(voices);
      } catch (error) {
        throw withVoiceRefusalHint(error, 'list');
      } finally {
        await context.close();
      }
    });
}
