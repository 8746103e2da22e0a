// Shell completion scripts generated from the commander tree, so flags, enum values and file
// arguments never drift from the real CLI. The committed files under completions/ are this
// output; a test regenerates them and fails when they are stale.
import type { Command, Option } from 'commander';
import { TTS_MODELS } from '../../tts/models.js';

export const SHELLS = ['bash', 'zsh', 'fish'] as const;
export type Shell = (typeof SHELLS)[number];

/** Options whose value is a path, completed with file names. */
const FILE_OPTIONS = new Set(['--output', '--file', '--subtitles', '--batch', '--out-dir', '--input-dir']);
/** Options whose value is a voice id, completed from the cache `inworld voices` writes. */
const VOICE_OPTIONS = new Set(['--voice', '--preview']);
/** Where `inworld voices` caches voice ids for completion (one per line). */
const VOICE_CACHE = '${XDG_CACHE_HOME:-$HOME/.cache}/inworld/voice-ids';

interface FlagInfo {
  long?: string;
  short?: string;
  description: string;
  takesValue: boolean;
  choices: readonly string[];
  kind: 'file' | 'voice' | 'choice' | 'value' | 'none';
}

/** What positional arguments complete to: a fixed list, file paths, voice ids, or nothing. */
type Positional = readonly string[] | 'files' | 'voices' | 'none';

interface LeafInfo {
  name: string;
  description: string;
  flags: FlagInfo[];
  positional: Positional;
}

interface CommandInfo extends LeafInfo {
  /** Nested commands (`config set|get|…`, `voices show|clone|…`), each with its flags and arguments. */
  subcommands: LeafInfo[];
}

/**
 * Values offered for options that take any value: the known TTS models for `--model` (another id
 * is still accepted, since new models appear), per command.
 */
const SUGGESTED_VALUES: Record<string, Record<string, readonly string[]>> = {
  say: { '--model': TTS_MODELS.map((model) => model.id) },
  stream: { '--model': TTS_MODELS.map((model) => model.id) },
};

function describeOption(option: Option, suggestions: Record<string, readonly string[]> = {}): FlagInfo {
  const choices = option.argChoices ?? (option.long ? suggestions[option.long] : undefined) ?? [];
  const takesValue = option.required || option.optional;
  const long = option.long ?? undefined;
  let kind: FlagInfo['kind'] = 'none';
  if (takesValue) {
    if (long && FILE_OPTIONS.has(long)) kind = 'file';
    else if (long && VOICE_OPTIONS.has(long)) kind = 'voice';
    else if (choices.length > 0) kind = 'choice';
    else kind = 'value';
  }
  return { long, short: option.short ?? undefined, description: option.description, takesValue, choices, kind };
}

function describeLeaf(command: Command): LeafInfo {
  return {
    name: command.name(),
    description: command.description(),
    flags: [...command.options.map((option) => describeOption(option, SUGGESTED_VALUES[command.name()])), helpFlag()],
    positional: positionalKind(command),
  };
}

function describeTree(program: Command): CommandInfo[] {
  return program.commands
    .filter((command) => command.name() !== 'help')
    .map((command) => ({
      ...describeLeaf(command),
      subcommands: command.commands.filter((child) => child.name() !== 'help').map(describeLeaf),
    }));
}

/** Arguments named for a voice (`<voice-id>`) complete to cached voice ids; free text to nothing. */
function positionalKind(command: Command): Positional {
  const [first] = command.registeredArguments;
  if (!first) return 'none';
  if (first.argChoices && first.argChoices.length > 0) return first.argChoices;
  if (/voice-id/.test(first.name())) return 'voices';
  if (/description|text/.test(first.name())) return 'none';
  return 'files';
}

function helpFlag(): FlagInfo {
  return { long: '--help', short: '-h', description: 'display help for command', takesValue: false, choices: [], kind: 'none' };
}

function flagWords(flag: FlagInfo): string[] {
  return [flag.long, flag.short].filter((word): word is string => Boolean(word));
}

export function completionScript(shell: Shell, program: Command): string {
  const commands = describeTree(program);
  switch (shell) {
    case 'bash':
      return bashScript(commands);
    case 'zsh':
      return zshScript(commands);
    case 'fish':
      return fishScript(commands);
  }
}

