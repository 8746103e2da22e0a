// A fake ALSA sound card for tests: ALSA reads $XDG_CONFIG_HOME/alsa/asoundrc, so a temp config
// dir can make "default" a file (playback lands in ALSA_OUT, byte-exact; capture reads ALSA_IN)
// or make it unusable (the no-device case). See /work/shared/audio-testing.md.
import { mkdtempSync, mkdirSync, rmSync, writeFileSync, chmodSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export type FakeAlsaMode =
  /** "default" plays into the file named by ALSA_OUT and records from the file named by ALSA_IN. */
  | 'file'
  /** "default" discards everything. */
  | 'null'
  /** "default" points at a card that does not exist: every open fails. */
  | 'missing';

const FILE_DEVICE = `pcm.!default {
  type file
  slave.pcm "null"
  file { @func getenv vars [ ALSA_OUT ] default "/dev/null" }
  infile { @func getenv vars [ ALSA_IN ] default "/dev/zero" }
  format "raw"
}
`;
const NULL_DEVICE = 'pcm.!default { type null }\n';
const MISSING_DEVICE = `pcm.!default { type hw card 31 }
ctl.!default { type hw card 31 }
`;

export interface FakeAlsa {
  /** The temp directory; everything below it is removed by cleanup(). */
  dir: string;
  /** Where playback lands in `file` mode. */
  outPath: string;
  /** Where capture reads from in `file` mode (write raw PCM here before recording). */
  inPath: string;
  /** Environment to give the player/recorder: process.env plus XDG_CONFIG_HOME, ALSA_OUT, ALSA_IN. */
  env: NodeJS.ProcessEnv;
  cleanup(): void;
}

export function fakeAlsa(mode: FakeAlsaMode = 'file'): FakeAlsa {
  const dir = mkdtempSync(join(tmpdir(), 'inworld-alsa-'));
  mkdirSync(join(dir, 'alsa'));
  const config = mode === 'file' ? FILE_DEVICE : mode === 'null' ? NULL_DEVICE : MISSING_DEVICE;
  writeFileSync(join(dir, 'alsa', 'asoundrc'), config);
  const outPath = join(dir, 'played.raw');
  const inPath = join(dir, 'mic.raw');
  return {
    dir,
    outPath,
    inPath,
    env: { ...process.env, XDG_CONFIG_HOME: dir, ALSA_OUT: outPath, ALSA_IN: inPath },
    cleanup: () => rmSync(dir, { recursive: true, force: true }),
  };
}

/**
 * A directory holding one executable script named `name` that runs `body` (POSIX sh), for
 * putting a fake `arecord`/`aplay`/`ffmpeg` first on PATH. Returns the directory.
 */
export function fakeProgram(dir: string, name: string, body: string): string {
  const binDir = join(dir, 'bin');
  mkdirSync(binDir, { recursive: true });
  const path = join(binDir, name);
  writeFileSync(path, `#!/bin/sh\n${body}\n`);
  chmodSync(path, 0o755);
  return binDir;
}
