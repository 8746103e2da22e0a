// A command's help as data, and its rendering at a terminal width. `inworld --help` and every
// command's `--help` are answered from pages generated at build time (help-pages.ts), so printing
// help loads neither commander nor any command module. The layout is commander's own (usage,
// wrapped description, aligned items wrapped beside their terms); a test renders every page at
// several widths against the real commander output, so the two cannot drift apart.

export interface HelpPage {
  usage: string;
  description: string;
  /** The width of the widest term, which every term is padded to. */
  termWidth: number;
  /** "Arguments:", "Options:", "Commands:" and their items as [term, description]. */
  groups: Array<{ title: string; items: Array<[string, string]> }>;
  /** Text written before and after the formatted help (examples, key lists). */
  before: string;
  after: string;
}

/** Pages by command path: '' for the program, 'say', 'config set'. */
export type HelpPages = Record<string, HelpPage>;

/** Below this many columns text is not wrapped at all. */
const MIN_WIDTH_TO_WRAP = 40;
const ITEM_INDENT = 2;
const SPACER = 2;

/** The width commander formats for: the terminal's columns, or 80 when not a terminal. */
export function helpWidth(stdout: { isTTY?: boolean; columns?: number } = process.stdout): number {
  return (stdout.isTTY ? stdout.columns : undefined) ?? 80;
}

export function renderHelp(page: HelpPage, width: number): string {
  const output = [`Usage: ${page.usage}`, ''];
  if (page.description.length > 0) output.push(boxWrap(page.description, width), '');
  for (const group of page.groups) {
    if (group.items.length === 0) continue;
    output.push(group.title, ...group.items.map(([term, description]) => formatItem(term, page.termWidth, description, width)), '');
  }
  return `${page.before}${output.join('\n')}${page.after}`;
}

function formatItem(term: string, termWidth: number, description: string, width: number): string {
  const indent = ' '.repeat(ITEM_INDENT);
  if (!description) return indent + term;
  const remaining = width - termWidth - SPACER - ITEM_INDENT;
  // Text already laid out by hand (a line break followed by indentation) is kept as written.
  const wrapped =
    remaining < MIN_WIDTH_TO_WRAP || /\n[^\S\r\n]/.test(description)
      ? description
      : boxWrap(description, remaining).replace(/\n/g, `\n${' '.repeat(termWidth + SPACER)}`);
  return `${indent}${term.padEnd(termWidth)}${' '.repeat(SPACER)}${wrapped.replace(/\n/g, `\n${indent}`)}`;
}

/** Wraps at whitespace to `width` columns, keeping the line breaks already there. */
function boxWrap(text: string, width: number): string {
  if (width < MIN_WIDTH_TO_WRAP) return text;
  const lines: string[] = [];
  for (const line of text.split(/\r\n|\n/)) {
    const chunks = line.match(/[\s]*[^\s]+/g);
    if (chunks === null) {
      lines.push('');
      continue;
    }
    let current = chunks.shift()!;
    for (const chunk of chunks) {
      if (current.length + chunk.length <= width) {
        current += chunk;
        continue;
      }
      lines.push(current);
      current = chunk.trimStart();
    }
    lines.push(current);
  }
  return lines.join('\n');
}
