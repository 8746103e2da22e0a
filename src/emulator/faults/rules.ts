// Fault injection rules shared by every emulator endpoint (HTTP and WebSocket).
//
// A rule says WHICH requests it hits (protocol, method, path, skip, times) and WHAT happens
// (one action). Rules are added three ways: in process (`emulator.faults.add(rule)`), over HTTP
// (`POST /_emulator/faults`, JSON rule or `{"spec": "..."}`), or as spec strings
// (`--fault` on `inworld emulator`, `EmulatorOptions.faults`).
//
// Matching: `take(request)` returns the actions of every rule that matches, in insertion order,
// and consumes one use of each rule's `times` (a rule with `times: 2` hits the next two matching
// requests and is then removed; without `times` it hits every match). `skip: n` lets the first n
// matching requests through untouched, so "fail only the third request" is expressible.
//
// Spec grammar (also in docs/emulator.md):
//   specs  := rule (';' rule)*
//   rule   := pair (',' pair)*
//   pair   := key '=' value          values are percent-decoded, so a message may hold %2C for ','
//   keys   := action | path | method | protocol | times | skip | <action parameter>
// `action` names the action type; when it is absent, `status=<n>` implies `action=status`.
// `path` matches exactly, or as a prefix when it ends in `*`. Parameters use kebab-case names of
// the action fields: `retry-after`, `after-chunks`, `after-bytes`, `after-messages`, `piece-bytes`,
// `close-code`, `ms` (omit ms on a stall to stall forever), `factor`, `bytes`, `code`, `message`.
// `action=custom,name=<handler fault>` accepts any other key too (camelCased; numbers parsed), for
// the WebSocket handlers' own faults (tts/ws-faults.ts, stt/ws.ts); every setting of a custom
// action, known key or not, ends up in its `params`.
// Examples:
//   status=503,times=2,path=/tts/v1/voice:stream
//   status=429,code=8,message=slow%20down,retry-after=3
//   action=stream-error,after-chunks=2,code=13,message=boom
//   action=drop,after-bytes=1000
//   action=stall,at=first-chunk,ms=2000
//   action=split,piece-bytes=3
//   action=ws-close,close-code=1011,protocol=ws,path=/stt/v1/transcribe:streamBidirectional

/** Where a stall happens on an HTTP response. */
export type StallPoint = 'headers' | 'first-chunk' | 'mid-stream';

/** Actions for HTTP endpoints (unary and NDJSON streams). */
export type HttpFaultAction =
  /** Answer with this HTTP status and a gRPC body instead of handling the request. */
  | { type: 'status'; status: number; code?: number; message?: string; retryAfterSeconds?: number }
  /** Wait `ms` (forever when absent) before headers, before the first chunk, or after `afterChunks` chunks. */
  | { type: 'stall'; at: StallPoint; ms?: number; afterChunks?: number }
  /** After `afterChunks` result lines, write `{"error":{...}}` and end the stream. */
  | { type: 'stream-error'; afterChunks: number; code?: number; message?: string }
  /** Destroy the socket after `afterChunks` lines or `afterBytes` body bytes (whichever is set). */
  | { type: 'drop'; afterChunks?: number; afterBytes?: number }
  /** Write every line in pieces of 1..pieceBytes bytes (cuts mid-line and mid-UTF-8). */
  | { type: 'split'; pieceBytes?: number; seed?: number }
  /** After `afterChunks` lines, write a line that is not valid JSON. */
  | { type: 'malformed-line'; afterChunks?: number }
  /** After `afterChunks` lines, write one line longer than `bytes` (default just over 1 MiB). */
  | { type: 'oversized-line'; afterChunks?: number; bytes?: number }
  /** Replace audioContent of chunk number `afterChunks` (0-based) with text that is not base64. */
  | { type: 'bad-base64'; afterChunks?: number }
  /** Pace the stream at `factor` times slower than real time (2 = half speed). */
  | { type: 'slow'; factor?: number };

/** Actions for WebSocket endpoints; the WS handlers interpret them. */
export type WsFaultAction =
  /** Close the socket with `closeCode` after `afterMessages` server messages (0 or absent: at once).
   *  Refusing the upgrade itself uses the `status` action with `protocol: 'ws'`. */
  | { type: 'ws-close'; closeCode: number; reason?: string; afterMessages?: number }
  /** Send a top-level `{"error":{code,message}}` after `afterMessages` server messages. */
  | { type: 'ws-error'; code?: number; message?: string; afterMessages?: number }
  /** Destroy the TCP socket without a close frame after `afterMessages` server messages. */
  | { type: 'ws-drop'; afterMessages?: number }
  /** Send `contextClosed` at once on close_context, ahead of the context's audio: a race one
   *  client reported (the close acknowledgement overtaking the audio), unconfirmed on the service. */
  | { type: 'ws-reorder-close' }
  /** An action a handler defines for itself; `name` says which, `params` carries its settings. */
  | { type: 'custom'; name: string; params?: Record<string, unknown> };

