// `inworld doctor`: checks what the tool needs on this machine and prints one line per check with
// the fix. The report is the command's output, so it goes to stdout (pipe it into a bug report);
// `--json` prints the same results for scripts. Exit 1 when something required is missing (Node
// too old, no key, key rejected, API unreachable); optional things (audio, ffmpeg) only warn.
import { spawn } from 'node:child_process';
import { Command, Option } from 'commander';
import { connectionSettings, parseBaseUrl, type SettingSource } from '../../core/config.js';
import { defaultConfigPath, readConfigFile, type ConfigFile } from '../../core/config-file.js';
import { AuthenticationError, InworldError, PermissionDeniedError } from '../../core/errors.js';
import { mask } from '../../core/log.js';
import { TTS_WS_PATH } from '../../tts/ws-protocol.js';
import { findExecutable } from '../../audio/find-executable.js';
import { PLAYERS, defaultPlayerOrder, resolveSpeakerPackage, type PlayerName } from '../../audio/players.js';
import { formatMode, looseConfigMode } from './config-file.js';
import type { CommandContext } from '../context.js';
import { registerSecret } from '../exit.js';
import { colorLevel, painter } from '../ui.js';
import { addGlobalOptions, type GlobalOptions } from '../options.js';

export const MIN_NODE_MAJOR = 20;
/** How long one probe (a player, the recorder, the speaker child) may take before we call it stuck. */
export const PROBE_TIMEOUT_MS = 5_000;
/** Deadline for each reachability request and for the voices call, unless --timeout says otherwise. */
export const NETWORK_TIMEOUT_MS = 10_000;
/** Reachability requests: the first pays DNS + TCP + TLS, the rest show the round trip on a warm connection. */
export const NETWORK_SAMPLES = 3;
/** A 10 ms capture at 16 kHz: enough to prove the default input device opens. */
const RECORDER_PROBE_SAMPLES = 160;

export type CheckStatus = 'ok' | 'warn' | 'fail' | 'skip';

export interface CheckResult {
  id: string;
  label: string;
  status: CheckStatus;
  /** What was found, one line. */
  detail: string;
  /** What to do about it (absent when nothing needs doing). */
  fix?: string;
  /** A failure of a required check makes the command exit 1. */
  required: boolean;
  /** How long the thing measured took, where that is the point (network, voices call). */
  ms?: number;
}

interface DoctorFlags extends GlobalOptions {
  json?: boolean;
}

export function doctorCommand(): Command {
  const command = new Command('doctor')
    .description('check Node, the API key, the network and WebSocket, audio output, microphone and ffmpeg, with fixes')
    .addOption(new Option('--json', 'print the results as JSON on stdout'));
  addGlobalOptions(command);
  return command
    .addHelpText(
      'after',
      `
Exits 1 when something required is missing (Node ${MIN_NODE_MAJOR}+, a key the API accepts, a reachable API);
audio, microphone, ffmpeg and the WebSocket (needed by stream and transcribe) only warn.

Examples:
  $ inworld doctor
  $ inworld doctor --json | jq '.checks[] | select(.status != "ok")'
  $ inworld doctor --base-url http://127.0.0.1:8787/`,
    )
    .action(async (flags: DoctorFlags) => {
      const results = await runChecks(flags);
      const failed = results.some((result) => result.required && result.status === 'fail');
      if (flags.json) {
        process.stdout.write(`${JSON.stringify({ ok: !failed, checks: results }, null, 2)}\n`);
      } else {
        process.stdout.write(await renderReport(results, flags.quiet === true));
      }
      // Through the single exit path (exit 1): main() would otherwise exit 0 after the action.
      if (failed) {
        const count = results.filter((result) => result.required && result.status === 'fail').length;
        throw new InworldError(`${count} required check${count === 1 ? '' : 's'} failed${flags.json ? '' : '; see the fixes above'}`);
      }
    });
}

