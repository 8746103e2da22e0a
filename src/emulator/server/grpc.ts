// gRPC status codes and the HTTP status grpc-gateway maps each to, plus the google.rpc.Status
// body every error carries. Kept separate from src/core so the emulator stays an independent
// implementation of the protocol.

export const GRPC_OK = 0;
export const GRPC_CANCELLED = 1;
export const GRPC_UNKNOWN = 2;
export const GRPC_INVALID_ARGUMENT = 3;
export const GRPC_DEADLINE_EXCEEDED = 4;
export const GRPC_NOT_FOUND = 5;
export const GRPC_ALREADY_EXISTS = 6;
export const GRPC_PERMISSION_DENIED = 7;
export const GRPC_RESOURCE_EXHAUSTED = 8;
export const GRPC_FAILED_PRECONDITION = 9;
export const GRPC_ABORTED = 10;
export const GRPC_UNIMPLEMENTED = 12;
export const GRPC_INTERNAL = 13;
export const GRPC_UNAVAILABLE = 14;
export const GRPC_UNAUTHENTICATED = 16;

const HTTP_STATUS_FOR_GRPC: Record<number, number> = {
  0: 200,
  1: 499,
  2: 500,
  3: 400,
  4: 504,
  5: 404,
  6: 409,
  7: 403,
  8: 429,
  9: 400,
  10: 409,
  11: 400,
  12: 501,
  13: 500,
  14: 503,
  15: 500,
  16: 401,
};

const GRPC_FOR_HTTP_STATUS: Record<number, number> = {
  400: GRPC_INVALID_ARGUMENT,
  401: GRPC_UNAUTHENTICATED,
  403: GRPC_PERMISSION_DENIED,
  404: GRPC_NOT_FOUND,
  409: GRPC_ABORTED,
  429: GRPC_RESOURCE_EXHAUSTED,
  499: GRPC_CANCELLED,
  500: GRPC_INTERNAL,
  501: GRPC_UNIMPLEMENTED,
  503: GRPC_UNAVAILABLE,
  504: GRPC_DEADLINE_EXCEEDED,
};

/** HTTP status grpc-gateway would answer for a gRPC code (500 for codes it does not know). */
export function httpStatusForGrpcCode(code: number): number {
  return HTTP_STATUS_FOR_GRPC[code] ?? 500;
}

/** The gRPC code that most plausibly produced an HTTP status (UNKNOWN when none fits). */
export function grpcCodeForHttpStatus(status: number): number {
  return GRPC_FOR_HTTP_STATUS[status] ?? (status >= 500 ? GRPC_INTERNAL : GRPC_UNKNOWN);
}

/** google.rpc.Status as JSON: `{"code","message","details":[]}`. */
export interface RpcStatus {
  code: number;
  message: string;
  details: unknown[];
}

export function rpcStatus(code: number, message: string): RpcStatus {
  return { code, message, details: [] };
}

/** An error a handler throws to answer with a gRPC status body and its mapped HTTP status. */
export class EmulatorError extends Error {
  readonly grpcCode: number;
  readonly httpStatus: number;
  constructor(grpcCode: number, message: string, httpStatus = httpStatusForGrpcCode(grpcCode)) {
    super(message);
    this.name = 'EmulatorError';
    this.grpcCode = grpcCode;
    this.httpStatus = httpStatus;
  }
  toStatus(): RpcStatus {
    return rpcStatus(this.grpcCode, this.message);
  }
}

export function invalidArgument(message: string): EmulatorError {
  return new EmulatorError(GRPC_INVALID_ARGUMENT, message);
}
