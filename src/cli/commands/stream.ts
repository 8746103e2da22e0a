// Placeholder until the stream command lands; replaced by its own issue's work.
import { Command } from 'commander';

export function streamCommand(): Command {
  return new Command('stream').description('(not yet available)').action(() => {
    throw new Error('inworld stream is not implemented yet');
  });
}
