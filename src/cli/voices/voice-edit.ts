// `inworld voices publish <preview-id> --name …`, `voices update <id> [--name] [--description]
// [--tags]` and `voices delete <id>` (asked on a terminal; --yes otherwise). Update and delete
// check the id against the voice list first, so a typo is bad input with a "did you mean".
import { Argument, Command, Option } from 'commander';
import { ValidationError } from '../../core/errors.js';
import { interruptSignal } from '../interrupt.js';
import { note } from '../ui.js';
import { runVoiceCommand, voiceSubcommand, type VoiceFlags } from './voice-command.js';

interface EditFlags extends VoiceFlags {
  name?: string;
  description?: string;
  tags?: string;
  yes?: boolean;
}

const idArgument = (what: string) => new Argument('<voice-id>', what);

function editOf(flags: EditFlags, parseTags: (text: string) => string[]) {
  return { displayName: flags.name, description: flags.description, tags: flags.tags !== undefined ? parseTags(flags.tags) : undefined };
}

function editOptions(command: Command): Command {
  return command
    .addOption(new Option('--name <name>', 'display name'))
    .addOption(new Option('--description <text>', 'description'))
    .addOption(new Option('--tags <a,b>', 'comma-separated tags (replaces the current ones; "" clears them)'));
}

export function publishCommand(): Command {
  const command = editOptions(new Command('publish').description('publish a design preview as a voice of your workspace').addArgument(idArgument('the preview id `voices design` printed')));
  return voiceSubcommand(command, 'print the published voice as JSON')
    .addHelpText('after', `
Examples:
  $ inworld voices publish my_workspace__design_3f9a01c2b4 --name "Late Show Host" --tags narrator`)
    .action(async (previewId: string, flags: EditFlags) => {
      const { publishVoice } = await import('../../voices/design.js');
      const { checkVoiceId, voiceEditBody } = await import('../../voices/manage.js');
      const { parseTags, printJson } = await import('./voice-output.js');
      const id = checkVoiceId(previewId);
      if (flags.name === undefined) throw new ValidationError('A published voice needs a name: add --name "<display name>"');
      const edit = editOf(flags, parseTags);
      voiceEditBody(edit);
      await runVoiceCommand(flags, 'publish', id, async ({ context, refreshCache }) => {
        const voice = await publishVoice(context.client, id, { ...edit, displayName: flags.name! }, { signal: interruptSignal() });
        await refreshCache();
        if (flags.json) printJson(voice);
        else {
          process.stdout.write(`${voice.id}\n`);
          note(`Published "${voice.displayName}": voice id ${voice.id}`, flags);
        }
      });
    });
}

export function updateCommand(): Command {
  const command = editOptions(new Command('update').description('change the name, description or tags of one of your voices').addArgument(idArgument('the voice id')));
  return voiceSubcommand(command, 'print the updated voice as JSON')
    .addHelpText('after', `
Examples:
  $ inworld voices update my_workspace__grandma --name "Grandma (bedtime)" --tags warm,slow`)
    .action(async (voiceId: string, flags: EditFlags) => {
      const { checkVoiceId, updateVoice, voiceEditBody } = await import('../../voices/manage.js');
      const { parseTags, printJson, printVoice } = await import('./voice-output.js');
      const id = checkVoiceId(voiceId);
      const edit = editOf(flags, parseTags);
      if (Object.keys(voiceEditBody(edit)).length === 0) throw new ValidationError('Nothing to change: give --name, --description or --tags');
      await runVoiceCommand(flags, 'update', id, async ({ context, fromEmulator, refreshCache }) => {
        const { requireKnownVoice } = await import('./known-voice.js');
        await requireKnownVoice(context.client, id, fromEmulator);
        const voice = await updateVoice(context.client, id, edit, { signal: interruptSignal() });
        await refreshCache();
        if (flags.json) printJson(voice);
        else printVoice(voice);
      });
    });
}

export function deleteCommand(): Command {
  const command = new Command('delete')
    .description('delete one of your voices (asks first on a terminal; --yes otherwise)')
    .addArgument(idArgument('the voice id'))
    .addOption(new Option('-y, --yes', 'delete without asking'));
  return voiceSubcommand(command, 'print {"deleted": "<id>"} when done')
    .addHelpText('after', `
Examples:
  $ inworld voices delete my_workspace__old_test
  $ inworld voices delete my_workspace__old_test --yes --json`)
    .action(async (voiceId: string, flags: EditFlags) => {
      const { checkVoiceId, deleteVoice } = await import('../../voices/manage.js');
      const id = checkVoiceId(voiceId);
      const ask = flags.yes !== true;
      if (ask && !process.stdin.isTTY) throw new ValidationError(`Deleting ${id} cannot be undone and there is no terminal to ask: add --yes`);
      await runVoiceCommand(flags, 'delete', id, async ({ context, fromEmulator, refreshCache }) => {
        const { requireKnownVoice } = await import('./known-voice.js');
        await requireKnownVoice(context.client, id, fromEmulator);
        if (ask) {
          const { confirm } = await import('../prompt.js');
          if (!(await confirm(`Delete the voice ${id}? This cannot be undone.`))) {
            note('Nothing deleted.', flags);
            return;
          }
        }
        await deleteVoice(context.client, id, { signal: interruptSignal() });
        await refreshCache();
        if (flags.json) process.stdout.write(`${JSON.stringify({ deleted: id })}\n`);
        else note(`Deleted ${id}.`, flags);
      });
    });
}
