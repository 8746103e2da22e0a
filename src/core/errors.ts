// One error tree for the whole library. Every failure a caller can see is an InworldError with a
// stable `code`, so the CLI's exit path (and library users) can branch on classes or codes
// without parsing messages.

/** gRPC status codes as the Inworld API reports them (google.rpc.Code). */
export const GrpcCode = {
  OK: 0,
  CANCELLED: 1,
  UNKNOWN: 2,
  INVALID_ARGUMENT: 3,
  DEADLINE_EXCEEDED: 4,
  NOT_FOUND: 5,
  ALREADY_EXISTS: 6,
  PERMISSION_DENIED: 7,
  RESOURCE_EXHAUSTED: 8,
  FAILED_PRECONDITION: 9,
  ABORTED: 10,
  OUT_OF_RANGE: 11,
  UNIMPLEMENTED: 12,
  INTERNAL: 13,
  UNAVAILABLE: 14,
  DATA_LOSS: 15,
  UNAUTHENTICATED: 16,
} as const;

const GRPC_NAMES: Record<number, string> = Object.fromEntries(
  Object.entries(GrpcCode).map(([name, code]) => [code, name]),
);

export function grpcCodeName(code: number): string {
  return GRPC_NAMES[code] ?? `code ${code}`;
}

/** gRPC codes worth retrying: DEADLINE_EXCEEDED, RESOURCE_EXHAUSTED, UNAVAILABLE (plus INTERNAL/ABORTED as server faults). */
const RETRYABLE_GRPC = new Set<number>([
  GrpcCode.DEADLINE_EXCEEDED,
  GrpcCode.RESOURCE_EXHAUSTED,
  GrpcCode.UNAVAILABLE,
]);

/** The grpc-gateway mapping from gRPC code to HTTP status, used when only one of the two is known. */
const HTTP_FOR_GRPC: Record<number, number> = {
  [GrpcCode.CANCELLED]: 499,
  [GrpcCode.UNKNOWN]: 500,
  [GrpcCode.INVALID_ARGUMENT]: 400,
  [GrpcCode.DEADLINE_EXCEEDED]: 504,
  [GrpcCode.NOT_FOUND]: 404,
  [GrpcCode.ALREADY_EXISTS]: 409,
  [GrpcCode.PERMISSION_DENIED]: 403,
  [GrpcCode.RESOURCE_EXHAUSTED]: 429,
  [GrpcCode.FAILED_PRECONDITION]: 400,
  [GrpcCode.ABORTED]: 409,
  [GrpcCode.OUT_OF_RANGE]: 400,
  [GrpcCode.UNIMPLEMENTED]: 501,
  [GrpcCode.INTERNAL]: 500,
  [GrpcCode.UNAVAILABLE]: 503,
  [GrpcCode.DATA_LOSS]: 500,
  [GrpcCode.UNAUTHENTICATED]: 401,
};

export function httpStatusForGrpc(code: number): number | undefined {
  return HTTP_FOR_GRPC[code];
}

/** Optional parts of an {@link InworldError}: its cause, whether it is worth retrying, a hint. */
export interface InworldErrorOptions {
  cause?: unknown;
  retryable?: boolean;
  /** What the user can do about it; the CLI prints it after the message. */
  hint?: string;
}

/** The base class of every error the library throws; `code` is stable and machine-readable. */
export class InworldError extends Error {
  /** Stable machine-readable code, e.g. `authentication`, `rate_limit`, `validation`. */
  readonly code: string = 'inworld_error';
  readonly retryable: boolean;
  readonly hint?: string;

  constructor(message: string, options: InworldErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.retryable = options.retryable ?? false;
    this.hint = options.hint;
  }
}

/** Bad input caught before any request is sent (flags, text, files). The CLI exits 2. */
export class ValidationError extends InworldError {
  override readonly code = 'validation';
}

/** What the server told us about a failure; the fields of an {@link APIError}. */
export interface APIErrorFields {
  status?: number;
  grpcCode?: number;
  serverMessage?: string;
  requestId?: string;
  /** A request id the server returned in its response headers, when it differs from ours. */
  serverRequestId?: string;
  body?: unknown;
  retryAfterMs?: number;
}

/** The service answered with an error: an HTTP status, an in-stream error line, or a WebSocket status. */
export class APIError extends InworldError {
  override readonly code: string = 'api_error';
  readonly status?: number;
  readonly grpcCode?: number;
  readonly serverMessage: string;
  readonly requestId?: string;
  readonly serverRequestId?: string;
  readonly body?: unknown;
  readonly retryAfterMs?: number;

  constructor(fields: APIErrorFields, options: InworldErrorOptions = {}) {
    super(describeApiError(fields), options);
    this.status = fields.status;
    this.grpcCode = fields.grpcCode;
    this.serverMessage = fields.serverMessage ?? '';
    this.requestId = fields.requestId;
    this.serverRequestId = fields.serverRequestId;
    this.body = fields.body;
    this.retryAfterMs = fields.retryAfterMs;
  }
}

/** HTTP 400 / INVALID_ARGUMENT: the server rejected the request's content. */
export class BadRequestError extends APIError {
  override readonly code = 'bad_request';
}
/** HTTP 401 / UNAUTHENTICATED: the API key is missing, malformed or wrong. */
export class AuthenticationError extends APIError {
  override readonly code = 'authentication';
}
/** HTTP 403 / PERMISSION_DENIED: the key may not use this resource. */
export class PermissionDeniedError extends APIError {
  override readonly code = 'permission_denied';
}
/** HTTP 404 / NOT_FOUND: an unknown voice, model or endpoint. */
export class NotFoundError extends APIError {
  override readonly code = 'not_found';
}
/** HTTP 429 / RESOURCE_EXHAUSTED: too many requests or over quota. Retryable. */
export class RateLimitError extends APIError {
  override readonly code = 'rate_limit';
}
/** HTTP 5xx or a server-side gRPC code: the service failed. Retryable where the code says so. */
export class ServerError extends APIError {
  override readonly code = 'server';
}

