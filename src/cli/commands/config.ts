// Placeholder until the config command lands.
import { Command } from 'commander';

export function configCommand(): Command {
  return new Command('config').description('(not yet available)').action(() => {
    throw new Error('inworld config is not implemented yet');
  });
}
