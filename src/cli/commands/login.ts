// Placeholder until the login command lands.
import { Command } from 'commander';

export function loginCommand(): Command {
  return new Command('login').description('(not yet available)').action(() => {
    throw new Error('inworld login is not implemented yet');
  });
}