/**
 * The server's response could not be understood: malformed JSON in a stream, a line over the size
 * limit, invalid base64 audio, a body of the wrong shape. Retryable only where the caller says so
 * (a garbled stream before any audio was delivered is worth one more try; an oversized line is not).
 */
export class ProtocolError extends APIError {
  override readonly code = 'protocol';
}

/** Options of a {@link ConnectionError}: those of every error, plus whether the request left this machine. */
export interface ConnectionErrorOptions extends InworldErrorOptions {
  /** True when no connection was ever made (refused, DNS, unreachable), so the server cannot have seen the request. */
  requestNotSent?: boolean;
}

/** The network failed: refused, reset, DNS, TLS, or a socket dropped mid-stream. Retryable. */
export class ConnectionError extends InworldError {
  override readonly code: string = 'connection';
  /**
   * True when the failure came before any connection existed, so even a request that must not
   * be repeated (a voice clone) may safely be sent again.
   */
  readonly requestNotSent: boolean;
  constructor(message: string, options: ConnectionErrorOptions = {}) {
    super(message, { retryable: true, ...options });
    this.requestNotSent = options.requestNotSent === true;
  }
}

/** A connect, first-byte or idle deadline passed. Retryable. */
export class TimeoutError extends ConnectionError {
  override readonly code: string = 'timeout';
}

/** The caller aborted (AbortSignal, Ctrl-C). Never retried. */
export class UserAbortError extends InworldError {
  override readonly code = 'aborted';
  constructor(message = 'Request was aborted', options: InworldErrorOptions = {}) {
    super(message, { ...options, retryable: false });
  }
}

/** The local audio device or player/recorder program failed. */
export class AudioDeviceError extends InworldError {
  override readonly code = 'audio_device';
}

function describeApiError(fields: APIErrorFields): string {
  const parts: string[] = [];
  if (fields.status !== undefined) parts.push(`HTTP ${fields.status}`);
  // Without an HTTP status (a WebSocket or in-stream error) the gRPC code is the status: give its number too.
  else if (fields.grpcCode !== undefined) parts.push(`gRPC ${fields.grpcCode}`);
  if (fields.grpcCode !== undefined) parts.push(grpcCodeName(fields.grpcCode));
  const head = parts.length > 0 ? parts.join(' ') : 'API error';
  const message = fields.serverMessage ? `: ${fields.serverMessage}` : '';
  const ids = [fields.requestId, fields.serverRequestId].filter(
    (id, index, all): id is string => typeof id === 'string' && id.length > 0 && all.indexOf(id) === index,
  );
  const request = ids.length > 0 ? ` (request ${ids.join(', server ')})` : '';
  return `${head}${message}${request}`;
}

/**
 * Builds the right APIError subclass from whatever the server told us: an HTTP status, a gRPC
 * code, or both. Retryability follows the retry policy: 408/429/5xx and gRPC 4/8/14.
 */
export function makeApiError(fields: APIErrorFields, options: InworldErrorOptions = {}): APIError {
  const status = fields.status ?? (fields.grpcCode !== undefined ? httpStatusForGrpc(fields.grpcCode) : undefined);
  const grpc = fields.grpcCode;
  const retryable =
    options.retryable ??
    ((status !== undefined && (status === 408 || status === 429 || status >= 500)) ||
      (grpc !== undefined && RETRYABLE_GRPC.has(grpc)));
  const opts = { ...options, retryable };
  if (status === 401 || grpc === GrpcCode.UNAUTHENTICATED) {
    return new AuthenticationError(fields, {
      hint: 'Check INWORLD_API_KEY: it must be the "Basic (Base64)" credential from the Inworld Portal.',
      ...opts,
    });
  }
  if (status === 403 || grpc === GrpcCode.PERMISSION_DENIED) return new PermissionDeniedError(fields, opts);
  if (status === 404 || grpc === GrpcCode.NOT_FOUND) return new NotFoundError(fields, opts);
  if (status === 429 || grpc === GrpcCode.RESOURCE_EXHAUSTED) {
    return new RateLimitError(fields, { hint: 'Slow down or retry later.', ...opts });
  }
  if ((status !== undefined && status >= 500) || (grpc !== undefined && [4, 13, 14, 15, 2].includes(grpc))) {
    return new ServerError(fields, opts);
  }
  if (status === 400 || grpc === GrpcCode.INVALID_ARGUMENT) return new BadRequestError(fields, opts);
  return new APIError(fields, opts);
}

/** Reads a `{code, message, details}` body (google.rpc.Status) or an `{error:{…}}` wrapper, tolerantly. */
export function parseRpcStatus(body: unknown): { grpcCode?: number; message?: string } {
  if (body === null || typeof body !== 'object') return {};
  const record = body as Record<string, unknown>;
  const inner = record.error && typeof record.error === 'object' ? (record.error as Record<string, unknown>) : record;
  const grpcCode = typeof inner.code === 'number' ? inner.code : undefined;
  const message = typeof inner.message === 'string' ? inner.message : undefined;
  return { grpcCode, message };
}
