// Builds the client a command runs with: credentials and endpoints from flags, environment and
// config file, or an in-process emulator on a free loopback port for --emulator.
import { InworldClient } from '../core/client.js';
import { ValidationError } from '../core/errors.js';
import { redactingLogger, silentLogger } from '../core/log.js';
import { registerSecret } from './exit.js';
import { noteConnection } from './failure-hints.js';
import type { GlobalOptions } from './options.js';
import { note } from './ui.js';

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
    ? redactingLogger((line) => note(`[inworld] ${line}`), [options.apiKey, env.INWORLD_API_KEY].filter(isString))
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
  const keySource = client.connection.sources.apiKey;
  noteConnection(keySource, client.maxRetries);
  if (keySource.kind === 'config-file' && !options.quiet) {
    // Say so if other users can read the file the key came from.
    const { looseConfigWarningSync } = await import('./setup/config-file.js');
    const warning = looseConfigWarningSync(keySource.path);
    if (warning) note(warning);
  }
  refusePlaintextKey(client, options.insecure === true);
  if (options.apiKey !== undefined && !options.quiet) {
    note('inworld: warning: a key given with --api-key is visible to other local users (ps, shell history); prefer INWORLD_API_KEY or the config file.');
  }
  return { client, close: async () => {} };
}

/** The key must not cross a network in clear text: plain http/ws only to this machine, or with --insecure. */
function refusePlaintextKey(client: InworldClient, insecure: boolean): void {
  if (insecure) return;
  for (const url of [client.connection.baseUrl, client.connection.wsUrl]) {
    if ((url.protocol === 'http:' || url.protocol === 'ws:') && !isLoopbackHost(url.hostname)) {
      throw new ValidationError(`Refusing to send the API key over unencrypted ${url.protocol}// to ${url.host}`, {
        hint: 'Use https:// and wss://, or pass --insecure if this network is trusted',
      });
    }
  }
}

export function isLoopbackHost(host: string): boolean {
  const bare = host.replace(/^\[|\]$/g, '');
  return bare === 'localhost' || bare === '::1' || /^127\.\d+\.\d+\.\d+$/.test(bare);
}

function isString(value: string | undefined): value is string {
  return typeof value === 'string' && value.length > 0;
}
