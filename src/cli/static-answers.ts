// Answers that need no command module and no commander: `--help` of the program and of every
// command (rendered from the pages generated at build time), and `completion <shell>` (the
// committed scripts under completions/, which a test keeps equal to what the command tree
// generates). Any other command line, however close, goes to the real CLI.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { helpWidth, renderHelp, type HelpPages } from './help-page.js';

const COMPLETION_FILES: Record<string, string> = { bash: 'inworld.bash', zsh: '_inworld', fish: 'inworld.fish' };

const isHelpFlag = (word: string | undefined) => word === '--help' || word === '-h';

/** The help page a command line asks for: '' for the program, 'say', 'config set'; or undefined. */
export function helpPath(args: readonly string[], pages: HelpPages): string | undefined {
  let path: string | undefined;
  if (args.length === 1 && (isHelpFlag(args[0]) || args[0] === 'help')) path = '';
  else if (args.length === 2 && args[0] === 'help' && !args[1]!.includes(' ')) path = args[1];
  else if (args.length === 2 && isHelpFlag(args[1])) path = args[0];
  else if (args.length === 3 && isHelpFlag(args[2])) path = `${args[0]} ${args[1]}`;
  return path !== undefined && Object.hasOwn(pages, path) ? path : undefined;
}

/** The text to print for `args`, or undefined when the real CLI must run. */
export function staticAnswer(args: readonly string[], pages: HelpPages, packageRoot: string): string | undefined {
  const path = helpPath(args, pages);
  if (path !== undefined) return renderHelp(pages[path]!, helpWidth());
  if (args.length === 2 && args[0] === 'completion' && Object.hasOwn(COMPLETION_FILES, args[1]!)) {
    return readFileSync(join(packageRoot, 'completions', COMPLETION_FILES[args[1]!]!), 'utf8');
  }
  return undefined;
}
