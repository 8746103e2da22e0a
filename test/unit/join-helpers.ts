// Shared by the part-joiner tests: test audio, a driver that feeds parts to a joiner in uneven
// pieces, and ffmpeg/ffprobe runs on the result.
import { needs } from '../helpers/needs.js';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createPartJoiner, type HeaderPatch, type JoinedContainer } from '../../src/audio/part-joiner.js';

export const RATE = 24000;

// A local check: test/helpers has no shared "skip when a program is missing" helper yet.
export const FFMPEG_MISSING = needs('ffmpeg', 'ffprobe');

/** A tone (its pitch set by `seed`) with silent stretches and runs of -8 (0xFFF8: a FLAC sync look-alike). */
export function samples(count: number, seed = 0): Int16Array {
  const out = new Int16Array(count);
  for (let i = 0; i < count; i += 1) out[i] = i % 5000 < 700 ? -8 : Math.round(8000 * Math.sin((2 * Math.PI * (220 + 55 * seed) * i) / RATE));
  return out;
}

export interface Joined {
  /** The joined stream with the header patch (if any) written over it, as a seekable file gets it. */
  bytes: Buffer;
  /** As a pipe gets it: no patch. */
  unpatched: Buffer;
  patch: HeaderPatch | undefined;
  /** partOffsetSeconds() after each part's first piece. */
  offsets: number[];
  /** The most bytes pushed and not yet given out at any moment. */
  maxHeldBytes: number;
}

/** Feeds each part in pieces of the given sizes (cycling), then endPart()/end(). */
export function joinParts(container: JoinedContainer, parts: Buffer[], pieces: number[] = [1, 7, 300, 2, 4096]): Joined {
  const joiner = createPartJoiner(container)!;
  const out: Buffer[] = [];
  const offsets: number[] = [];
  let pushed = 0;
  let given = 0;
  let maxHeldBytes = 0;
  let piece = 0;
  parts.forEach((part, index) => {
    for (let at = 0; at < part.length; piece += 1) {
      const bytes = part.subarray(at, at + pieces[piece % pieces.length]!);
      at += bytes.length;
      pushed += bytes.length;
      const joined = joiner.push(bytes);
      given += joined.length;
      out.push(joined);
      if (offsets.length === index) offsets.push(joiner.partOffsetSeconds());
      maxHeldBytes = Math.max(maxHeldBytes, pushed - given);
    }
    const rest = index < parts.length - 1 ? joiner.endPart() : joiner.end();
    given += rest.length;
    out.push(rest);
  });
  const unpatched = Buffer.concat(out);
  const bytes = Buffer.from(unpatched);
  const patch = joiner.headerPatch();
  if (patch) patch.bytes.copy(bytes, patch.offset);
  return { bytes, unpatched, patch, offsets, maxHeldBytes };
}

function inTempFile<T>(bytes: Buffer, extension: string, run: (file: string) => T): T {
  const dir = mkdtempSync(join(tmpdir(), 'inworld-join-'));
  try {
    const file = join(dir, `audio.${extension}`);
    writeFileSync(file, bytes);
    return run(file);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** ffprobe's duration, what ffmpeg decodes (mono s16le at `rate`), and what ffmpeg reports as errors. */
export function ffmpegView(bytes: Buffer, extension: string, rate = RATE): { probed: number; decoded: Buffer; errors: string } {
  return inTempFile(bytes, extension, (file) => {
    const probe = spawnSync('ffprobe', ['-v', 'error', '-show_entries', 'format=duration', '-of', 'csv=p=0', file]);
    const decode = spawnSync('ffmpeg', ['-v', 'error', '-i', file, '-f', 's16le', '-ac', '1', '-ar', String(rate), '-'], { maxBuffer: 1 << 28 });
    return { probed: Number(probe.stdout.toString().trim()), decoded: decode.stdout, errors: decode.stderr.toString().trim() };
  });
}
