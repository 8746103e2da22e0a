// Placeholder until the completion command lands; replaced by its own issue's work.
import { Command } from 'commander';

export function completionCommand(): Command {
  return new Command('completion').description('(not yet available)').action(() => {
    throw new Error('inworld completion is not implemented yet');
  });
}
