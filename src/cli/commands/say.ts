// Placeholder until the say command lands.
import { Command } from 'commander';

export function sayCommand(): Command {
  return new Command('say').description('(not yet available)').action(() => {
    throw new Error('inworld say is not implemented yet');
  });
}
