// Placeholder entry point; the HTTP server lands in the next commit. Types are final.
import type { FaultRegistry } from './faults.js';
import type { EmulatorOptions } from './options.js';
import type { RequestRecorder } from './recorder.js';

export type { EmulatorOptions } from './options.js';

export interface RunningEmulator {
  url: string;
  wsUrl: string;
  port: number;
  host: string;
  faults: FaultRegistry;
  requests: RequestRecorder;
  close(): Promise<void>;
}

export async function startEmulator(_options: EmulatorOptions = {}): Promise<RunningEmulator> {
  throw new Error('emulator not implemented yet');
}
