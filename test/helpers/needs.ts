// What a test needs from the machine. A test that needs a system program (ffmpeg, aplay, zsh, …)
// or the optional `speaker` module skips, saying what to install, when it is missing:
//   test('decodes with ffmpeg', { skip: needs('ffmpeg') }, async () => { … });
// With INWORLD_TEST_REQUIRE_TOOLS=1 (.ci/run sets it after installing everything) a missing one
// is a failing test instead, so CI cannot pass by skipping. Call these where tests are defined
// (test options, describe bodies), not inside a running test.
import { test } from 'node:test';
import { findExecutable } from '../../src/audio/find-executable.js';
import { resolveSpeakerPackage } from '../../src/audio/players.js';

export const REQUIRE_TOOLS_VARIABLE = 'INWORLD_TEST_REQUIRE_TOOLS';

/** The Debian package that installs each program, for the skip reason. */
const DEBIAN_PACKAGE: Readonly<Record<string, string>> = {
  ffmpeg: 'ffmpeg',
  ffprobe: 'ffmpeg',
  ffplay: 'ffmpeg',
  aplay: 'alsa-utils',
  arecord: 'alsa-utils',
  sox: 'sox',
  rec: 'sox',
  'espeak-ng': 'espeak-ng',
  zsh: 'zsh',
  fish: 'fish',
  bash: 'bash',
  python3: 'python3',
  script: 'bsdutils',
  pgrep: 'procps',
};

/** false when every program is on PATH; otherwise the skip reason naming what to install. */
export function needs(...programs: string[]): string | false {
  const missing = programs.filter((program) => !findExecutable(program));
  if (missing.length === 0) return false;
  for (const program of missing) requireOrSkip(`${program} is not installed (apt-get install ${DEBIAN_PACKAGE[program] ?? program})`);
  const packages = [...new Set(missing.map((program) => DEBIAN_PACKAGE[program] ?? program))];
  return `${missing.join(' and ')} not installed (apt-get install ${packages.join(' ')})`;
}

/** false when the optional `speaker` module was built; otherwise the skip reason. */
export function needsSpeakerModule(): string | false {
  if (resolveSpeakerPackage()) return false;
  const reason = 'the optional speaker module was not built (it needs libasound2-dev and a C++ compiler; then npm ci again)';
  requireOrSkip(reason);
  return reason;
}

export function toolsRequired(env: NodeJS.ProcessEnv = process.env): boolean {
  const value = env[REQUIRE_TOOLS_VARIABLE];
  return value !== undefined && value !== '' && value !== '0';
}

const reported = new Set<string>();

/** Under INWORLD_TEST_REQUIRE_TOOLS: one failing test per missing thing per file (the tests that need it still skip). */
function requireOrSkip(what: string): void {
  if (!toolsRequired() || reported.has(what)) return;
  reported.add(what);
  test(`${REQUIRE_TOOLS_VARIABLE} is set, but ${what}`, () => {
    throw new Error(`${what}: with ${REQUIRE_TOOLS_VARIABLE} set, a test that needs it fails instead of skipping`);
  });
}
