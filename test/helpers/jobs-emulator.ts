// The set-up the server-side job tests share: one emulator whose jobs finish after 50 ms, a fresh
// temporary directory and a clean request log, faults and URL lifetime before every test.
import { after, before, beforeEach } from 'node:test';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { InworldClient } from '../../src/core/client.js';
import { startEmulator, type RunningEmulator } from '../../src/emulator/index.js';

/** Polls as fast as the emulator's jobs finish. */
export const FAST_POLL = { baseDelayMs: 20, maxDelayMs: 50, jitter: 'none' as const };

export interface JobsFixture {
  /** The running emulator (set once the suite's `before` ran). */
  readonly emulator: RunningEmulator;
  /** This test's own temporary directory. */
  readonly dir: string;
  /** A client of the emulator, with `maxRetries` (default 2). */
  client(maxRetries?: number): InworldClient;
}

export function jobsFixture(tempPrefix: string): JobsFixture {
  let emulator: RunningEmulator | undefined;
  let dir = '';
  before(async () => {
    emulator = await startEmulator({ port: 0, engine: 'synthetic', quiet: true, jobDelayMs: 50 });
  });
  after(async () => {
    await emulator?.close();
  });
  beforeEach(async () => {
    emulator!.requests.clear();
    emulator!.faults.clear();
    emulator!.options.signedUrlTtlMs = 60_000;
    dir = await mkdtemp(join(tmpdir(), tempPrefix));
  });
  return {
    get emulator() {
      return emulator!;
    },
    get dir() {
      return dir;
    },
    client: (maxRetries = 2) => new InworldClient({ apiKey: 'k', baseUrl: emulator!.url, env: {}, configPath: null, timeoutMs: 5000, maxRetries }),
  };
}