export type FaultAction = HttpFaultAction | WsFaultAction;
export type FaultActionType = FaultAction['type'];

export interface FaultRuleInput {
  /** Exact path, or a prefix ending in `*`. Absent: every path. */
  path?: string;
  /** HTTP method (upper case); a WebSocket handshake is `GET`. Absent: any. */
  method?: string;
  /** `http` for plain requests, `ws` for WebSocket handshakes/sessions. Absent: both. */
  protocol?: 'http' | 'ws';
  /** Apply to this many matching requests, then drop the rule. Absent: unlimited. */
  times?: number;
  /** Let this many matching requests pass before the rule starts applying. */
  skip?: number;
  action: FaultAction;
}

export interface FaultRule extends FaultRuleInput {
  readonly id: string;
  /** Matching requests the rule has acted on so far. */
  hits: number;
}

export interface FaultTarget {
  protocol: 'http' | 'ws';
  method: string;
  path: string;
}

const ACTION_TYPES: ReadonlySet<string> = new Set<FaultActionType>([
  'status', 'stall', 'stream-error', 'drop', 'split', 'malformed-line', 'oversized-line',
  'bad-base64', 'slow', 'ws-close', 'ws-error', 'ws-drop', 'ws-reorder-close', 'custom',
]);

export class FaultRegistry {
  private rules: FaultRule[] = [];
  private nextId = 1;

  /** Adds a rule (object or spec string with one or more rules); returns the stored rules. */
  add(rule: FaultRuleInput | string): FaultRule[] {
    const inputs = typeof rule === 'string' ? parseFaultSpecs(rule) : [validateFaultRule(rule)];
    const stored = inputs.map((input) => ({ ...input, id: `f${this.nextId++}`, hits: 0 }));
    this.rules.push(...stored);
    return stored;
  }

  remove(id: string): boolean {
    const before = this.rules.length;
    this.rules = this.rules.filter((rule) => rule.id !== id);
    return this.rules.length !== before;
  }

  clear(): void {
    this.rules = [];
  }

  list(): FaultRule[] {
    return this.rules.map((rule) => ({ ...rule }));
  }

  /** Actions that apply to this request; consumes one use of each matching rule. */
  take(target: FaultTarget): FaultAction[] {
    const actions: FaultAction[] = [];
    for (const rule of this.rules) {
      if (!ruleMatches(rule, target)) continue;
      rule.hits += 1;
      if (rule.skip !== undefined && rule.hits <= rule.skip) continue;
      actions.push(rule.action);
      const used = rule.hits - (rule.skip ?? 0);
      if (rule.times !== undefined && used >= rule.times) this.remove(rule.id);
    }
    return actions;
  }
}

function ruleMatches(rule: FaultRule, target: FaultTarget): boolean {
  if (rule.protocol !== undefined && rule.protocol !== target.protocol) return false;
  if (rule.method !== undefined && rule.method.toUpperCase() !== target.method.toUpperCase()) return false;
  if (rule.path !== undefined) {
    if (rule.path.endsWith('*')) {
      if (!target.path.startsWith(rule.path.slice(0, -1))) return false;
    } else if (rule.path !== target.path) {
      return false;
    }
  }
  return true;
}

/** First action of a given type in a list returned by `take`, typed by that type. */
export function findAction<T extends FaultActionType>(
  actions: readonly FaultAction[],
  type: T,
): Extract<FaultAction, { type: T }> | undefined {
  return actions.find((action) => action.type === type) as Extract<FaultAction, { type: T }> | undefined;
}

/** Checks a rule that came from outside (JSON control endpoint, library users). */
export function validateFaultRule(input: unknown): FaultRuleInput {
  if (typeof input !== 'object' || input === null) throw new FaultSpecError('a fault rule must be an object');
  const rule = input as Record<string, unknown>;
  const action = rule.action as Record<string, unknown> | undefined;
  if (typeof action !== 'object' || action === null || typeof action.type !== 'string') {
    throw new FaultSpecError('a fault rule needs an action with a type');
  }
  if (!ACTION_TYPES.has(action.type)) throw new FaultSpecError(`unknown fault action "${action.type}"`);
  if (action.type === 'status' && !isInteger(action.status)) throw new FaultSpecError('a status fault needs an integer status');
  for (const key of ['times', 'skip'] as const) {
    if (rule[key] !== undefined && !(isInteger(rule[key]) && (rule[key] as number) >= 0)) {
      throw new FaultSpecError(`${key} must be a non-negative integer`);
    }
  }
  if (rule.protocol !== undefined && rule.protocol !== 'http' && rule.protocol !== 'ws') {
    throw new FaultSpecError('protocol must be "http" or "ws"');
  }
  for (const key of ['path', 'method'] as const) {
    if (rule[key] !== undefined && typeof rule[key] !== 'string') throw new FaultSpecError(`${key} must be a string`);
  }
  if (action.type === 'custom' && (typeof action.name !== 'string' || action.name === '')) {
    throw new FaultSpecError('a custom fault needs a name');
  }
  const { path, method, protocol, times, skip } = rule as unknown as FaultRuleInput;
  const out: FaultRuleInput = { action: (action.type === 'custom' ? customAction(action) : action) as unknown as FaultAction };
  if (path !== undefined) out.path = path;
  if (method !== undefined) out.method = method;
  if (protocol !== undefined) out.protocol = protocol;
  if (times !== undefined) out.times = times;
  if (skip !== undefined) out.skip = skip;
  return out;
}

