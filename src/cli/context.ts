// Builds the client a command runs with: credentials and endpoints from flags, environment and
// config file, or an in-process emulator on a free loopback port for --emulator.
import { InworldClient } from '../client.js';
import { redactingLogger, silentLogger } from '../core/log.js';
import { registerSecret } from './exit.js';
import type { GlobalOptions } from './options.js';

export interface CommandContext {
  client: InworldClient;
  /** Stops the in-process emulator, if one was started. */
  close(): Promise<void>;
}

const EMULATOR_KEY = 'emulator-key';

export function emulatorRequested(options: GlobalOptions, env = process.env): boolean {
  return options.emulator === true || env.INWORLD_EMULATOR === '1' || env.INWORLD_EMULATOR === 'true';
}

export async function openContext(options: GlobalOptions, env = process.env): Promise<CommandContext> {
  registerSecret(options.apiKey);
  registerSecret(env.INWORLD_API_KEY);
  const logger = options.verbose
    ? redactingLogger((line) => process.stderr.write(`[inworld] ${line}\n`), [options.apiKey, env.INWORLD_API_KEY].filter(isString))
    : silentLogger;
  const common = { timeoutMs: options.timeout, maxRetries: options.retries, logger };

  if (emulatorRequested(options, env)) {
    const { startEmulator } = await import('../emulator/index.js');
    const emulator = await startEmulator({ port: 0, host: '127.0.0.1', quiet: true });
    const client = new InworldClient({
      ...common,
      apiKey: options.apiKey ?? env.INWORLD_API_KEY ?? EMULATOR_KEY,
      baseUrl: emulator.url,
      wsUrl: emulator.wsUrl,
      configPath: null,
    });
    registerSecret(client.connection.apiKey);
    return { client, close: () => emulator.close() };
  }

  const client = new InworldClient({ ...common, apiKey: options.apiKey, baseUrl: options.baseUrl, wsUrl: options.wsUrl, env });
  registerSecret(client.connection.apiKey);
  return { client, close: async () => {} };
}

function isString(value: string | undefined): value is string {
  return typeof value === 'string' && value.length > 0;
}
