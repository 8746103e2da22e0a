// `inworld completion <bash|zsh|fish>`: prints the completion script for the shell.
import { Argument, Command } from 'commander';
import { SHELLS, completionScript, type Shell } from './completion-scripts.js';

export function completionCommand(): Command {
  return new Command('completion')
    .description('print the shell completion script (bash, zsh or fish)')
    .addArgument(new Argument('<shell>', 'the shell').choices(SHELLS))
    .addHelpText(
      'after',
      `
Examples:
  $ inworld completion bash > ~/.local/share/bash-completion/completions/inworld
  $ inworld completion zsh > "\${fpath[1]}/_inworld"
  $ inworld completion fish > ~/.config/fish/completions/inworld.fish`,
    )
    .action((shell: Shell, _options: unknown, command: Command) => {
      process.stdout.write(completionScript(shell, command.parent ?? command));
    });
}
