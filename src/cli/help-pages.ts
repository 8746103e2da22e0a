// The help pages (help-page.ts) taken from the real command tree: every command's usage, items
// and help texts as commander would print them. Run at build time; the result ships beside the CLI.
import type { Command, Help } from 'commander';
import { buildProgram, COMMANDS } from './main.js';
import type { HelpPage, HelpPages } from './help-page.js';

/** Every page the CLI can print: the program's (as `inworld --help` builds it) and each command's. */
export async function helpPages(): Promise<HelpPages> {
  const pages: HelpPages = { '': pageOf(await buildProgram([])) };
  for (const entry of COMMANDS) {
    // The tree `inworld <name> --help` builds: that command in full, the rest as placeholders.
    const program = await buildProgram([entry.name]);
    const command = program.commands.find((child) => child.name() === entry.name)!;
    collect(command, entry.name, pages);
  }
  return pages;
}

function collect(command: Command, path: string, pages: HelpPages): void {
  pages[path] = pageOf(command);
  for (const child of command.commands) {
    if (child.name() !== 'help') collect(child, `${path} ${child.name()}`, pages);
  }
}

/** What commander writes for `command --help` at `width` columns, captured, and its formatted part alone. */
export function commanderHelp(command: Command, width: number): { full: string; formatted: string } {
  let full = '';
  const saved = command.configureOutput();
  command.configureOutput({ writeOut: (chunk) => (full += chunk), getOutHelpWidth: () => width });
  try {
    command.outputHelp();
    return { full, formatted: command.helpInformation() };
  } finally {
    command.configureOutput(saved);
  }
}

function pageOf(command: Command): HelpPage {
  const helper: Help = command.createHelp();
  helper.prepareContext({ helpWidth: 80 });
  const groups: HelpPage['groups'] = [];
  groups.push({ title: 'Arguments:', items: helper.visibleArguments(command).map((argument) => [helper.argumentTerm(argument), helper.argumentDescription(argument)]) });
  const optionGroups = helper.groupItems([...command.options], helper.visibleOptions(command), (option) => option.helpGroupHeading ?? 'Options:');
  for (const [title, options] of optionGroups) {
    groups.push({ title, items: options.map((option) => [helper.optionTerm(option), helper.optionDescription(option)]) });
  }
  if (helper.showGlobalOptions) {
    groups.push({ title: 'Global Options:', items: helper.visibleGlobalOptions(command).map((option) => [helper.optionTerm(option), helper.optionDescription(option)]) });
  }
  const commandGroups = helper.groupItems([...command.commands], helper.visibleCommands(command), (child) => child.helpGroup() || 'Commands:');
  for (const [title, commands] of commandGroups) {
    groups.push({ title, items: commands.map((child) => [helper.subcommandTerm(child), helper.subcommandDescription(child)]) });
  }
  // The texts added before and after the help are whatever surrounds the formatted part.
  const { full, formatted } = commanderHelp(command, 80);
  const at = full.indexOf(formatted);
  if (at < 0) throw new Error(`the help of ${command.name()} does not contain its formatted part`);
  return {
    usage: helper.commandUsage(command),
    description: helper.commandDescription(command),
    termWidth: helper.padWidth(command, helper),
    groups,
    before: full.slice(0, at),
    after: full.slice(at + formatted.length),
  };
}
