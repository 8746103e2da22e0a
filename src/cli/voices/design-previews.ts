// Where `voices design` puts its previews: files named from -o (a directory, a pattern with {n}
// and {id}, or one file name that gets -1, -2… when there are several), or the speakers one after
// the other. The extension follows the audio the service sent (MP3 or WAV).
import { stat } from 'node:fs/promises';
import { basename, dirname, extname, join } from 'node:path';
import type { VoicePreview } from '../../voices/types.js';

/** The audio container of a preview, from its first bytes. */
export function previewFormat(audio: Buffer): 'wav' | 'mp3' {
  return audio.toString('latin1', 0, 4) === 'RIFF' ? 'wav' : 'mp3';
}

/** The file name for preview `n` (1-based) of `count`. */
export async function previewPath(output: string, preview: VoicePreview, n: number, count: number): Promise<string> {
  const ext = `.${previewFormat(preview.audio)}`;
  const safeId = preview.id.replace(/[^A-Za-z0-9_.-]+/g, '-');
  if (output.includes('{n}') || output.includes('{id}')) return output.replaceAll('{n}', String(n)).replaceAll('{id}', safeId);
  const isDir = output.endsWith('/') || (await stat(output).then((info) => info.isDirectory(), () => false));
  if (isDir) return join(output, `preview-${n}-${safeId}${ext}`);
  if (count === 1) return output;
  const given = extname(output);
  return join(dirname(output), `${basename(output, given)}-${n}${given || ext}`);
}

/** Writes each preview whole or not at all; returns the paths. */
export async function writePreviews(output: string, previews: readonly VoicePreview[]): Promise<string[]> {
  const { writeFileAtomically } = await import('../../core/atomic-file.js');
  const { fileError } = await import('../../core/file-errors.js');
  const paths: string[] = [];
  for (const [index, preview] of previews.entries()) {
    const path = await previewPath(output, preview, index + 1, previews.length);
    try {
      await writeFileAtomically(path, preview.audio);
    } catch (error) {
      throw fileError('write', path, error, { what: 'preview' });
    }
    paths.push(path);
  }
  return paths;
}

/** Plays one preview: WAV directly, MP3 decoded by ffmpeg. */
export async function playPreview(preview: VoicePreview, signal: AbortSignal): Promise<void> {
  const { openSpeakers } = await import('../../audio/speaker-sink.js');
  const { pipeToSink } = await import('../../audio/sink.js');
  if (previewFormat(preview.audio) === 'wav') {
    const { parseWavHeader } = await import('../../audio/wav-reader.js');
    const info = parseWavHeader(preview.audio);
    if (info) {
      const speakers = await openSpeakers({ sampleRateHertz: info.sampleRateHertz });
      const pcm = preview.audio.subarray(info.dataOffset);
      await pipeToSink((async function* () {
        yield pcm;
      })(), speakers, signal);
      return;
    }
  }
  const { Readable } = await import('node:stream');
  const { openFfmpegSource } = await import('../../audio/ffmpeg-source.js');
  const rate = 24_000;
  const source = openFfmpegSource(Readable.from([preview.audio]), { sampleRateHertz: rate, name: `preview ${preview.id}` });
  const speakers = await openSpeakers({ sampleRateHertz: rate });
  await pipeToSink(source, speakers, signal);
}

/**
 * Before the design is asked for: the place -o names must be writable to, so the previews are
 * not lost after the service made them. A path ending in `/` is a directory, created if missing.
 */
export async function prepareOutput(output: string): Promise<void> {
  const { mkdir } = await import('node:fs/promises');
  const { fileError } = await import('../../core/file-errors.js');
  const { ValidationError } = await import('../../core/errors.js');
  if (output.endsWith('/')) {
    try {
      await mkdir(output, { recursive: true });
    } catch (error) {
      throw fileError('create-directory', output, error, { beforeRequest: true });
    }
    return;
  }
  const directory = (await stat(output).then((info) => info.isDirectory(), () => false)) ? output : dirname(output);
  const isDirectory = await stat(directory).then((info) => info.isDirectory(), () => false);
  if (!isDirectory) throw new ValidationError(`Cannot write previews to ${output}: no such directory ${directory}`, { hint: 'Create it, or end -o with / to have it created' });
}
