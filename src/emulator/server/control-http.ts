// /_emulator/* : the control surface for tests and scripts that run the emulator out of process.
//   GET    /_emulator/health            {"status":"ok","engine":...}
//   GET    /_emulator/requests          {"requests":[...]}   (what the emulator received)
//   DELETE /_emulator/requests          clears that log
//   GET    /_emulator/faults            {"faults":[...]}
//   POST   /_emulator/faults            a rule object, an array of rules, or {"spec":"..."}; answers {"faults":[added]}
//   DELETE /_emulator/faults            removes every rule
//   DELETE /_emulator/faults/{id}       removes one rule
//   GET    /_emulator/options           the resolved options
//   PATCH  /_emulator/options           changes the runtime switches (see SWITCHABLE_OPTIONS)
// These paths need no credentials and are not recorded or subject to faults.
import type { ServerResponse } from 'node:http';
import { FaultRegistry, FaultRule, FaultSpecError } from '../faults/rules.js';
import { GRPC_INVALID_ARGUMENT, GRPC_NOT_FOUND } from './grpc.js';
import { sendJson, sendStatus } from './http-io.js';
import type { ResolvedEmulatorOptions } from './options.js';
import type { RequestRecorder } from './recorder.js';

export const CONTROL_PREFIX = '/_emulator/';

export interface ControlDeps {
  faults: FaultRegistry;
  recorder: RequestRecorder;
  engine: string;
  options: ResolvedEmulatorOptions;
}

/** Options a running emulator may change, with the JSON type each takes. */
const SWITCHABLE_OPTIONS: Record<string, 'boolean' | 'number' | 'positive' | 'unknownVoice' | 'limits' | 'wordStyle' | 'keys'> = {
  jobDelayMs: 'number',
  signedUrlTtlMs: 'positive',
  timestampLanguages: 'keys',
  legacyVoicesNotFound: 'boolean',
  voiceApiNotFound: 'boolean',
  realtime: 'boolean',
  firstByteLatencyMs: 'number',
  generationLatencyMs: 'number',
  streamChunkMs: 'positive',
  unknownVoice: 'unknownVoice',
  limits: 'limits',
  wordTimestampStyle: 'wordStyle',
  maxConcurrentSynthesis: 'positive',
  keysWithoutVoiceScope: 'keys',
  cloneRateLimitPerMinute: 'positive',
  previewTtlMs: 'positive',
  cloneLatencyMs: 'number',
};

function patchOptions(options: ResolvedEmulatorOptions, body: unknown): void {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) throw new FaultSpecError('send a JSON object of options');
  const changes = body as Record<string, unknown>;
  // Check everything first so a bad field changes nothing.
  for (const [key, value] of Object.entries(changes)) {
    const kind = SWITCHABLE_OPTIONS[key];
    const ok =
      kind === 'boolean' ? typeof value === 'boolean'
      : kind === 'number' ? typeof value === 'number' && Number.isFinite(value) && value >= 0
      : kind === 'positive' ? typeof value === 'number' && Number.isFinite(value) && value > 0
      : kind === 'wordStyle' ? value === 'attached' || value === 'tokens'
      : kind === 'unknownVoice' ? value === 'not-found' || value === 'invalid-argument' || value === 'accept'
      : kind === 'keys' ? Array.isArray(value) && value.every((key) => typeof key === 'string' && key !== '')
      : kind === 'limits' ? typeof value === 'object' && value !== null && Object.entries(value).every(([k, v]) => k in options.limits && Number.isInteger(v) && (v as number) > 0)
      : false;
    if (!ok) throw new FaultSpecError(`option "${key}" cannot be set to ${JSON.stringify(value)}`);
  }
  for (const [key, value] of Object.entries(changes)) {
    if (key === 'limits') Object.assign(options.limits, value);
    else (options as unknown as Record<string, unknown>)[key] = value;
  }
}

export function handleControl(method: string, path: string, rawBody: Buffer, response: ServerResponse, deps: ControlDeps): void {
  const route = path.slice(CONTROL_PREFIX.length);
  if (route === 'health' && method === 'GET') return sendJson(response, 200, { status: 'ok', engine: deps.engine });
  if (route === 'requests') {
    if (method === 'GET') return sendJson(response, 200, { requests: deps.recorder.list() });
    if (method === 'DELETE') {
      deps.recorder.clear();
      return sendJson(response, 200, {});
    }
  }
  if (route === 'faults') {
    if (method === 'GET') return sendJson(response, 200, { faults: deps.faults.list() });
    if (method === 'DELETE') {
      deps.faults.clear();
      return sendJson(response, 200, {});
    }
    if (method === 'POST') {
      try {
        const body: unknown = rawBody.length > 0 ? JSON.parse(rawBody.toString('utf8')) : undefined;
        return sendJson(response, 200, { faults: addFaults(deps.faults, body) });
      } catch (error) {
        const message = error instanceof FaultSpecError || error instanceof SyntaxError ? error.message : String(error);
        return sendStatus(response, 400, GRPC_INVALID_ARGUMENT, message);
      }
    }
  }
  if (route === 'options') {
    if (method === 'GET') return sendJson(response, 200, optionsJson(deps.options));
    if (method === 'PATCH' || method === 'POST') {
      try {
        patchOptions(deps.options, rawBody.length > 0 ? JSON.parse(rawBody.toString('utf8')) : undefined);
        return sendJson(response, 200, optionsJson(deps.options));
      } catch (error) {
        return sendStatus(response, 400, GRPC_INVALID_ARGUMENT, error instanceof Error ? error.message : String(error));
      }
    }
  }
  if (route.startsWith('faults/') && method === 'DELETE') {
    const removed = deps.faults.remove(decodeURIComponent(route.slice('faults/'.length)));
    return removed ? sendJson(response, 200, {}) : sendStatus(response, 404, GRPC_NOT_FOUND, 'no such fault rule');
  }
  sendStatus(response, 404, GRPC_NOT_FOUND, `unknown control endpoint ${method} ${path}`);
}

function addFaults(faults: FaultRegistry, body: unknown): FaultRule[] {
  if (Array.isArray(body)) return body.flatMap((rule) => faults.add(rule));
  if (typeof body === 'object' && body !== null) {
    const record = body as Record<string, unknown>;
    const spec = record.spec ?? record.specs;
    if (typeof spec === 'string') return faults.add(spec);
    return faults.add(body as Parameters<FaultRegistry['add']>[0]);
  }
  throw new FaultSpecError('send a fault rule object, an array of rules, or {"spec":"..."}');
}

function optionsJson(options: ResolvedEmulatorOptions): Record<string, unknown> {
  // The log sink is a function and the key a secret: neither belongs in the answer.
  const { logSink: _sink, apiKey, ...rest } = options;
  // Keys are credentials: only the wildcard is shown as written.
  const keysWithoutVoiceScope = rest.keysWithoutVoiceScope.map((key) => (key === '*' ? key : `${key.slice(0, 2)}…`));
  return { ...rest, keysWithoutVoiceScope, apiKeyRequired: apiKey !== undefined };
}