/** Runs every check (the slow ones concurrently) and returns them in report order. */
export async function runChecks(flags: DoctorFlags, env: NodeJS.ProcessEnv = process.env): Promise<CheckResult[]> {
  const configPath = defaultConfigPath(env);
  const configCheck = checkConfigFile(configPath);
  const file = readConfigQuietly(configPath);
  const local = Promise.all([checkAudioOutput(env), checkRecorder(env), Promise.resolve(checkFfmpeg(env))]);
  const remote = checkRemote(flags, env, file);
  const [config, [audio, recorder, ffmpeg], [key, network, accepted, websocket]] = await Promise.all([configCheck, local, remote]);
  return [checkNode(), config, key, network, accepted, websocket, audio, recorder, ffmpeg];
}

export function checkNode(version: string = process.versions.node): CheckResult {
  const major = Number(version.split('.')[0]);
  if (major >= MIN_NODE_MAJOR) return { id: 'node', label: 'Node.js', status: 'ok', detail: `v${version}`, required: true };
  return {
    id: 'node',
    label: 'Node.js',
    status: 'fail',
    detail: `v${version} is too old`,
    fix: `install Node ${MIN_NODE_MAJOR} or newer (https://nodejs.org, or nvm install ${MIN_NODE_MAJOR})`,
    required: true,
  };
}

function readConfigQuietly(path: string): ConfigFile {
  try {
    return readConfigFile(path);
  } catch {
    return {};
  }
}

async function checkConfigFile(path: string): Promise<CheckResult> {
  const base = { id: 'config', label: 'Config file', required: true };
  const { stat } = await import('node:fs/promises');
  const exists = await stat(path).then(() => true, () => false);
  if (!exists) return { ...base, status: 'ok', detail: `${path} (not created yet; optional)` };
  try {
    readConfigFile(path);
  } catch (error) {
    // Every command reads this file, so a broken one breaks them all: a required failure.
    return { ...base, status: 'fail', detail: (error as Error).message, fix: `fix the JSON in ${path}, or delete it and run \`inworld login\`` };
  }
  const loose = await looseConfigMode(path);
  if (loose) {
    return {
      ...base,
      status: 'warn',
      detail: `${path} has mode ${formatMode(loose.mode)}: other users can read it`,
      fix: `chmod 600 ${path}`,
    };
  }
  return { ...base, status: 'ok', detail: `${path} (private)` };
}

/** How the report names a setting's source: the flag, the variable, the file, or the default. */
function sourceName(source: SettingSource, flag: string): string {
  switch (source.kind) {
    case 'option':
      return flag;
    case 'environment':
      return source.variable;
    case 'config-file':
      return 'config file';
    case 'default':
      return 'default';
  }
}

