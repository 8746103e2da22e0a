// The OpenAI-compatible audio gateway: a plain node:http server in front of an Inworld client.
// Security: loopback unless told otherwise, and then only with a bearer token checked on every
// request in constant time; the Inworld key stays inside (messages are redacted); bodies are
// bounded; no part of a request names a file.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { BearerToken, isLoopbackAddress } from '../core/bearer-token.js';
import { ValidationError } from '../core/errors.js';
import { redact } from '../core/log.js';
import type { Inworld } from '../inworld.js';
import { aacEncoderAvailable } from '../audio/aac-encoder.js';
import { GatewayError, sendError, toGatewayError } from './errors.js';
import { defaultMapping, type GatewayMapping } from './mapping.js';
import { findModel, listModels } from './models-list.js';
import { handleSpeech } from './speech.js';
import { handleTranscription } from './transcriptions.js';
import { VoiceCatalogue } from './voice-catalogue.js';

export const DEFAULT_GATEWAY_PORT = 8788;
export const DEFAULT_GATEWAY_HOST = '127.0.0.1';

export interface GatewayOptions {
  inworld: Inworld;
  /** 0 picks a free port. Default 8788. */
  port?: number;
  /** Default 127.0.0.1; any other address needs `token`. */
  host?: string;
  /** Bearer token every request must carry; required off loopback. */
  token?: string;
  mapping?: GatewayMapping;
  /** Read the voice list at start so unknown voices are refused locally. Default true. */
  checkVoices?: boolean;
  /** Strings that must never appear in an answer (the Inworld key). */
  secrets?: string[];
  /** One line per request and per failure (never the key). Default: silent. */
  log?: (line: string) => void;
}

export interface RunningGateway {
  /** e.g. http://127.0.0.1:8788/v1 — the baseURL for an OpenAI client. */
  readonly url: string;
  readonly server: Server;
  close(): Promise<void>;
}

export async function startGateway(options: GatewayOptions): Promise<RunningGateway> {
  const host = options.host ?? DEFAULT_GATEWAY_HOST;
  if (!isLoopbackAddress(host) && !options.token) {
    throw new ValidationError(`refusing to listen on ${host} without an access token`, { hint: 'Add --token <secret> (clients send it as their API key), or keep the default 127.0.0.1' });
  }
  if (options.token !== undefined && options.token.trim().length < 8) {
    throw new ValidationError('the access token is too short', { hint: 'Use --token with at least 8 characters, e.g. from `openssl rand -hex 16`' });
  }
  const log = options.log ?? (() => {});
  const secrets = (options.secrets ?? []).filter((secret) => secret.length > 0);
  const clean = (text: string) => redact(text, secrets);
  const mapping = options.mapping ?? defaultMapping();
  const voices = options.checkVoices === false
    ? VoiceCatalogue.open()
    : await VoiceCatalogue.load(options.inworld, (error) => log(`voice list unavailable, voices are passed on unchecked: ${clean((error as Error).message)}`));
  const speechContext = { mapping, voices, aacAvailable: aacEncoderAvailable() };
  const bearer = options.token ? new BearerToken(options.token) : undefined;

  async function route(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const path = new URL(request.url ?? '/', 'http://gateway.invalid').pathname.replace(/\/+$/, '');
    if (bearer && !bearer.matches(request.headers.authorization)) {
      throw new GatewayError(401, 'Missing or incorrect access token: send the gateway\'s --token as the API key (Authorization: Bearer <token>)', 'invalid_request_error', null, 'invalid_api_key');
    }
    const method = request.method ?? 'GET';
    if (path === '/v1/audio/speech') return onlyPost(method, () => handleSpeech(options.inworld, speechContext, request, response));
    if (path === '/v1/audio/transcriptions') return onlyPost(method, () => handleTranscription(options.inworld, mapping, request, response));
    if (method === 'GET' && path === '/v1/models') return sendJson(response, listModels(mapping));
    if (method === 'GET' && path.startsWith('/v1/models/')) return sendJson(response, findModel(mapping, decodeURIComponent(path.slice('/v1/models/'.length))));
    throw new GatewayError(404, `Unknown request URL: ${method} ${path || '/'}. This gateway serves /v1/audio/speech, /v1/audio/transcriptions and /v1/models`, 'invalid_request_error', null, 'unknown_url');
  }

  const server = createServer((request, response) => {
    const started = Date.now();
    route(request, response)
      .catch((error: unknown) => {
        const answer = toGatewayError(error);
        if (answer.status >= 500 || !(error instanceof GatewayError)) log(`${request.method} ${request.url}: ${clean((error as Error).message ?? String(error))}`);
        sendError(response, answer, clean);
        // A body left unread would keep the connection busy; it is not wanted any more.
        if (!request.complete) request.resume();
      })
      .finally(() => log(`${request.method} ${request.url} ${response.statusCode} ${Date.now() - started} ms`));
  });
  server.requestTimeout = 0;
  server.headersTimeout = 30_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? DEFAULT_GATEWAY_PORT, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address() as AddressInfo;
  const shownHost = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  return {
    url: `http://${shownHost}:${address.port}/v1`,
    server,
    close: async () => {
      voices.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

async function onlyPost(method: string, handle: () => Promise<void>): Promise<void> {
  if (method !== 'POST') throw new GatewayError(405, `use POST for this endpoint, not ${method}`, 'invalid_request_error', null, 'method_not_allowed');
  await handle();
}

function sendJson(response: ServerResponse, value: unknown): void {
  const body = JSON.stringify(value);
  response.writeHead(200, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(body) }).end(body);
}