/**
 * A custom action with every setting under `params`, where the handlers read them. A spec string
 * (`action=custom,name=stt-close,after-chunks=10`) and a JSON rule that puts settings next to
 * `name` both land here; values under `params` win over ones beside it.
 */
function customAction(action: Record<string, unknown>): FaultAction {
  const { type: _type, name, params, ...beside } = action;
  const nested = typeof params === 'object' && params !== null && !Array.isArray(params) ? (params as Record<string, unknown>) : {};
  return { type: 'custom', name: name as string, params: { ...beside, ...nested } };
}

export class FaultSpecError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'FaultSpecError';
  }
}

/** Spec keys that map to numeric action fields. */
const NUMERIC_PARAMS: Record<string, string> = {
  status: 'status',
  code: 'code',
  'retry-after': 'retryAfterSeconds',
  ms: 'ms',
  'after-chunks': 'afterChunks',
  'after-bytes': 'afterBytes',
  'after-messages': 'afterMessages',
  'piece-bytes': 'pieceBytes',
  seed: 'seed',
  factor: 'factor',
  bytes: 'bytes',
  'close-code': 'closeCode',
};

const STRING_PARAMS: Record<string, string> = { message: 'message', at: 'at', reason: 'reason', name: 'name' };

/** Parses `rule;rule;...` (see the grammar at the top of this file). */
export function parseFaultSpecs(specs: string): FaultRuleInput[] {
  return specs
    .split(';')
    .map((part) => part.trim())
    .filter((part) => part.length > 0)
    .map(parseFaultSpec);
}

export function parseFaultSpec(spec: string): FaultRuleInput {
  const rule: Record<string, unknown> = {};
  const action: Record<string, unknown> = {};
  const extra: [string, string][] = [];
  for (const pair of spec.split(',')) {
    const trimmed = pair.trim();
    if (trimmed === '') continue;
    const eq = trimmed.indexOf('=');
    if (eq <= 0) throw new FaultSpecError(`fault spec "${spec}": "${trimmed}" is not key=value`);
    const key = trimmed.slice(0, eq).trim().toLowerCase();
    const value = decodeURIComponent(trimmed.slice(eq + 1).trim());
    if (key === 'action') action.type = value;
    else if (key === 'path' || key === 'method') rule[key] = key === 'method' ? value.toUpperCase() : value;
    else if (key === 'protocol') rule.protocol = value;
    else if (key === 'times' || key === 'skip') rule[key] = parseSpecInteger(spec, key, value);
    else if (key in NUMERIC_PARAMS) action[NUMERIC_PARAMS[key]!] = parseSpecNumber(spec, key, value);
    else if (key in STRING_PARAMS) action[STRING_PARAMS[key]!] = value;
    else extra.push([key, value]);
  }
  for (const [key, value] of extra) {
    // Custom actions (defined by the WebSocket handlers) take any parameter, camelCased.
    if (action.type !== 'custom') throw new FaultSpecError(`fault spec "${spec}": unknown key "${key}"`);
    const name = key.replace(/-([a-z])/g, (_, c: string) => c.toUpperCase());
    action[name] = value !== '' && Number.isFinite(Number(value)) ? Number(value) : value;
  }
  if (action.type === undefined) {
    if (action.status !== undefined) action.type = 'status';
    else throw new FaultSpecError(`fault spec "${spec}": give action=<type> or status=<http status>`);
  }
  if (action.type === 'stall' && action.at === undefined) action.at = 'headers';
  if (action.type === 'stream-error' && action.afterChunks === undefined) action.afterChunks = 0;
  return validateFaultRule({ ...rule, action });
}

function parseSpecInteger(spec: string, key: string, value: string): number {
  const n = parseSpecNumber(spec, key, value);
  if (!Number.isInteger(n) || n < 0) throw new FaultSpecError(`fault spec "${spec}": ${key} must be a non-negative integer`);
  return n;
}

function parseSpecNumber(spec: string, key: string, value: string): number {
  const n = Number(value);
  if (value === '' || !Number.isFinite(n)) throw new FaultSpecError(`fault spec "${spec}": ${key}=${value} is not a number`);
  return n;
}

function isInteger(value: unknown): value is number {
  return typeof value === 'number' && Number.isInteger(value);
}
