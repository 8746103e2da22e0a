// Placeholder until the transcribe command lands; replaced by its own issue's work.
import { Command } from 'commander';

export function transcribeCommand(): Command {
  return new Command('transcribe').description('(not yet available)').action(() => {
    throw new Error('inworld transcribe is not implemented yet');
  });
}
