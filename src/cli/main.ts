// The CLI entry: builds the command tree and runs it through the single exit path. Only the
// command being run is loaded; the others appear in `inworld --help` as name and description, so
// start-up does not pay for modules a run never uses.
import { Command, CommanderError } from 'commander';
import { VERSION } from '../core/version.js';
import { ExitCode, fail } from './exit.js';
import { readerGone, watchReaders } from './reader-gone.js';

interface CommandEntry {
  name: string;
  description: string;
  load(): Promise<Command>;
}

/** Every command, in help order. The descriptions must match the commands' own (a test checks). */
export const COMMANDS: readonly CommandEntry[] = [
  {
    name: 'say',
    description: 'synthesize text to speech (HTTP streaming) into a file, standard output or the speakers',
    load: async () => (await import('./synthesis/say.js')).sayCommand(),
  },
  {
    name: 'stream',
    description: 'speak text from standard input (or a file) sentence by sentence as it arrives, over the TTS WebSocket',
    load: async () => (await import('./synthesis/stream.js')).streamCommand(),
  },
  {
    name: 'book',
    description: 'turn a .txt, .md or .epub book into audio with chapter markers (MP3, M4B, WAV), resumable',
    load: async () => (await import('./book/book.js')).bookCommand(),
  },
  {
    name: 'transcribe',
    description: 'transcribe speech from the microphone, an audio file or standard input (streaming STT)',
    load: async () => (await import('./transcription/transcribe.js')).transcribeCommand(),
  },
  {
    name: 'voices',
    description: 'list the voices available to your key',
    load: async () => (await import('./voices/voices.js')).voicesCommand(),
  },
  {
    name: 'pronunciations',
    description: 'manage pronunciation dictionaries (headword, language, IPA) for TTS-2',
    load: async () => (await import('./pronunciations/pronunciations.js')).pronunciationsCommand(),
  },
  {
    name: 'jobs',
    description: 'list, inspect, wait for and download server-side synthesis jobs (say --server)',
    load: async () => (await import('./jobs/jobs.js')).jobsCommand(),
  },
  {
    name: 'mcp',
    description: 'run a Model Context Protocol server (stdio, or streamable HTTP) with tools to speak, transcribe and manage voices',
    load: async () => (await import('./integrations/mcp.js')).mcpCommand(),
  },
  {
    name: 'serve',
    description: 'run a local OpenAI-compatible audio API (/v1/audio/speech, /v1/audio/transcriptions, /v1/models) in front of Inworld',
    load: async () => (await import('./integrations/serve.js')).serveCommand(),
  },
  {
    name: 'emulator',
    description: 'run a local Inworld-compatible server (REST + WebSocket, TTS + STT + voices) for offline work and tests',
    load: async () => (await import('./setup/emulator.js')).emulatorCommand(),
  },
  {
    name: 'config',
    description: 'show or change defaults and credentials in the config file',
    load: async () => (await import('./setup/config.js')).configCommand(),
  },
  {
    name: 'login',
    description: 'save your API key to the config file after checking it with the API',
    load: async () => (await import('./setup/login.js')).loginCommand(),
  },
  {
    name: 'logout',
    description: 'remove your API key from the config file',
    load: async () => (await import('./setup/logout.js')).logoutCommand(),
  },
  {
    name: 'doctor',
    description: 'check Node, the API key, the network and WebSocket, audio output, microphone and ffmpeg, with fixes',
    load: async () => (await import('./setup/doctor.js')).doctorCommand(),
  },
  {
    name: 'completion',
    description: 'print the shell completion script (bash, zsh or fish)',
    load: async () => (await import('./setup/completion.js')).completionCommand(),
  },
];

/**
 * The program with the commands in `load` fully defined and the rest as placeholders that only
 * carry their name and description (enough for the top-level help).
 */
export async function buildProgram(load: 'all' | readonly string[] = 'all'): Promise<Command> {
  const program = new Command('inworld')
    .description('Inworld text-to-speech and speech-to-text from the terminal, with an offline emulator')
    .version(VERSION, '-V, --version')
    // Each command owns the flags after its name; `voices show X --json` must reach `show`.
    .enablePositionalOptions()
    .addHelpText(
      'after',
      `
Examples:
  $ inworld say "Hello from Inworld" -o hello.wav --emulator
  $ cat script.txt | inworld stream -o script.mp3
  $ inworld transcribe --mic
  $ inworld voices --lang en`,
    );
  for (const entry of COMMANDS) {
    const full = load === 'all' || load.includes(entry.name);
    program.addCommand(full ? await entry.load() : new Command(entry.name).description(entry.description));
  }
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

/** The commands a command line needs defined: the one it runs (or asks help for); completion needs all. */
function commandsNeeded(argv: string[]): 'all' | string[] {
  const words = argv.slice(2).filter((word) => !word.startsWith('-'));
  const [first, second] = words;
  if (first === 'completion') return 'all';
  if (first === 'help' && second) return [second];
  return first ? [first] : [];
}

export async function main(argv: string[]): Promise<void> {
  watchReaders();
  try {
    const program = await buildProgram(commandsNeeded(argv));
    await program.parseAsync(argv);
    // Pooled sockets and timers may linger after the work is done; the command's result is final.
    process.exit(ExitCode.OK);
  } catch (error) {
    if (error instanceof CommanderError) {
      // Commander has already printed help, the version, or its one-line usage error.
      process.exit(error.exitCode === 0 ? ExitCode.OK : ExitCode.USAGE);
    }
    // Once a reader has left, whatever failed after is a consequence of stopping: end quietly.
    if (readerGone()) process.exit(ExitCode.OK);
    fail(error, argv.includes('--verbose') || argv.includes('-v'));
  }
}
