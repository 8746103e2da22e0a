// Credentials and endpoints, resolved once when a client is built: explicit option, then
// environment, then the config file, then the default (the CLI contract's precedence).
import { defaultConfigPath, nonEmptyString, readConfigFile, type ConfigFile } from './config-file.js';
import { ValidationError } from './errors.js';

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

/** Where a setting's value came from, highest precedence first. */
export type SettingSource =
  /** Passed to the constructor (for the CLI: its flag). */
  | { kind: 'option' }
  | { kind: 'environment'; variable: string }
  | { kind: 'config-file'; path: string }
  | { kind: 'default' };

export interface SourcedValue {
  value: string;
  source: SettingSource;
}

/** The raw settings the precedence picked, before they are checked. */
export interface ConnectionSettings {
  /** Absent when no option, variable or config file gives a key. */
  apiKey?: SourcedValue;
  baseUrl: SourcedValue;
  /** Absent when the WebSocket URL is to be derived from the base URL. */
  wsUrl?: SourcedValue;
}

export interface ResolvedConnection {
  apiKey: string;
  baseUrl: URL;
  wsUrl: URL;
  /** Where the key and the base URL came from (a refused key's hint names the source, never the key). */
  sources: { apiKey: SettingSource; baseUrl: SettingSource };
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

/**
 * The one precedence rule: explicit option, then environment, then config file, then default.
 * `file` is the config file already read (doctor passes one read leniently); by default it is read
 * from `options.configPath`.
 */
export function connectionSettings(options: ConnectionOptions = {}, file: ConfigFile = configFileFor(options)): ConnectionSettings {
  const env = options.env ?? process.env;
  const filePath = options.configPath ?? defaultConfigPath(env);
  const pick = (option: string | undefined, variable: string, fromFile: string | undefined): SourcedValue | undefined => {
    if (option !== undefined) return { value: option, source: { kind: 'option' } };
    const fromEnv = nonEmptyString(env[variable]);
    if (fromEnv !== undefined) return { value: fromEnv, source: { kind: 'environment', variable } };
    if (fromFile !== undefined) return { value: fromFile, source: { kind: 'config-file', path: filePath } };
    return undefined;
  };
  return {
    apiKey: pick(options.apiKey, 'INWORLD_API_KEY', file.apiKey),
    baseUrl: pick(options.baseUrl, 'INWORLD_BASE_URL', file.baseUrl) ?? { value: DEFAULT_BASE_URL, source: { kind: 'default' } },
    wsUrl: pick(options.wsUrl, 'INWORLD_WS_URL', file.wsUrl),
  };
}

function configFileFor(options: ConnectionOptions): ConfigFile {
  if (options.configPath === null) return {};
  return readConfigFile(options.configPath ?? defaultConfigPath(options.env ?? process.env));
}

/** Resolves and checks the settings, once, when a client is built. */
export function resolveConnection(options: ConnectionOptions = {}): ResolvedConnection {
  const settings = connectionSettings(options);
  const apiKey = settings.apiKey?.value.trim();
  if (!settings.apiKey || !apiKey) {
    throw new ValidationError('No API key: set INWORLD_API_KEY, pass --api-key, or run `inworld config set api-key`.', {
      hint: 'To try the tool offline without a key, add --emulator.',
    });
  }
  if (/[\r\n]/.test(apiKey)) throw new ValidationError('The API key contains a line break; copy it again without it.');
  const baseUrl = parseBaseUrl(settings.baseUrl.value, 'Base URL', ['http:', 'https:']);
  const wsUrl = settings.wsUrl ? parseBaseUrl(settings.wsUrl.value, 'WebSocket URL', ['ws:', 'wss:']) : deriveWsUrl(baseUrl);
  return { apiKey, baseUrl, wsUrl, sources: { apiKey: settings.apiKey.source, baseUrl: settings.baseUrl.source } };
}