/** Key present, API reachable (with latency), key accepted (a voices call, timed), WebSocket upgrade allowed. */
async function checkRemote(flags: DoctorFlags, env: NodeJS.ProcessEnv, file: ConfigFile): Promise<[CheckResult, CheckResult, CheckResult, CheckResult]> {
  const { emulatorRequested, openContext } = await import('../context.js');
  const emulator = emulatorRequested(flags, env);
  const keyBase = { id: 'api-key', label: 'API key', required: true };
  // The client's own precedence, over the file read leniently (a broken file is the config check's failure).
  const settings = connectionSettings({ apiKey: flags.apiKey, baseUrl: flags.baseUrl, wsUrl: flags.wsUrl, env }, file);
  const key = { value: settings.apiKey?.value, from: settings.apiKey ? sourceName(settings.apiKey.source, '--api-key') : 'default' };
  registerSecret(key.value);
  let keyCheck: CheckResult;
  if (emulator) keyCheck = { ...keyBase, status: 'ok', detail: 'not needed with --emulator' };
  else if (key.value) keyCheck = { ...keyBase, status: 'ok', detail: `${mask(key.value.trim())} from ${key.from}` };
  else keyCheck = { ...keyBase, status: 'fail', detail: 'not found (no --api-key, INWORLD_API_KEY or config file key)', fix: 'run `inworld login`, or set INWORLD_API_KEY' };

  let context: CommandContext | undefined;
  let contextError: unknown;
  if (emulator || key.value) {
    try {
      context = await openContext({ ...flags, timeout: flags.timeout ?? NETWORK_TIMEOUT_MS, retries: flags.retries ?? 0 }, env);
    } catch (error) {
      contextError = error;
    }
  }
  try {
    let baseUrl: URL;
    let baseFrom: string;
    if (context) {
      baseUrl = context.client.connection.baseUrl;
      baseFrom = emulator ? 'in-process emulator' : sourceName(context.client.connection.sources.baseUrl, '--base-url');
    } else {
      const base = { value: settings.baseUrl.value, from: sourceName(settings.baseUrl.source, '--base-url') };
      try {
        baseUrl = parseBaseUrl(base.value, 'Base URL', ['http:', 'https:']);
      } catch (error) {
        const bad: CheckResult = { id: 'network', label: 'Network', status: 'fail', detail: (error as Error).message, fix: `correct the base URL (${base.from})`, required: true };
        return [keyCheck, bad, skipped('key-accepted', 'Key accepted', 'no usable base URL'), skipped('websocket', 'WebSocket', 'no usable base URL')];
      }
      baseFrom = base.from;
    }
    const network = await checkNetwork(baseUrl, baseFrom, env, flags.timeout ?? NETWORK_TIMEOUT_MS);
    let accepted: CheckResult;
    let websocket: CheckResult;
    if (!context) {
      accepted = contextError
        ? { id: 'key-accepted', label: 'Key accepted', status: 'fail', detail: (contextError as Error).message, fix: hintOf(contextError) ?? 'see the message', required: true }
        : skipped('key-accepted', 'Key accepted', 'no key to check');
      websocket = skipped('websocket', 'WebSocket', 'no key to check');
    } else if (network.status === 'fail') {
      accepted = skipped('key-accepted', 'Key accepted', 'the API is unreachable');
      websocket = skipped('websocket', 'WebSocket', 'the API is unreachable');
    } else {
      accepted = await checkKeyAccepted(context, emulator);
      websocket = accepted.status === 'ok' ? await checkWebSocket(context) : skipped('websocket', 'WebSocket', 'the key was not accepted');
    }
    return [keyCheck, network, accepted, websocket];
  } finally {
    await context?.close();
  }
}

function hintOf(error: unknown): string | undefined {
  return error instanceof InworldError ? error.hint : undefined;
}

function skipped(id: string, label: string, why: string): CheckResult {
  return { id, label, status: 'skip', detail: `skipped: ${why}`, required: false };
}

/** Any HTTP answer (even 404) proves the host is reachable; timings show connect cost and round trip. */
async function checkNetwork(baseUrl: URL, from: string, env: NodeJS.ProcessEnv, timeoutMs: number): Promise<CheckResult> {
  const base = { id: 'network', label: 'Network', required: true };
  const { EnvHttpProxyAgent, request } = await import('undici');
  // Honour HTTP(S)_PROXY/NO_PROXY as users' networks need, so "reachable" means reachable the way they connect.
  const proxy = baseUrl.protocol === 'https:' ? env.HTTPS_PROXY ?? env.https_proxy : env.HTTP_PROXY ?? env.http_proxy;
  const agent = new EnvHttpProxyAgent({
    httpProxy: env.HTTP_PROXY ?? env.http_proxy,
    httpsProxy: env.HTTPS_PROXY ?? env.https_proxy,
    noProxy: env.NO_PROXY ?? env.no_proxy,
    connect: { timeout: timeoutMs },
    headersTimeout: timeoutMs,
    bodyTimeout: timeoutMs,
  });
  const via = proxy ? `, proxy settings from the environment` : '';
  const times: number[] = [];
  try {
    for (let i = 0; i < NETWORK_SAMPLES; i += 1) {
      const started = performance.now();
      const response = await request(baseUrl, { method: 'HEAD', dispatcher: agent });
      await response.body.dump();
      times.push(Math.round(performance.now() - started));
    }
  } catch (error) {
    if (times.length === 0) {
      const cause = (error as { cause?: { code?: string } }).cause?.code ?? (error as { code?: string }).code;
      return {
        ...base,
        status: 'fail',
        detail: `cannot reach ${baseUrl.origin}${cause ? ` (${cause})` : ''}: ${(error as Error).message}`,
        fix: `check your connection, firewall or proxy (HTTPS_PROXY/NO_PROXY); the base URL comes from ${from}`,
      };
    }
  } finally {
    await agent.close().catch(() => {});
  }
  const first = times[0]!;
  const warm = times.length > 1 ? Math.min(...times.slice(1)) : undefined;
  return {
    ...base,
    status: 'ok',
    detail: `${baseUrl.origin} reachable (${from}${via}): first request ${first} ms${warm !== undefined ? `, round trip ${warm} ms` : ''}`,
    ms: warm ?? first,
  };
}

