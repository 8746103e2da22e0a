// Output formats: which file extension means which encoding, and what to ask the server for so
// the bytes we get can be written as that format. The table follows cli-contract.md.
import { extname } from 'node:path';
import { ValidationError } from '../core/errors.js';

/** Encodings a user may name with `--encoding` (the contract's list). */
export const AUDIO_ENCODINGS = ['LINEAR16', 'PCM', 'MP3', 'OGG_OPUS', 'FLAC', 'ALAW', 'MULAW', 'WAV'] as const;
export type AudioEncoding = (typeof AUDIO_ENCODINGS)[number];

/** Encodings the server is asked for (`audioConfig.audioEncoding`). WAV is ours, not the server's. */
export type ServerEncoding = Exclude<AudioEncoding, 'WAV'>;

/**
 * How the bytes reach the destination:
 * - `wav`: the server sends headerless s16le (`PCM`) and we write our own RIFF header, so the file
 *   has one header with correct sizes however many chunks or requests it took.
 * - `raw`: the server's bytes are written as they arrive (MP3/OGG/FLAC/µ-law/A-law/headerless PCM).
 */
export type Container = 'wav' | 'raw';

export interface OutputFormat {
  /** What the user asked for (by extension or `--encoding`). */
  readonly encoding: AudioEncoding;
  /** What to put in the request. */
  readonly serverEncoding: ServerEncoding;
  readonly container: Container;
  /** True when the bytes are 16-bit little-endian PCM we can play or resample ourselves. */
  readonly isPcm16: boolean;
  /** The usual file extension, with the dot. */
  readonly extension: string;
}

/**
 * For WAV we request `PCM` (headerless s16le), never `LINEAR16`: Inworld's LINEAR16 stream carries
 * a WAV header at the start of each chunk, which would have to be found and cut out of the
 * stream. `stripWavHeader` (wav-reader.ts) still handles LINEAR16 for a caller that must ask for it.
 */
const FORMATS: Record<AudioEncoding, OutputFormat> = {
  WAV: { encoding: 'WAV', serverEncoding: 'PCM', container: 'wav', isPcm16: true, extension: '.wav' },
  LINEAR16: { encoding: 'LINEAR16', serverEncoding: 'PCM', container: 'wav', isPcm16: true, extension: '.wav' },
  PCM: { encoding: 'PCM', serverEncoding: 'PCM', container: 'raw', isPcm16: true, extension: '.pcm' },
  MP3: { encoding: 'MP3', serverEncoding: 'MP3', container: 'raw', isPcm16: false, extension: '.mp3' },
  OGG_OPUS: { encoding: 'OGG_OPUS', serverEncoding: 'OGG_OPUS', container: 'raw', isPcm16: false, extension: '.ogg' },
  FLAC: { encoding: 'FLAC', serverEncoding: 'FLAC', container: 'raw', isPcm16: false, extension: '.flac' },
  MULAW: { encoding: 'MULAW', serverEncoding: 'MULAW', container: 'raw', isPcm16: false, extension: '.ulaw' },
  ALAW: { encoding: 'ALAW', serverEncoding: 'ALAW', container: 'raw', isPcm16: false, extension: '.alaw' },
};

/** File extension (lower case, with the dot) to encoding, per the contract. */
export const EXTENSION_ENCODINGS: Readonly<Record<string, AudioEncoding>> = {
  '.wav': 'WAV',
  '.mp3': 'MP3',
  '.ogg': 'OGG_OPUS',
  '.opus': 'OGG_OPUS',
  '.flac': 'FLAC',
  '.pcm': 'PCM',
  '.raw': 'PCM',
  '.ulaw': 'MULAW',
  '.mulaw': 'MULAW',
  '.alaw': 'ALAW',
};

export function isAudioEncoding(value: string): value is AudioEncoding {
  return (AUDIO_ENCODINGS as readonly string[]).includes(value);
}

/** The format for an encoding name (case-insensitive); undefined when unknown. */
export function formatForEncoding(encoding: string): OutputFormat | undefined {
  const upper = encoding.toUpperCase();
  return isAudioEncoding(upper) ? FORMATS[upper] : undefined;
}

/** The format a path's extension implies; undefined for an unknown or missing extension. */
export function formatForPath(path: string): OutputFormat | undefined {
  const encoding = EXTENSION_ENCODINGS[extname(path).toLowerCase()];
  return encoding ? FORMATS[encoding] : undefined;
}

/**
 * The output format for a destination: `--encoding` wins, then the file's extension; standard
 * output and speakers (no path, or `-`) default to WAV. An unknown extension is an error rather
 * than a silent guess, so `-o speech.m4a` does not produce a WAV file with the wrong name.
 */
export function resolveOutputFormat(options: { path?: string; encoding?: string }): OutputFormat {
  if (options.encoding !== undefined) {
    const format = formatForEncoding(options.encoding);
    if (!format) {
      throw new ValidationError(`unknown encoding "${options.encoding}"`, {
        hint: `Use one of ${AUDIO_ENCODINGS.join(', ')}`,
      });
    }
    // --encoding is for names that do not tell (x.bin); a name that says another format is a slip.
    const named = options.path !== undefined && options.path !== '-' ? formatForPath(options.path) : undefined;
    if (named && (named.serverEncoding !== format.serverEncoding || named.container !== format.container)) {
      throw new ValidationError(`--encoding ${format.encoding} does not match the extension of ${options.path} (${named.encoding})`, {
        hint: `Drop --encoding, or name the file with ${format.extension}`,
      });
    }
    return format;
  }
  if (options.path === undefined || options.path === '-') return FORMATS.WAV;
  const format = formatForPath(options.path);
  if (!format) {
    throw new ValidationError(`cannot tell the audio format of "${options.path}" from its extension`, {
      hint: `Use one of ${Object.keys(EXTENSION_ENCODINGS).join(' ')} or pass --encoding`,
    });
  }
  return format;
}
