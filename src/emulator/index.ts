// Placeholder: the emulator's public entry point (startEmulator) lands with the emulator work.
export interface EmulatorOptions {
  port?: number;
  host?: string;
  quiet?: boolean;
}
export interface RunningEmulator {
  url: string;
  wsUrl: string;
  close(): Promise<void>;
}
export async function startEmulator(_options: EmulatorOptions = {}): Promise<RunningEmulator> {
  throw new Error('emulator not implemented yet');
}
