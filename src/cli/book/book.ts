// `inworld book`: a .txt, .md or .epub book to one audio file with chapter markers (or one file
// per chapter), resumable through a work directory. The work happens in run-book.ts, loaded only
// when the command runs.
import { Argument, Command, Option } from 'commander';
import { applyConfigDefaults } from '../setup/config-defaults.js';
import { addGlobalOptions, positiveInt, type GlobalOptions } from '../options.js';
import { addSynthesisFlags, type SynthesisFlags } from '../synthesis/synthesis-flags.js';

export interface BookFlags extends SynthesisFlags, GlobalOptions {
  listChapters?: boolean;
  chapters?: string;
  splitChapters?: string;
  workDir?: string;
  concurrency?: number;
  shard?: string;
  json?: boolean;
  server?: boolean;
}

export const BOOK_DESCRIPTION = 'turn a .txt, .md or .epub book into audio with chapter markers (MP3, M4B, WAV), resumable';

export function bookCommand(): Command {
  const command = new Command('book')
    .description(BOOK_DESCRIPTION)
    .addArgument(new Argument('<file>', 'the book: .txt, .md or .epub'))
    .addOption(new Option('--list-chapters', 'print the chapters and their sizes, and synthesize nothing'))
    .addOption(new Option('--chapters <spec>', 'only these chapters, such as 3-5 or 1,4,7-9'))
    .addOption(new Option('--split-chapters <dir>', 'write one numbered, titled file per chapter into <dir> instead of one file'))
    .addOption(new Option('--work-dir <dir>', 'where finished parts are kept for resuming (default <output>.parts)'))
    .addOption(new Option('--concurrency <n>', 'parts synthesized at once (default 10)').argParser(positiveInt('--concurrency')))
    .addOption(new Option('--shard <i/n>', 'synthesize only share i of n of the parts into the work directory; a run without --shard writes the output'))
    .addOption(new Option('--server', 'synthesize each chapter as a server-side async job (its record kept in the work directory), then download'))
    .addOption(new Option('--json', 'print progress events and a summary as JSON lines on stdout'));
  addSynthesisFlags(command);
  addGlobalOptions(command);
  return command
    .addHelpText(
      'after',
      `
Output formats (from the extension): .mp3 (ID3v2 CHAP/CTOC chapters), .m4b or .m4a (AAC through
ffmpeg, with chapters), .wav (cue points with labels). Re-running the same command after Ctrl-C,
a crash or a network failure synthesizes only the parts that are missing.

Examples:
  $ inworld book novel.epub --list-chapters
  $ inworld book novel.epub -o novel.m4b --voice Dennis
  $ inworld book notes.md -o notes.mp3 --chapters 2-4 --subtitles notes.srt
  $ inworld book novel.txt -o novel.mp3 --split-chapters chapters/
  $ inworld book novel.epub -o novel.mp3 --server                # one server-side job per chapter
  $ parallel inworld book novel.epub -o novel.mp3 --shard {}/4 ::: 1 2 3 4 && inworld book novel.epub -o novel.mp3`,
    )
    .action(async (file: string, flags: BookFlags, self: Command) => {
      const { runBook } = await import('./run-book.js');
      await runBook(file, applyConfigDefaults(flags, self));
    });
}
