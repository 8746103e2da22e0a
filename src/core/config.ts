// Credentials and endpoints, resolved once when a client is built: explicit option, then
// environment, then the config file, then the default (the CLI contract's precedence).
import { readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { ValidationError } from './errors.js';
import { fileError } from './file-errors.js';

export const DEFAULT_BASE_URL = 'https://api.inworld.ai/';
export const DEFAULT_TIMEOUT_MS = 30_000;
export const DEFAULT_MAX_RETRIES = 3;

export interface ConnectionOptions {
  /** The "Basic (Base64)" credential from the Inworld Portal, sent verbatim as `Authorization: Basic <key>`. */
  apiKey?: string;
  /** REST base URL; a trailing slash is optional. */
  baseUrl?: string;
  /** WebSocket base URL; derived from baseUrl (https→wss, http→ws) when absent. */
  wsUrl?: string;
  /** Environment to read INWORLD_* from; defaults to process.env. Pass {} to ignore the environment. */
  env?: Record<string, string | undefined>;
  /** Config file path; defaults to $XDG_CONFIG_HOME/inworld/config.json or ~/.config/inworld/config.json. Pass null to skip. */
  configPath?: string | null;
}

export interface ResolvedConnection {
  apiKey: string;
  baseUrl: URL;
  wsUrl: URL;
}

export interface ConfigFile {
  apiKey?: string;
  baseUrl?: string;
  wsUrl?: string;
  voice?: string;
  model?: string;
  language?: string;
  [key: string]: unknown;
}

export function defaultConfigPath(env: Record<string, string | undefined> = process.env): string {
  const base = env.XDG_CONFIG_HOME && env.XDG_CONFIG_HOME.length > 0 ? env.XDG_CONFIG_HOME : join(homedir(), '.config');
  return join(base, 'inworld', 'config.json');
}

/** Reads the config file; a missing file is an empty config, a broken one is a ValidationError. */
export function readConfigFile(path: string): ConfigFile {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return {};
    throw fileError('read', path, error, { what: 'config file', beforeRequest: true });
  }
  try {
    const parsed: unknown = JSON.parse(text);
    if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) throw new Error('not a JSON object');
    const record = parsed as Record<string, unknown>;
    // Accept the kebab-case keys `inworld config set` writes as well as camelCase.
    return {
      ...record,
      apiKey: stringOr(record.apiKey ?? record['api-key']),
      baseUrl: stringOr(record.baseUrl ?? record['base-url']),
      wsUrl: stringOr(record.wsUrl ?? record['ws-url']),
    };
  } catch (error) {
    throw new ValidationError(`Config file ${path} is not valid JSON (${(error as Error).message}); fix or delete it.`);
  }
}

function stringOr(value: unknown): string | undefined {
  return typeof value === 'string' && value.length > 0 ? value : undefined;
}

/** Parses a base URL, insisting on http(s) or ws(s) so a typo fails before any request. */
export function parseBaseUrl(value: string, what: string, protocols: string[]): URL {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new ValidationError(`${what} "${value}" is not a valid URL; use a form like ${protocols[1]}//host[:port]/`);
  }
  if (!protocols.includes(url.protocol)) {
    throw new ValidationError(`${what} "${value}" must start with ${protocols.map((p) => `${p}//`).join(' or ')}`);
  }
  if (!url.pathname.endsWith('/')) url.pathname += '/';
  return url;
}

export function deriveWsUrl(baseUrl: URL): URL {
  const ws = new URL(baseUrl.href);
  ws.protocol = baseUrl.protocol === 'http:' ? 'ws:' : 'wss:';
  return ws;
}

/** Joins an API path such as `/tts/v1/voice:stream` onto a base that may carry a path prefix. */
export function endpoint(base: URL, path: string): URL {
  // `new URL('tts/v1/voice:stream', base)` would read `tts/v1/voice:` as a scheme-less path; keep it literal.
  const url = new URL(base.href);
  url.pathname = base.pathname.replace(/\/$/, '') + (path.startsWith('/') ? path : `/${path}`);
  return url;
}

export function resolveConnection(options: ConnectionOptions = {}): ResolvedConnection {
  const env = options.env ?? process.env;
  const file =
    options.configPath === null ? {} : readConfigFile(options.configPath ?? defaultConfigPath(env));
  const apiKey = (options.apiKey ?? stringOr(env.INWORLD_API_KEY) ?? file.apiKey)?.trim();
  if (!apiKey) {
    throw new ValidationError('No API key: set INWORLD_API_KEY, pass --api-key, or run `inworld config set api-key`.', {
      hint: 'To try the tool offline without a key, add --emulator.',
    });
  }
  if (/[\r\n]/.test(apiKey)) throw new ValidationError('The API key contains a line break; copy it again without it.');
  const baseUrl = parseBaseUrl(
    options.baseUrl ?? stringOr(env.INWORLD_BASE_URL) ?? file.baseUrl ?? DEFAULT_BASE_URL,
    'Base URL',
    ['http:', 'https:'],
  );
  const wsValue = options.wsUrl ?? stringOr(env.INWORLD_WS_URL) ?? file.wsUrl;
  const wsUrl = wsValue ? parseBaseUrl(wsValue, 'WebSocket URL', ['ws:', 'wss:']) : deriveWsUrl(baseUrl);
  return { apiKey, baseUrl, wsUrl };
}
