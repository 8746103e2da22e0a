// `inworld serve`: starts the OpenAI-compatible audio gateway (src/serve) until interrupted. The
// first line of stdout is its base URL, the `baseURL` to give an OpenAI client.
import { Command, Option } from 'commander';
import { ValidationError } from '../../core/errors.js';
import { emulatorRequested, isLoopbackHost } from '../context.js';
import { registerSecret } from '../exit.js';
import { interruptSignal } from '../interrupt.js';
import { addGlobalOptions, nonNegativeInt, type GlobalOptions } from '../options.js';
import { note } from '../ui.js';

const DEFAULT_PORT = 8788;
const EMULATOR_KEY = 'emulator-key';

interface ServeFlags extends GlobalOptions {
  port: number;
  host: string;
  token?: string;
  voiceMap?: string;
}

function port(value: string): number {
  const n = nonNegativeInt('--port')(value);
  if (n > 65535) throw new Error(`--port must be 0..65535, not "${value}".`);
  return n;
}

export function serveCommand(): Command {
  const command = new Command('serve')
    .description("run a local OpenAI-compatible audio API (/v1/audio/speech, /v1/audio/transcriptions, /v1/models) in front of Inworld")
    .addOption(new Option('--port <n>', 'port to listen on (0 = any free port)').default(DEFAULT_PORT).argParser(port))
    .addOption(new Option('--host <address>', 'interface to bind; other than loopback only with --token').default('127.0.0.1'))
    .addOption(new Option('--token <secret>', 'access token clients must send as their API key (Authorization: Bearer); env INWORLD_SERVE_TOKEN'))
    .addOption(new Option('--voice-map <file.json>', 'OpenAI voice and model names to Inworld ids, merged over the defaults'));
  addGlobalOptions(command);
  return command
    .addHelpText(
      'after',
      `
Examples:
  $ inworld serve                                  # http://127.0.0.1:8788/v1
  $ inworld serve --emulator --port 0              # offline, any free port
  $ inworld serve --host 0.0.0.0 --token "$(openssl rand -hex 16)"
  $ OPENAI_BASE_URL=http://127.0.0.1:8788/v1 OPENAI_API_KEY=unused your-app`,
    )
    .action(async (flags: ServeFlags) => {
      const token = flags.token ?? (process.env.INWORLD_SERVE_TOKEN || undefined);
      registerSecret(token);
      if (!isLoopbackHost(flags.host) && !token) {
        throw new ValidationError(`refusing to listen on ${flags.host} without an access token`, { hint: 'Add --token <secret>, or keep the default --host 127.0.0.1' });
      }
      const [{ Inworld }, { startGateway }, { loadMapping, defaultMapping }] = await Promise.all([
        import('../../inworld.js'),
        import('../../serve/gateway.js'),
        import('../../serve/mapping.js'),
      ]);
      const mapping = flags.voiceMap ? await loadMapping(flags.voiceMap) : defaultMapping();
      const emulator = emulatorRequested(flags) ? await (await import('../../emulator/index.js')).startEmulator({ port: 0, host: '127.0.0.1', quiet: true }) : undefined;
      const apiKey = emulator ? (flags.apiKey ?? process.env.INWORLD_API_KEY ?? EMULATOR_KEY) : flags.apiKey;
      registerSecret(apiKey);
      registerSecret(process.env.INWORLD_API_KEY);
      const inworld = new Inworld({
        apiKey,
        baseUrl: emulator?.url ?? flags.baseUrl,
        wsUrl: emulator?.wsUrl ?? flags.wsUrl,
        timeoutMs: flags.timeout,
        maxRetries: flags.retries,
        ...(emulator ? { configPath: null } : {}),
      });
      const secrets = [apiKey, process.env.INWORLD_API_KEY, token].filter((value): value is string => typeof value === 'string' && value !== '');
      const gateway = await startGateway({
        inworld,
        port: flags.port,
        host: flags.host,
        token,
        mapping,
        secrets,
        log: flags.verbose ? (line) => note(`[serve] ${line}`) : (line) => (/ \d{3} \d+ ms$/.test(line) ? undefined : note(`inworld serve: ${line}`, flags)),
      });
      process.stdout.write(`${gateway.url}\n`);
      note(`inworld serve: OpenAI-compatible audio API on ${gateway.url}${emulator ? ' (Inworld emulator in process)' : ''}${token ? ', token required' : ''}; Ctrl-C to stop`, flags);
      const signal = interruptSignal();
      await new Promise<void>((resolve) => signal.addEventListener('abort', () => resolve(), { once: true }));
      await gateway.close();
      await inworld.close();
      await emulator?.close();
      throw signal.reason;
    });
}
