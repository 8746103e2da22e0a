// The doctor's remote checks: a key is present, the API is reachable (timed), the key is accepted
// (a voices call, timed) and the WebSocket upgrade is allowed. Each needs the one before it.
import { connectionSettings, parseBaseUrl, type SettingSource } from '../../core/config.js';
import type { ConfigFile } from '../../core/config-file.js';
import { AuthenticationError, InworldError, PermissionDeniedError } from '../../core/errors.js';
import { mask } from '../../core/log.js';
import { TTS_WS_PATH } from '../../tts/ws-protocol.js';
import type { CommandContext } from '../context.js';
import { registerSecret } from '../exit.js';
import type { GlobalOptions } from '../options.js';
import { skipped, type CheckResult } from './doctor-result.js';
import { monotonicMs } from '../../core/monotonic-clock.js';

/** Deadline for each reachability request and for the voices call, unless --timeout says otherwise. */
export const NETWORK_TIMEOUT_MS = 10_000;
/** Reachability requests: the first pays DNS + TCP + TLS, the rest show the round trip on a warm connection. */
export const NETWORK_SAMPLES = 3;

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
export async function checkRemote(flags: GlobalOptions, env: NodeJS.ProcessEnv, file: ConfigFile): Promise<[CheckResult, CheckResult, CheckResult, CheckResult]> {
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
      const started = monotonicMs();
      const response = await request(baseUrl, { method: 'HEAD', dispatcher: agent });
      await response.body.dump();
      times.push(Math.round(monotonicMs() - started));
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
  const started = monotonicMs();
  try {
    // The client carries --timeout (or our default) from openContext; one try, so the timing means something.
    const voices = await listVoices(context.client, { timeoutMs: context.client.timeoutMs, maxRetries: 0 });
    const ms = Math.round(monotonicMs() - started);
    return { ...base, status: 'ok', detail: `${emulator ? 'emulator' : 'API'} listed ${voices.length} voices in ${ms} ms`, ms };
  } catch (error) {
    const ms = Math.round(monotonicMs() - started);
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
  const started = monotonicMs();
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
  const ms = Math.round(monotonicMs() - started);
  if (outcome.ok) return { ...base, status: 'ok', detail: `${url.origin} accepts the streaming connection (${ms} ms)`, ms };
  return {
    ...base,
    status: 'warn',
    detail: `cannot open ${url.origin}${url.pathname}: ${outcome.why}; stream and transcribe need it`,
    fix: 'allow WebSocket upgrades through your proxy or firewall, or set --ws-url / INWORLD_WS_URL',
    ms,
  };
}
