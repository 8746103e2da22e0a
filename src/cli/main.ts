// The CLI entry: builds the command tree and runs it through the single exit path.
import { Command, CommanderError } from 'commander';
import { VERSION } from '../core/version.js';
import { completionCommand } from './commands/completion.js';
import { configCommand } from './commands/config.js';
import { doctorCommand } from './commands/doctor.js';
import { emulatorCommand } from './commands/emulator.js';
import { loginCommand } from './commands/login.js';
import { sayCommand } from './commands/say.js';
import { streamCommand } from './commands/stream.js';
import { transcribeCommand } from './commands/transcribe.js';
import { voicesCommand } from './commands/voices.js';
import { ExitCode, fail } from './exit.js';

export function buildProgram(): Command {
  const program = new Command('inworld')
    .description("Inworld text-to-speech and speech-to-text from the terminal, with an offline emulator")
    .version(VERSION, '-V, --version')
    .addCommand(sayCommand())
    .addCommand(streamCommand())
    .addCommand(transcribeCommand())
    .addCommand(voicesCommand())
    .addCommand(emulatorCommand())
    .addCommand(configCommand())
    .addCommand(loginCommand())
    .addCommand(doctorCommand())
    .addCommand(completionCommand())
    .addHelpText(
      'after',
      `
Examples:
  $ inworld say "Hello from Inworld" -o hello.wav --emulator
  $ cat script.txt | inworld stream -o script.mp3
  $ inworld transcribe --mic
  $ inworld voices --lang en`,
    );
  applyToTree(program, (command) =>
    command.exitOverride().configureOutput({
      outputError: (text, write) => write(`inworld: ${text.replace(/^error: /, '')}`),
    }),
  );
  return program;
}

function applyToTree(command: Command, apply: (command: Command) => void): void {
  apply(command);
  for (const child of command.commands) applyToTree(child, apply);
}

export async function main(argv: string[]): Promise<void> {
  const program = buildProgram();
  try {
    await program.parseAsync(argv);
    // Pooled sockets and timers may linger after the work is done; the command's result is final.
    process.exit(ExitCode.OK);
  } catch (error) {
    if (error instanceof CommanderError) {
      // Commander has already printed help, the version, or its one-line usage error.
      process.exit(error.exitCode === 0 ? ExitCode.OK : ExitCode.USAGE);
    }
    fail(error, argv.includes('--verbose') || argv.includes('-v'));
  }
}
