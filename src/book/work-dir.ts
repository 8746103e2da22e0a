// The work directory of a book: a manifest saying which book it serves, and one file per finished
// part under parts/<key>.part. A part file is written whole or not at all (core/atomic-file.ts),
// so after Ctrl-C, a crash or kill -9 every part file present is complete, and a re-run requests
// only the parts missing. Several processes (shards) may fill one directory at once: parts of the
// same key hold the same request's audio, so whichever rename lands last is as good as the first.
//
// A part file: the magic `IWBP1\n`, a 32-bit little-endian length, that many bytes of JSON
// (duration, audio byte count, timestamps), then the audio. A file whose audio is shorter than the
// JSON says (a disk that lost the tail) counts as missing.
import { mkdir, open, readFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { writeFileAtomically } from '../core/atomic-file.js';
import { ValidationError } from '../core/errors.js';
import { fileError } from '../core/file-errors.js';
import type { Timestamps } from '../tts/timestamps.js';

const MANIFEST_NAME = 'book.json';
const MANIFEST_KIND = 'inworld-book-work-dir';
const MANIFEST_VERSION = 1;
const PART_MAGIC = Buffer.from('IWBP1\n', 'latin1');
const PREFIX_BYTES = PART_MAGIC.length + 4;

export interface BookIdentity {
  /** The source file's name (without its directory): what makes a work directory this book's. */
  source: string;
  /** Recorded to tell a resume from a changed text or options (which re-synthesizes only changed parts). */
  textHash: string;
}

export interface PartMeta {
  durationSeconds: number;
  audioBytes: number;
  timestamps?: Timestamps;
}

export interface StoredPart {
  meta: PartMeta;
  audio: Buffer;
}

export class WorkDir {
  private constructor(
    readonly path: string,
    /** True when the manifest existed with another text hash: the book was edited since. */
    readonly textChanged: boolean,
  ) {}

  /**
   * Opens (creating if needed) the work directory for `identity`; a ValidationError, before any
   * request, when it was made for another book.
   */
  static async open(path: string, identity: BookIdentity): Promise<WorkDir> {
    const manifestPath = join(path, MANIFEST_NAME);
    const existing = await readManifest(manifestPath);
    if (existing && existing.source !== identity.source) {
      throw new ValidationError(`The work directory ${path} was made for another book (${existing.source}), not ${identity.source}; pass another --work-dir or delete it.`);
    }
    try {
      await mkdir(join(path, 'parts'), { recursive: true });
    } catch (error) {
      throw fileError('write', path, error, { what: 'work directory', beforeRequest: true });
    }
    const textChanged = existing !== undefined && existing.textHash !== identity.textHash;
    if (!existing || textChanged) {
      const manifest = { kind: MANIFEST_KIND, version: MANIFEST_VERSION, ...identity };
      await writeFileAtomically(manifestPath, `${JSON.stringify(manifest, null, 2)}\n`, { what: 'work directory manifest', usageErrors: 'all' });
    }
    return new WorkDir(path, textChanged);
  }

  partPath(key: string): string {
    return join(this.path, 'parts', `${key}.part`);
  }

  /** True when a complete part file exists for `key`. */
  async has(key: string): Promise<boolean> {
    return (await this.readMeta(key)) !== undefined;
  }

  /** The part's JSON only (no audio), or undefined when the part is missing or incomplete. */
  async readMeta(key: string): Promise<PartMeta | undefined> {
    const handle = await open(this.partPath(key), 'r').catch(() => undefined);
    if (!handle) return undefined;
    try {
      const prefix = Buffer.alloc(PREFIX_BYTES);
      const { bytesRead } = await handle.read(prefix, 0, PREFIX_BYTES, 0);
      if (bytesRead < PREFIX_BYTES || !prefix.subarray(0, PART_MAGIC.length).equals(PART_MAGIC)) return undefined;
      const metaBytes = prefix.readUInt32LE(PART_MAGIC.length);
      const json = Buffer.alloc(metaBytes);
      if ((await handle.read(json, 0, metaBytes, PREFIX_BYTES)).bytesRead < metaBytes) return undefined;
      const meta = JSON.parse(json.toString('utf8')) as PartMeta;
      const { size } = await handle.stat();
      return size === PREFIX_BYTES + metaBytes + meta.audioBytes ? meta : undefined;
    } catch {
      return undefined;
    } finally {
      await handle.close();
    }
  }

  /** The whole part; throws when it is missing (the caller checked it was there). */
  async read(key: string): Promise<StoredPart> {
    const bytes = await readFile(this.partPath(key));
    const metaBytes = bytes.readUInt32LE(PART_MAGIC.length);
    const meta = JSON.parse(bytes.toString('utf8', PREFIX_BYTES, PREFIX_BYTES + metaBytes)) as PartMeta;
    return { meta, audio: bytes.subarray(PREFIX_BYTES + metaBytes) };
  }

  async write(key: string, audio: Buffer, meta: Omit<PartMeta, 'audioBytes'>): Promise<void> {
    const json = Buffer.from(JSON.stringify({ ...meta, audioBytes: audio.length }), 'utf8');
    const prefix = Buffer.alloc(PREFIX_BYTES);
    PART_MAGIC.copy(prefix);
    prefix.writeUInt32LE(json.length, PART_MAGIC.length);
    await writeFileAtomically(this.partPath(key), [prefix, json, audio], { what: 'book part', usageErrors: 'none' });
  }
}

async function readManifest(path: string): Promise<BookIdentity | undefined> {
  const text = await readFile(path, 'utf8').catch(() => undefined);
  if (text === undefined) return undefined;
  let manifest: Partial<BookIdentity & { kind: string }>;
  try {
    manifest = JSON.parse(text) as typeof manifest;
  } catch {
    manifest = {};
  }
  if (manifest.kind !== MANIFEST_KIND || typeof manifest.source !== 'string') {
    throw new ValidationError(`${path} is not an inworld book work directory manifest; pass another --work-dir or delete it.`);
  }
  return { source: manifest.source, textHash: String(manifest.textHash) };
}

/** The default work directory: beside the output, `<output>.parts`. */
export function defaultWorkDir(outputPath: string): string {
  return `${outputPath}.parts`;
}

/** The name a source path is identified by. */
export function sourceName(path: string): string {
  return basename(path);
}
