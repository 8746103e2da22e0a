// What every suite gets: run settings, paths, the child environment, and the report it fills in.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const BENCH_DIR = fileURLToPath(new URL('..', import.meta.url));
export const ROOT_DIR = join(BENCH_DIR, '..');
export const CLI = join(ROOT_DIR, 'bin', 'inworld.js');
export const NODE = process.execPath;

export interface Row {
  measure: string;
  figure: string;
  target?: string;
  /** undefined: informational. */
  ok?: boolean;
}

export interface Section {
  id: string;
  title: string;
  what: string;
  rows: Row[];
  notes: string[];
}

export class BenchContext {
  readonly quick: boolean;
  readonly tmp: string;
  readonly sections: Section[] = [];

  constructor(quick: boolean) {
    this.quick = quick;
    this.tmp = mkdtempSync(join(tmpdir(), 'inworld-bench-'));
  }

  /** Repetitions: quick mode keeps the whole run well under two minutes. */
  reps(quick: number, full: number): number {
    return this.quick ? quick : full;
  }

  /**
   * Environment for a CLI child pointed at `baseUrl`: no config file, no colour, and a cache
   * directory of the run's own (the CLI's code cache is written there by a command's first run).
   */
  cliEnv(baseUrl: string, wsUrl?: string): NodeJS.ProcessEnv {
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      XDG_CONFIG_HOME: join(this.tmp, 'xdg'),
      XDG_CACHE_HOME: join(this.tmp, 'cache'),
      INWORLD_API_KEY: 'bench-key',
      INWORLD_BASE_URL: baseUrl,
      NO_COLOR: '1',
    };
    delete env.INWORLD_EMULATOR;
    delete env.INWORLD_WS_URL;
    if (wsUrl) env.INWORLD_WS_URL = wsUrl;
    return env;
  }

  section(id: string, title: string, what: string): Section {
    const section: Section = { id, title, what, rows: [], notes: [] };
    this.sections.push(section);
    return section;
  }

  cleanup(): void {
    rmSync(this.tmp, { recursive: true, force: true });
  }
}
