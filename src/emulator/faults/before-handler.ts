// The fault actions that act before any endpoint handler runs, on plain requests and WebSocket
// handshakes alike: a stall before the response headers, and a status answer instead of the
// handler (for a handshake, a refused upgrade with that status).
import { STATUS_CODES } from 'node:http';
import { grpcCodeForHttpStatus, rpcStatus, type RpcStatus } from '../server/grpc.js';
import { type FaultAction, findAction } from './rules.js';

export type HeaderStall = Extract<FaultAction, { type: 'stall' }>;

/** The matched stall that waits before the headers, if any. */
export function headerStall(matched: readonly FaultAction[]): HeaderStall | undefined {
  return matched.find((a): a is HeaderStall => a.type === 'stall' && a.at === 'headers');
}

export interface StatusAnswer {
  status: number;
  body: RpcStatus;
  headers: Record<string, string>;
}

/** The answer a matched `status` action asks for, if any (gRPC code and message filled in). */
export function statusAnswer(matched: readonly FaultAction[]): StatusAnswer | undefined {
  const fault = findAction(matched, 'status');
  if (!fault) return undefined;
  const headers: Record<string, string> = {};
  if (fault.retryAfterSeconds !== undefined) headers['retry-after'] = String(fault.retryAfterSeconds);
  const code = fault.code ?? grpcCodeForHttpStatus(fault.status);
  const message = fault.message ?? STATUS_CODES[fault.status] ?? 'Injected fault';
  return { status: fault.status, body: rpcStatus(code, message), headers };
}
