// `inworld mcp`: runs the Model Context Protocol server (src/mcp) so AI assistants can speak,
// transcribe and manage voices through Inworld. This command only resolves the connection (flags,
// environment, config file, or --emulator), checks the flags, and starts the server; on stdio,
// standard output belongs to the protocol and everything else goes to standard error.
import { Command, Option } from 'commander';
import { ValidationError } from '../../core/errors.js';
import { interruptSignal } from '../interrupt.js';
import { addGlobalOptions, nonNegativeInt, type GlobalOptions } from '../options.js';
import { note } from '../ui.js';
import { registerSecret } from '../exit.js';

interface McpFlags extends GlobalOptions {
  http?: number;
  host: string;
  token?: string;
  allowOrigin: string[];
  outDir?: string;
  inputDir: string[];
}

function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

function port(value: string): number {
  const n = nonNegativeInt('--http')(value);
  if (n > 65535) throw new ValidationError(`--http must be a port 0..65535, not "${value}".`);
  return n;
}

export function mcpCommand(): Command {
  const command = new Command('mcp')
    .description('run a Model Context Protocol server (stdio, or streamable HTTP) with tools to speak, transcribe and manage voices')
    .addOption(new Option('--out-dir <dir>', 'directory for the audio files the tools write (default: $XDG_DATA_HOME/inworld/mcp)'))
    .addOption(new Option('--input-dir <dir>', 'another directory transcribe and clone_voice may read files from (repeatable)').default([]).argParser(collect))
    .addOption(new Option('--http <port>', 'serve streamable HTTP on this port (0 = any free port) instead of stdio').argParser(port))
    .addOption(new Option('--host <address>', 'with --http: interface to bind; other than loopback needs --token').default('127.0.0.1'))
    .addOption(new Option('--token <secret>', 'with --http: require "Authorization: Bearer <secret>" on every request (env INWORLD_MCP_TOKEN)'))
    .addOption(new Option('--allow-origin <origin>', 'with --http: a browser origin allowed besides localhost (repeatable)').default([]).argParser(collect));
  addGlobalOptions(command);
  return command
    .addHelpText(
      'after',
      `
Tools: speak, transcribe, list_voices, design_voice, publish_voice, clone_voice, get_usage.
Files are written only inside --out-dir; transcribe and clone_voice read only from it and
from --input-dir directories.

Examples:
  $ claude mcp add inworld -- npx inworld-cli mcp
  $ inworld mcp --out-dir ~/speech                # stdio, for an MCP client to start
  $ inworld mcp --http 8808 --emulator            # http://127.0.0.1:8808/mcp, offline
  $ INWORLD_MCP_TOKEN=$(openssl rand -hex 24) inworld mcp --http 8808 --host 0.0.0.0`,
    )
    .action(async (flags: McpFlags) => {
      await runMcp(flags);
    });
}

async function runMcp(flags: McpFlags): Promise<void> {
  const token = flags.token ?? process.env.INWORLD_MCP_TOKEN;
  registerSecret(token);
  if (flags.http === undefined && (flags.host !== '127.0.0.1' || token !== undefined || flags.allowOrigin.length > 0)) {
    throw new ValidationError('--host, --token and --allow-origin apply to the HTTP transport', { hint: 'Add --http <port>, or drop them for stdio' });
  }
  const { startMcp, checkHttpOptions, defaultOutputDirectory } = await import('../../mcp/index.js');
  const http = flags.http === undefined ? undefined : { port: flags.http, host: flags.host, token, allowedOrigins: flags.allowOrigin };
  checkHttpOptions(http); // before the key is resolved or an emulator started
  const { openContext } = await import('../context.js');
  const context = await openContext(flags);
  try {
    const { client } = context;
    const log = (line: string) => {
      if (flags.verbose) note(`[inworld mcp] ${line}`);
    };
    const running = await startMcp({
      connection: {
        apiKey: client.connection.apiKey,
        baseUrl: client.connection.baseUrl.href,
        wsUrl: client.connection.wsUrl.href,
        timeoutMs: client.timeoutMs,
        maxRetries: client.maxRetries,
        logger: client.logger,
        configPath: null,
        env: {},
      },
      outDir: flags.outDir ?? defaultOutputDirectory(),
      inputDirs: flags.inputDir,
      http,
      log,
    });
    if (running.url) {
      // Like `inworld emulator`: the first line of standard output says where it listens.
      process.stdout.write(`${running.url}\n`);
      note(`inworld mcp: listening on ${running.url}${token ? ' (bearer token required)' : ''}; files in ${running.outDir}; Ctrl-C to stop`, flags);
    } else {
      note(`inworld mcp: serving MCP on stdio; files in ${running.outDir}`, flags);
    }
    const signal = interruptSignal();
    const stopped = new Promise<'signal'>((resolve) => signal.addEventListener('abort', () => resolve('signal'), { once: true }));
    const how = await Promise.race([running.closed.then(() => 'closed' as const), stopped]);
    await running.close();
    if (how === 'signal') throw signal.reason;
  } finally {
    await context.close();
  }
}