async function checkKeyAccepted(context: CommandContext, emulator: boolean): Promise<CheckResult> {
  const base = { id: 'key-accepted', label: 'Key accepted', required: true };
  const { listVoices } = await import('../../voices/list.js');
  const started = performance.now();
  try {
    // The client carries --timeout (or our default) from openContext; one try, so the timing means something.
    const voices = await listVoices(context.client, { timeoutMs: context.client.timeoutMs, maxRetries: 0 });
    const ms = Math.round(performance.now() - started);
    return { ...base, status: 'ok', detail: `${emulator ? 'emulator' : 'API'} listed ${voices.length} voices in ${ms} ms`, ms };
  } catch (error) {
    const ms = Math.round(performance.now() - started);
    if (error instanceof AuthenticationError || error instanceof PermissionDeniedError) {
      return {
        ...base,
        status: 'fail',
        detail: `rejected: ${error.message}`,
        fix: 'copy the "Basic (Base64)" key again from https://platform.inworld.ai/ and run `inworld login`',
        ms,
      };
    }
    return { ...base, status: 'fail', detail: `voices call failed: ${(error as Error).message}`, fix: hintOf(error) ?? 'retry; if it persists, check https://status.inworld.ai/', ms };
  }
}

/**
 * Opens (and at once closes) the TTS WebSocket, which `stream` and `transcribe` need: proxies and
 * firewalls that pass HTTPS often refuse the upgrade. No text is sent, so nothing is synthesized.
 * Optional: say and voices work without it.
 */
async function checkWebSocket(context: CommandContext): Promise<CheckResult> {
  const base = { id: 'websocket', label: 'WebSocket', required: false };
  const url = context.client.wsUrl(TTS_WS_PATH);
  const { loadWebSocket, openWebSocket } = await import('../../core/ws-connection.js');
  await loadWebSocket(); // the time measured is the network's, not the module load
  const started = performance.now();
  const outcome = await openWebSocket({ url, headers: (id) => context.client.headers(id), handshakeTimeoutMs: context.client.timeoutMs }).then(
    ({ socket }): { ok: boolean; why?: string } => {
      socket.resume(); // handed over paused; the close handshake needs the server's answer read
      socket.close(1000);
      return { ok: true };
    },
    (error: InworldError) => {
      const status = (error as { status?: number }).status;
      return { ok: false, why: status !== undefined ? `the upgrade was answered with HTTP ${status}` : error.message };
    },
  );
  const ms = Math.round(performance.now() - started);
  if (outcome.ok) return { ...base, status: 'ok', detail: `${url.origin} accepts the streaming connection (${ms} ms)`, ms };
  return {
    ...base,
    status: 'warn',
    detail: `cannot open ${url.origin}${url.pathname}: ${outcome.why}; stream and transcribe need it`,
    fix: 'allow WebSocket upgrades through your proxy or firewall, or set --ws-url / INWORLD_WS_URL',
    ms,
  };
}

interface ProbeResult {
  ok: boolean;
  output: string;
}

