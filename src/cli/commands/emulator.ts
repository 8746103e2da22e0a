// Placeholder until the emulator command lands.
import { Command } from 'commander';

export function emulatorCommand(): Command {
  return new Command('emulator').description('(not yet available)').action(() => {
    throw new Error('inworld emulator is not implemented yet');
  });
}
