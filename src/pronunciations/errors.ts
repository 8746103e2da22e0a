// The one failure dictionaries add to the error tree: a write refused because the dictionary
// changed since it was read (its etag is stale). It is never retried here: repeating the same
// write with the same etag fails the same way, and writing without it would undo the other change.
import { APIError, GrpcCode, type APIErrorFields, type InworldErrorOptions } from '../core/errors.js';

/**
 * HTTP 409 on an update or delete: someone changed the dictionary after it was read, so the
 * write was refused and nothing changed. Read it again (or run the command again) and reapply.
 */
export class StaleEtagError extends APIError {
  override readonly code = 'stale_etag';
  /** The dictionary the write was for. */
  readonly dictionary: string;

  constructor(dictionary: string, fields: APIErrorFields, options: InworldErrorOptions = {}) {
    super(fields, { hint: 'Conflict: the dictionary changed since that etag was read, so nothing was written; read it again and reapply the change.', ...options, retryable: false });
    this.dictionary = dictionary;
  }
}

/** True for the answers a stale etag gets: HTTP 409, or gRPC ABORTED without a status. */
export function isConflict(error: unknown): error is APIError {
  return error instanceof APIError && (error.status === 409 || (error.status === undefined && error.grpcCode === GrpcCode.ABORTED));
}

/** The StaleEtagError for a conflict answer, keeping what the server said. */
export function staleEtagError(dictionary: string, error: APIError, hint?: string): StaleEtagError {
  return new StaleEtagError(
    dictionary,
    {
      status: error.status,
      grpcCode: error.grpcCode,
      serverMessage: error.serverMessage || `the etag of ${dictionary} is stale`,
      requestId: error.requestId,
      serverRequestId: error.serverRequestId,
      body: error.body,
    },
    { cause: error, ...(hint ? { hint } : {}) },
  );
}