/** Runs a program with empty stdin, a deadline, and no window on the terminal; never throws. */
function probe(program: string, args: string[], env: NodeJS.ProcessEnv, expectOutput?: string): Promise<ProbeResult> {
  return new Promise((resolve) => {
    let output = '';
    let settled = false;
    const done = (ok: boolean) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      child.kill('SIGKILL');
      resolve({ ok, output });
    };
    const child = spawn(program, args, { env, stdio: ['pipe', 'pipe', 'pipe'] });
    const timer = setTimeout(() => done(false), PROBE_TIMEOUT_MS);
    timer.unref();
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString('utf8');
      if (expectOutput && output.includes(expectOutput)) done(true);
    });
    child.stderr.on('data', (chunk: Buffer) => {
      output += chunk.toString('utf8');
    });
    child.on('error', () => done(false));
    child.on('close', (code) => done(code === 0 && (expectOutput === undefined || output.includes(expectOutput))));
    child.stdin.on('error', () => {});
    child.stdin.end();
  });
}

/**
 * Loads `speaker` in a child and opens the default device: in-process, a missing ALSA device
 * aborts Node (SIGABRT) with no way to catch it. The child prints "R" once the device is open.
 */
const SPEAKER_PROBE_SCRIPT = `
const Speaker = require(process.argv[1]);
const speaker = new Speaker({ channels: 1, bitDepth: 16, signed: true, sampleRate: 24000 });
speaker.on('error', () => process.exit(1));
speaker.once('open', () => { process.stdout.write('R'); process.exit(0); });
speaker.write(Buffer.alloc(0));
`;

async function checkAudioOutput(env: NodeJS.ProcessEnv): Promise<CheckResult> {
  const base = { id: 'audio-output', label: 'Audio output', required: false };
  const order = defaultPlayerOrder();
  const parts: string[] = [];
  let usable = false;
  const probes = order.map(async (name): Promise<[PlayerName, string, boolean]> => {
    if (name === 'speaker') {
      const path = resolveSpeakerPackage();
      if (!path) return [name, 'not installed', false];
      const result = await probe(process.execPath, ['-e', SPEAKER_PROBE_SCRIPT, path], env, 'R');
      return [name, result.ok ? 'opens the default device' : 'installed, cannot open a device', result.ok];
    }
    const spec = PLAYERS[name];
    if (!findExecutable(spec.program, env)) return [name, 'not found', false];
    if (spec.probe !== 'empty-input') return [name, 'found (device not checkable)', true];
    // An empty input exits 0 only if the device opened (see PlayerSpec.probe).
    const result = await probe(spec.program, spec.args(24_000), env);
    return [name, result.ok ? 'opens the default device' : 'found, cannot open a device', result.ok];
  });
  for (const [name, state, ok] of await Promise.all(probes)) {
    parts.push(`${name}: ${state}`);
    usable ||= ok;
  }
  if (usable) return { ...base, status: 'ok', detail: parts.join('; ') };
  return { ...base, status: 'warn', detail: `nothing can play (${parts.join('; ')}); -o <file> still works`, fix: playerFix() };
}

function playerFix(platform: NodeJS.Platform = process.platform): string {
  if (platform === 'darwin') return 'afplay ships with macOS; or `brew install ffmpeg` for ffplay';
  if (platform === 'win32') return 'install ffmpeg (ffplay) and add it to PATH, or `npm install -g speaker`';
  return 'connect a sound device, or install a player: `sudo apt install alsa-utils` (aplay) or pulseaudio-utils (paplay)';
}

/** The programs `transcribe --mic` can record with on this platform, in the order tried. */
function recorderOrder(platform: NodeJS.Platform = process.platform): string[] {
  if (platform === 'darwin') return ['rec', 'sox'];
  if (platform === 'win32') return ['sox'];
  return ['arecord', 'parecord', 'rec', 'sox'];
}

