// `inworld voices`: lists voices as a table (or JSON for scripts), and caches the ids for shell
// completion of --voice (voice-cache.ts).
import { Command, Option } from 'commander';
import type { Voice } from '../../voices/types.js';
import { interruptSignal } from '../interrupt.js';
import { addGlobalOptions, type GlobalOptions } from '../options.js';
import { renderTable, type Column } from '../table.js';
import { note } from '../ui.js';

interface VoicesFlags extends GlobalOptions {
  lang?: string;
  json?: boolean;
  legacy?: boolean;
  preview?: string;
  output?: string;
}

/** What `--preview` says: short, with a question and a number, so pace and prosody show. */
export const PREVIEW_TEXT = 'Hi, this is a preview of my voice. How does it sound? I can read 42 things at once.';

const COLUMNS: Column<Voice>[] = [
  { header: 'ID', value: (voice) => voice.id },
  { header: 'NAME', value: (voice) => voice.displayName },
  { header: 'LANGUAGES', value: (voice) => voice.languages.join(',') },
  { header: 'GENDER', value: (voice) => (voice.gender ?? '').toLowerCase() },
  { header: 'AGE', value: (voice) => (voice.ageGroup ?? '').toLowerCase().replace(/_/g, ' ') },
  { header: 'DESCRIPTION', value: (voice) => voice.description ?? '' },
];

export function voicesCommand(): Command {
  const command = new Command('voices')
    .description('list the voices available to your key')
    .addOption(new Option('--lang <code>', 'only voices for this language (en, en-US, ja, …)'))
    .addOption(new Option('--json', 'print the voices as a JSON array'))
    .addOption(new Option('--legacy', 'use the legacy GET /tts/v1/voices endpoint only'))
    .addOption(new Option('--preview <voice>', 'speak a sample sentence in this voice'))
    .addOption(new Option('-o, --output <path>', 'with --preview: write the sample to a file instead of playing it'));
  addGlobalOptions(command);
  return command
    .addHelpText(
      'after',
      `
Examples:
  $ inworld voices
  $ inworld voices --lang ja
  $ inworld voices --json | jq -r '.[].id'
  $ inworld voices --preview Dennis`,
    )
    .action(async (flags: VoicesFlags) => {
      if (flags.preview !== undefined) {
        const { runSay } = await import('../synthesis/say.js');
        const { DEFAULT_MODEL } = await import('../synthesis/synthesis-flags.js');
        await runSay([PREVIEW_TEXT], { ...flags, voice: flags.preview, model: DEFAULT_MODEL, output: flags.output });
        return;
      }
      const { emulatorRequested, openContext } = await import('../context.js');
      const { listVoices } = await import('../../voices/list.js');
      const { cacheVoiceIds } = await import('./voice-cache.js');
      const context = await openContext(flags);
      try {
        const voices = await listVoices(context.client, { language: flags.lang, legacyOnly: flags.legacy, signal: interruptSignal() });
        if (!flags.lang) await cacheVoiceIds(voices, emulatorRequested(flags));
        if (flags.json) {
          process.stdout.write(`${JSON.stringify(voices, null, 2)}\n`);
        } else if (voices.length === 0) {
          note(`No voices${flags.lang ? ` for language ${flags.lang}` : ''}.`);
        } else {
          const width = process.stdout.isTTY ? process.stdout.columns ?? 0 : 0;
          process.stdout.write(renderTable(voices, COLUMNS, width));
        }
      } finally {
        await context.close();
      }
    });
}
