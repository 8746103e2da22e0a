// The client object: resolves credentials and endpoints once, and hands every API module the
// same headers, timeouts, retry budget and logger.
import {
  DEFAULT_MAX_RETRIES,
  DEFAULT_TIMEOUT_MS,
  endpoint,
  resolveConnection,
  type ConnectionOptions,
  type ResolvedConnection,
} from './config.js';
import { silentLogger, type Logger } from './log.js';
import { randomId } from './random-id.js';
import { USER_AGENT } from './version.js';

export interface ClientOptions extends ConnectionOptions {
  /** Per-request deadline for connecting and for the first byte, in milliseconds. */
  timeoutMs?: number;
  /** Retries after the first attempt for retryable failures. */
  maxRetries?: number;
  logger?: Logger;
}

export class InworldClient {
  readonly connection: ResolvedConnection;
  readonly timeoutMs: number;
  readonly maxRetries: number;
  readonly logger: Logger;

  constructor(options: ClientOptions = {}) {
    this.connection = resolveConnection(options);
    this.timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    this.maxRetries = options.maxRetries ?? DEFAULT_MAX_RETRIES;
    this.logger = options.logger ?? silentLogger;
  }

  /** Headers sent on every HTTP request and WebSocket handshake. */
  headers(requestId: string = randomId()): Record<string, string> {
    return {
      Authorization: `Basic ${this.connection.apiKey}`,
      'X-User-Agent': USER_AGENT,
      'X-Request-Id': requestId,
    };
  }

  httpUrl(path: string): URL {
    return endpoint(this.connection.baseUrl, path);
  }

  wsUrl(path: string): URL {
    return endpoint(this.connection.wsUrl, path);
  }
}