/** The completion of one command's words in bash: values after a flag, then flags or arguments. */
function bashLeaf(leaf: LeafInfo, indent: string, listOnlyAt?: number): string[] {
  const lines = [`${indent}case "$prev" in`];
  for (const flag of leaf.flags.filter((f) => f.takesValue)) {
    const pattern = flagWords(flag).join('|');
    if (flag.kind === 'file') lines.push(`${indent}  ${pattern}) COMPREPLY=( $(compgen -f -- "$cur") ); return ;;`);
    else if (flag.kind === 'voice') lines.push(`${indent}  ${pattern}) COMPREPLY=( $(compgen -W "$(_inworld_voice_ids)" -- "$cur") ); return ;;`);
    else if (flag.kind === 'choice') lines.push(`${indent}  ${pattern}) COMPREPLY=( $(compgen -W "${flag.choices.join(' ')}" -- "$cur") ); return ;;`);
    else lines.push(`${indent}  ${pattern}) return ;;`);
  }
  const words = leaf.flags.flatMap(flagWords).join(' ');
  lines.push(`${indent}esac`);
  if (leaf.positional === 'none') {
    lines.push(`${indent}COMPREPLY=( $(compgen -W "${words}" -- "$cur") )`);
    return lines;
  }
  const positional =
    leaf.positional === 'files' ? 'compgen -f -- "$cur"'
    : leaf.positional === 'voices' ? 'compgen -W "$(_inworld_voice_ids)" -- "$cur"'
    : `compgen -W "${leaf.positional.join(' ')}" -- "$cur"`;
  // A fixed list names the first argument only (`config set <key> <value>`: the value is free).
  const guard = Array.isArray(leaf.positional) && listOnlyAt !== undefined ? `[ "$COMP_CWORD" -eq ${listOnlyAt} ] && ` : '';
  lines.push(
    `${indent}if [[ "$cur" == -* ]]; then`,
    `${indent}  COMPREPLY=( $(compgen -W "${words}" -- "$cur") )`,
    `${indent}else`,
    `${indent}  ${guard}COMPREPLY=( $(${positional}) )`,
    `${indent}fi`,
  );
  return lines;
}

function bashScript(commands: CommandInfo[]): string {
  const lines: string[] = [
    '# bash completion for inworld (generated by `inworld completion bash`; do not edit)',
    '_inworld_voice_ids() {',
    `  local cache="${VOICE_CACHE}"`,
    '  [ -r "$cache" ] && cat "$cache"',
    '}',
    '_inworld() {',
    '  local cur prev command',
    '  cur="${COMP_WORDS[COMP_CWORD]}"',
    '  prev="${COMP_WORDS[COMP_CWORD-1]}"',
    '  command="${COMP_WORDS[1]}"',
    '  if [ "$COMP_CWORD" -eq 1 ]; then',
    `    COMPREPLY=( $(compgen -W "${commands.map((c) => c.name).join(' ')} help --help --version" -- "$cur") )`,
    '    return',
    '  fi',
    '  case "$command" in',
  ];
  for (const command of commands) {
    lines.push(`    ${command.name})`);
    if (command.subcommands.length === 0) {
      lines.push(...bashLeaf(command, '      '), '      ;;');
      continue;
    }
    const names = command.subcommands.map((c) => c.name).join(' ');
    lines.push('      case "${COMP_WORDS[2]}" in');
    for (const child of command.subcommands) {
      lines.push(`        ${child.name})`, '          if [ "$COMP_CWORD" -gt 2 ]; then');
      lines.push(...bashLeaf(child, '            ', 3), '            return', '          fi', '          ;;');
    }
    lines.push('      esac');
    // Not (yet) in a subcommand: its names, or the command's own flags and their values.
    lines.push(...bashLeaf({ ...command, positional: command.subcommands.map((c) => c.name) }, '      '));
    lines.push(`      [ "$COMP_CWORD" -eq 2 ] && [[ "$cur" != -* ]] && COMPREPLY=( $(compgen -W "${names}" -- "$cur") )`, '      ;;');
  }
  lines.push('  esac', '}', 'complete -o default -F _inworld inworld', '');
  return lines.join('\n');
}