async function checkRecorder(env: NodeJS.ProcessEnv): Promise<CheckResult> {
  const base = { id: 'microphone', label: 'Microphone', required: false };
  const found = recorderOrder().filter((name) => findExecutable(name, env));
  if (found.length === 0) {
    const fix = process.platform === 'darwin' ? '`brew install sox`' : process.platform === 'win32' ? 'install SoX and add it to PATH' : '`sudo apt install alsa-utils` (arecord) or sox';
    return { ...base, status: 'warn', detail: `no recorder on PATH (looked for ${recorderOrder().join(', ')}); transcribe --mic needs one`, fix };
  }
  if (found.includes('arecord')) {
    // Record 10 ms from the default device: proves a capture device opens, not just that arecord exists.
    const result = await probe('arecord', ['-q', '-t', 'raw', '-f', 'S16_LE', '-r', '16000', '-c', '1', '-s', String(RECORDER_PROBE_SAMPLES), '/dev/null'], env);
    if (!result.ok) {
      return {
        ...base,
        status: 'warn',
        detail: `${found.join(', ')} on PATH, but arecord cannot open a capture device`,
        fix: 'connect a microphone, or check `arecord -l` and your ALSA/PulseAudio default source',
      };
    }
    return { ...base, status: 'ok', detail: `${found.join(', ')} on PATH; the default capture device opens` };
  }
  return { ...base, status: 'ok', detail: `${found.join(', ')} on PATH (device not probed)` };
}

function checkFfmpeg(env: NodeJS.ProcessEnv): CheckResult {
  const base = { id: 'ffmpeg', label: 'ffmpeg', required: false };
  const path = findExecutable('ffmpeg', env);
  if (path) return { ...base, status: 'ok', detail: path };
  const fix = process.platform === 'darwin' ? '`brew install ffmpeg`' : process.platform === 'win32' ? '`winget install ffmpeg`' : '`sudo apt install ffmpeg`';
  return { ...base, status: 'warn', detail: 'not found; only needed to transcribe files other than WAV', fix };
}

function unicodeSymbols(env: NodeJS.ProcessEnv = process.env): boolean {
  return process.platform !== 'win32' || Boolean(env.WT_SESSION) || env.TERM_PROGRAM === 'vscode';
}

/** One line per check: symbol, label, what was found, and the fix. */
export async function renderReport(results: CheckResult[], quiet: boolean, env: NodeJS.ProcessEnv = process.env): Promise<string> {
  // The report is on stdout, so stdout must be a terminal too (see ui.ts for the rule).
  const chalk = await painter(colorLevel(env, process.stderr.isTTY === true, process.stdout.isTTY === true));
  const unicode = unicodeSymbols(env);
  const symbols: Record<CheckStatus, string> = unicode
    ? { ok: chalk.green('✓'), warn: chalk.yellow('!'), fail: chalk.red('✗'), skip: chalk.dim('-') }
    : { ok: chalk.green('[ok]'), warn: chalk.yellow('[!!]'), fail: chalk.red('[xx]'), skip: chalk.dim('[--]') };
  const width = Math.max(...results.map((result) => result.label.length));
  const lines = results
    .filter((result) => !quiet || result.status === 'fail' || result.status === 'warn')
    .map((result) => {
      const fix = result.fix ? chalk.dim(`  fix: ${result.fix}`) : '';
      return `${symbols[result.status]} ${result.label.padEnd(width)}  ${result.detail}${fix}\n`;
    });
  const failed = results.filter((result) => result.required && result.status === 'fail').length;
  const warned = results.filter((result) => result.status === 'warn' || (!result.required && result.status === 'fail')).length;
  if (!quiet) {
    const summary =
      failed > 0
        ? chalk.red(`${failed} required check${failed === 1 ? '' : 's'} failed`)
        : warned > 0
          ? chalk.yellow(`ready; ${warned} optional item${warned === 1 ? '' : 's'} missing`)
          : chalk.green('all checks passed');
    lines.push(`\n${summary}\n`);
  }
  return lines.join('');
}
