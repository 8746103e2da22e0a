// Placeholder until the voices command lands.
import { Command } from 'commander';

export function voicesCommand(): Command {
  return new Command('voices').description('(not yet available)').action(() => {
    throw new Error('inworld voices is not implemented yet');
  });
}
