// `inworld voices show <id>`: one voice in detail (or as JSON). An id this key cannot see is bad
// input with a "did you mean", found before the voice itself is asked for.
import { Argument, Command } from 'commander';
import { interruptSignal } from '../interrupt.js';
import { runVoiceCommand, voiceSubcommand, type VoiceFlags } from './voice-command.js';

export function showCommand(): Command {
  const command = new Command('show')
    .description('show one voice: name, languages, gender, age, tags, description')
    .addArgument(new Argument('<voice-id>', 'the voice id (case-sensitive)'));
  return voiceSubcommand(command, 'print the voice as a JSON object')
    .addHelpText('after', `
Examples:
  $ inworld voices show Ashley
  $ inworld voices show my_workspace__grandma --json`)
    .action(async (voiceId: string, flags: VoiceFlags) => {
      await runVoiceCommand(flags, 'show', voiceId, async ({ context, fromEmulator }) => {
        const { checkVoiceId, getVoice } = await import('../../voices/manage.js');
        const { requireKnownVoice } = await import('./known-voice.js');
        const { printJson, printVoice } = await import('./voice-output.js');
        const id = checkVoiceId(voiceId);
        await requireKnownVoice(context.client, id, fromEmulator);
        const voice = await getVoice(context.client, id, { signal: interruptSignal() });
        if (flags.json) printJson(voice);
        else printVoice(voice);
      });
    });
}
