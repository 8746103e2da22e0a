// The one reader of the config file ($XDG_CONFIG_HOME/inworld/config.json). The client's resolver,
// the CLI's defaults, `doctor` and `inworld config` all read it through here, so they agree on what
// a missing, empty or broken file means. (Writing, with its lock and 0600 mode, is the CLI's.)
import { readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { ValidationError } from './errors.js';
import { fileError } from './file-errors.js';

/** The file's settings, with the connection keys normalised to camelCase. */
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

/**
 * The file as stored, every field kept (so a rewrite preserves what it does not touch). A missing
 * or empty file is `{}`; an unreadable file or anything but a JSON object is an error naming the fix.
 */
export function readConfigRecord(path: string): Record<string, unknown> {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return {};
    throw fileError('read', path, error, { what: 'config file', beforeRequest: true });
  }
  if (text.trim() === '') return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new ValidationError(`Config file ${path} is not valid JSON (${(error as Error).message}); fix or delete it`);
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw new ValidationError(`Config file ${path} must hold a JSON object; fix or delete it`);
  }
  return parsed as Record<string, unknown>;
}

/** The file's settings; accepts the kebab-case keys `inworld config set` writes as well as camelCase. */
export function readConfigFile(path: string): ConfigFile {
  const record = readConfigRecord(path);
  return {
    ...record,
    apiKey: nonEmptyString(record.apiKey ?? record['api-key']),
    baseUrl: nonEmptyString(record.baseUrl ?? record['base-url']),
    wsUrl: nonEmptyString(record.wsUrl ?? record['ws-url']),
  };
}

export function nonEmptyString(value: unknown): string | undefined {
  return typeof value === 'string' && value.length > 0 ? value : undefined;
}