function zshQuote(text: string): string {
  return text.replace(/\\/g, '\\\\').replace(/'/g, "'\\''").replace(/\[/g, '\\[').replace(/\]/g, '\\]').replace(/:/g, '\\:');
}

function zshSpec(flag: FlagInfo): string[] {
  const description = zshQuote(flag.description);
  let action = '';
  if (flag.kind === 'file') action = ':file:_files';
  else if (flag.kind === 'voice') action = ':voice:_inworld_voice_ids';
  else if (flag.kind === 'choice') action = `:value:(${flag.choices.join(' ')})`;
  else if (flag.kind === 'value') action = ':value: ';
  const words = flagWords(flag);
  if (words.length === 2) {
    return [`'(${words.join(' ')})'{${words.join(',')}}'[${description}]${action}'`];
  }
  return [`'${words[0]}[${description}]${action}'`];
}

/** The `_arguments` specs of one command: its flags and what its arguments complete to. */
function zshLeaf(leaf: LeafInfo): string[] {
  const specs = leaf.flags.flatMap(zshSpec);
  if (leaf.positional === 'files') specs.push("'*:file:_files'");
  else if (leaf.positional === 'voices') specs.push("'1:voice:_inworld_voice_ids'");
  else if (leaf.positional === 'none') specs.push("'*::'");
  else specs.push(`'1:value:(${leaf.positional.join(' ')})'`);
  return specs;
}

function zshScript(commands: CommandInfo[]): string {
  const lines: string[] = [
    '#compdef inworld',
    '# zsh completion for inworld (generated by `inworld completion zsh`; do not edit)',
    '_inworld_voice_ids() {',
    `  local cache="${VOICE_CACHE}"`,
    '  local -a ids',
    '  [[ -r "$cache" ]] && ids=(${(f)"$(<$cache)"})',
    "  _describe 'voice' ids",
    '}',
    '_inworld() {',
    '  local -a commands',
    '  commands=(',
    ...commands.map((c) => `    '${c.name}:${zshQuote(c.description)}'`),
    '  )',
    '  if (( CURRENT == 2 )); then',
    "    _describe 'command' commands",
    '    return',
    '  fi',
    '  local command="${words[2]}"',
    '  shift words',
    '  (( CURRENT-- ))',
    '  case "$command" in',
  ];
  for (const command of commands) {
    lines.push(`    ${command.name})`);
    if (command.subcommands.length === 0) {
      lines.push('      _arguments -s \\', ...zshLeaf(command).map((spec, i, all) => `        ${spec}${i < all.length - 1 ? ' \\' : ''}`), '      ;;');
      continue;
    }
    lines.push('      case "${words[2]}" in');
    for (const child of command.subcommands) {
      lines.push(`        ${child.name})`, '          shift words', '          (( CURRENT-- ))', '          _arguments -s \\');
      lines.push(...zshLeaf(child).map((spec, i, all) => `            ${spec}${i < all.length - 1 ? ' \\' : ''}`), '          ;;');
    }
    const own = zshLeaf({ ...command, positional: command.subcommands.map((c) => c.name) });
    lines.push('        *)', '          _arguments -s \\', ...own.map((spec, i, all) => `            ${spec}${i < all.length - 1 ? ' \\' : ''}`), '          ;;');
    lines.push('      esac', '      ;;');
  }
  lines.push('  esac', '}', '_inworld "$@"', '');
  return lines.join('\n');
}

function fishQuote(text: string): string {
  return `'${text.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
}

/** The fish lines for one command's flags and arguments, active when `when` holds. */
function fishLeaf(leaf: LeafInfo, when: string): string[] {
  const lines: string[] = [];
  if (leaf.positional === 'files') lines.push(`complete -c inworld ${when} -F`);
  else if (leaf.positional === 'voices') lines.push(`complete -c inworld ${when} -a '(__inworld_voice_ids)'`);
  else if (leaf.positional !== 'none') lines.push(`complete -c inworld ${when} -a ${fishQuote(leaf.positional.join(' '))}`);
  for (const flag of leaf.flags) {
    const parts = ['complete -c inworld', when];
    if (flag.long) parts.push(`-l ${flag.long.slice(2)}`);
    if (flag.short) parts.push(`-s ${flag.short.slice(1)}`);
    if (flag.kind === 'file') parts.push('-r -F');
    else if (flag.kind === 'voice') parts.push("-x -a '(__inworld_voice_ids)'");
    else if (flag.kind === 'choice') parts.push(`-x -a ${fishQuote(flag.choices.join(' '))}`);
    else if (flag.kind === 'value') parts.push('-x');
    parts.push(`-d ${fishQuote(flag.description)}`);
    lines.push(parts.join(' '));
  }
  return lines;
}

function fishScript(commands: CommandInfo[]): string {
  const names = commands.map((c) => c.name).join(' ');
  const lines: string[] = [
    '# fish completion for inworld (generated by `inworld completion fish`; do not edit)',
    'function __inworld_voice_ids',
    `    set -l cache (set -q XDG_CACHE_HOME; and echo $XDG_CACHE_HOME; or echo $HOME/.cache)/inworld/voice-ids`,
    '    test -r $cache; and cat $cache',
    'end',
    'complete -c inworld -f',
  ];
  for (const command of commands) {
    lines.push(`complete -c inworld -n 'not __fish_seen_subcommand_from ${names}' -a ${command.name} -d ${fishQuote(command.description)}`);
  }
  for (const command of commands) {
    if (command.subcommands.length === 0) {
      lines.push(...fishLeaf(command, `-n '__fish_seen_subcommand_from ${command.name}'`));
      continue;
    }
    const children = command.subcommands.map((c) => c.name).join(' ');
    const outside = `-n '__fish_seen_subcommand_from ${command.name}; and not __fish_seen_subcommand_from ${children}'`;
    for (const child of command.subcommands) {
      lines.push(`complete -c inworld ${outside} -a ${child.name} -d ${fishQuote(child.description)}`);
      lines.push(...fishLeaf(child, `-n '__fish_seen_subcommand_from ${command.name}; and __fish_seen_subcommand_from ${child.name}'`));
    }
    lines.push(...fishLeaf({ ...command, positional: 'none' }, outside));
  }
  lines.push('');
  return lines.join('\n');
}
