// The files a run writes next to its audio (`--subtitles`) or instead of it (`transcribe -o`).
// Each is opened when the command starts, before the first request: its temporary file is
// created beside the target, so a missing directory, a file in the way or a read-only disk is a
// usage error (exit 2) with nothing sent, exactly as for `-o`.
//
// The rule when a run writes several files: they are committed together at the end. Every file is
// first written in full under its temporary name; only when all of them are complete are they
// renamed into place, the audio last. If any of them fails (a full disk, a directory removed
// mid-run), the temporary files are removed and any file already renamed is removed again, so
// the user finds every file the command was asked for, or none, and the exit code says which.
// Ctrl-C is the one exception: the audio that arrived is kept (see interrupt.ts), side files not.
import type { FileSink } from '../audio/file-sink.js';
import type { AudioSink } from '../audio/sink.js';

/** Opens (checks and reserves) one side output; a ValidationError if it cannot be written. */
export async function openSideOutput(path: string): Promise<FileSink> {
  const { openRawFileSink } = await import('../audio/file-sink.js');
  return openRawFileSink(path);
}

/** Opens the side output, if any, then the audio; if the audio cannot be opened, the side output is dropped. */
export async function openWithSideOutput<T>(path: string | undefined, openMain: () => Promise<T>): Promise<{ main: T; side?: FileSink }> {
  const side = path === undefined ? undefined : await openSideOutput(path);
  try {
    return { main: await openMain(), side };
  } catch (error) {
    await side?.abort(error);
    throw error;
  }
}

/**
 * Commits the side outputs (already written) and then the main sink, all or none. Rejects with
 * the first failure, every output then removed.
 */
export async function commitOutputs(sides: ReadonlyArray<FileSink | undefined>, main?: AudioSink): Promise<void> {
  const files = sides.filter((side): side is FileSink => side !== undefined);
  const committed: FileSink[] = [];
  try {
    for (const file of files) await file.complete();
    for (const file of files) {
      await file.commit();
      committed.push(file);
    }
  } catch (error) {
    await Promise.all(files.map((file) => file.abort(error)));
    await Promise.all(committed.map((file) => file.withdraw()));
    await main?.abort(error);
    throw error;
  }
  if (!main) return;
  try {
    await main.end();
  } catch (error) {
    await Promise.all(committed.map((file) => file.withdraw()));
    throw error;
  }
}
