// `inworld voices design "<description>" --preview-text <text>`: one to three previews of a voice
// described in words, each written to a file (-o) or played, with the id to publish it by;
// `--publish <n> --name <name>` publishes one of them straight away.
import { Argument, Command, Option } from 'commander';
import { ValidationError } from '../../core/errors.js';
import { interruptSignal } from '../interrupt.js';
import { numberInRange } from '../options.js';
import { note } from '../ui.js';
import { runVoiceCommand, voiceSubcommand, type VoiceFlags } from './voice-command.js';

interface DesignFlags extends VoiceFlags {
  previewText?: string;
  samples?: number;
  lang?: string;
  output?: string;
  publish?: number;
  name?: string;
  description?: string;
  tags?: string;
}

function checkFlags(description: string, flags: DesignFlags, stdoutIsTTY: boolean): void {
  if (flags.previewText === undefined) throw new ValidationError('Give what the previews should say with --preview-text "<text>"');
  const samples = flags.samples ?? 1;
  if (flags.publish !== undefined) {
    if (!Number.isInteger(flags.publish) || flags.publish < 1 || flags.publish > samples) {
      throw new ValidationError(`--publish ${flags.publish} names no preview: there ${samples === 1 ? 'is 1' : `are ${samples}`} (see --samples)`);
    }
    if (flags.name === undefined) throw new ValidationError('--publish needs the new voice\'s name: add --name "<display name>"');
  } else if (flags.name !== undefined || flags.tags !== undefined || flags.description !== undefined) {
    throw new ValidationError('--name, --description and --tags name a published voice: add --publish <n>, or publish later with `inworld voices publish`');
  }
  if (flags.output === undefined && !stdoutIsTTY && !flags.json) {
    throw new ValidationError('Where should the previews go? Give -o <directory or file>, or run on a terminal to hear them');
  }
  if (description.trim() === '') throw new ValidationError('The voice description is empty; describe the voice (gender, age, accent, pitch, pace, tone)');
}

export function designCommand(): Command {
  const command = new Command('design')
    .description('design a voice from a description: previews to listen to, one of which you can publish')
    .addArgument(new Argument('<description>', 'the voice in words: gender, age, accent, pitch, pace, tone, timbre'))
    .addOption(new Option('--preview-text <text>', 'what the previews say (required)'))
    .addOption(new Option('--samples <n>', 'how many previews, 1 to 3 (default 1)').argParser(numberInRange('--samples', 1, 3)))
    .addOption(new Option('--lang <code>', 'language of the voice (en-US, en-GB, es-ES, …; default: the service decides)'))
    .addOption(new Option('-o, --output <path>', 'a directory, a file (numbered when several), or a pattern with {n} and {id}'))
    .addOption(new Option('--publish <n>', 'publish preview number n (1 to --samples) as a voice').argParser(numberInRange('--publish', 1, 3)))
    .addOption(new Option('--name <name>', 'with --publish: the voice\'s display name'))
    .addOption(new Option('--description <text>', 'with --publish: a description to save (default: the design description)'))
    .addOption(new Option('--tags <a,b>', 'with --publish: comma-separated tags'));
  return voiceSubcommand(command, 'print the previews (id, file) and any published voice as JSON')
    .addHelpText('after', `
Previews expire unless published. Without -o they are played, one after the other.

Examples:
  $ inworld voices design "A calm older British man, low and gravelly, slow pace" --preview-text "Good evening." --samples 3 -o previews/
  $ inworld voices design "A bright young woman, quick and playful" --preview-text "Ready?" -o 'take-{n}.mp3' --publish 1 --name Sparky`)
    .action(async (description: string, flags: DesignFlags) => {
      checkFlags(description, flags, process.stdout.isTTY === true);
      const { designBody, designVoice, publishVoice } = await import('../../voices/design.js');
      const { voiceEditBody } = await import('../../voices/manage.js');
      const { parseTags, printJson } = await import('./voice-output.js');
      const request = { designPrompt: description, previewText: flags.previewText!, numberOfSamples: flags.samples ?? 1, langCode: flags.lang };
      designBody(request);
      const tags = flags.tags !== undefined ? parseTags(flags.tags) : undefined;
      const edit = { displayName: flags.name, description: flags.description ?? description.trim().slice(0, 1000), tags };
      if (flags.publish !== undefined) voiceEditBody(edit);
      const previews = await import('./design-previews.js');
      if (flags.output !== undefined) await previews.prepareOutput(flags.output);
      await runVoiceCommand(flags, 'design', undefined, async ({ context, refreshCache }) => {
        const signal = interruptSignal();
        const call = flags.timeout !== undefined ? { signal, timeoutMs: flags.timeout } : { signal };
        const design = await designVoice(context.client, request, call);
        const files = flags.output !== undefined ? await previews.writePreviews(flags.output, design.previews) : [];
        design.previews.forEach((preview, index) => {
          note(`Preview ${index + 1}: ${preview.id}${files[index] ? ` → ${files[index]}` : ''}`, flags);
        });
        if (flags.output === undefined && !flags.json) {
          for (const [index, preview] of design.previews.entries()) {
            note(`Playing preview ${index + 1} (${preview.id})…`, flags);
            await previews.playPreview(preview, signal);
          }
        }
        let published;
        if (flags.publish !== undefined) {
          const chosen = design.previews[flags.publish - 1];
          if (!chosen) throw new ValidationError(`The service sent ${design.previews.length} previews; there is no preview ${flags.publish} to publish`);
          published = await publishVoice(context.client, chosen.id, { ...edit, displayName: flags.name! }, call);
          await refreshCache();
          note(`Published preview ${flags.publish} as "${published.displayName}": voice id ${published.id}`, flags);
        }
        if (flags.json) {
          printJson({
            langCode: design.langCode,
            previews: design.previews.map((preview, index) => ({ id: preview.id, previewText: preview.previewText, bytes: preview.audio.length, ...(files[index] ? { file: files[index] } : {}) })),
            ...(published ? { published } : {}),
          });
        } else if (published) {
          process.stdout.write(`${published.id}\n`);
        } else {
          note('Publish one with `inworld voices publish <preview id> --name "<name>"`; previews expire unless published.', flags);
        }
      });
    });
}
