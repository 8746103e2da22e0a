// Placeholder until the doctor command lands.
import { Command } from 'commander';

export function doctorCommand(): Command {
  return new Command('doctor').description('(not yet available)').action(() => {
    throw new Error('inworld doctor is not implemented yet');
  });
}
