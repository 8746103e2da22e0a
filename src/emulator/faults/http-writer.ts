// Writes an HTTP response body while applying the HTTP fault actions that matched the request:
// stalls, in-stream error lines, dropped connections, split writes, malformed / oversized lines
// and bad base64. The TTS handlers only describe what to send; this decides how it goes wrong.
import type { ServerResponse } from 'node:http';
import type { EmulatorContext } from '../server/context.js';
import { findAction, FaultAction } from './rules.js';
import { GRPC_INTERNAL, rpcStatus } from '../server/grpc.js';
import { writeAndDrain } from '../server/http-io.js';

/** Default size of an oversized line: just over 1 MiB, past the usual client line limit. */
const OVERSIZED_LINE_BYTES = 1024 * 1024 + 64;
const DEFAULT_SPLIT_PIECE_BYTES = 5;
const BAD_BASE64 = '@@not*base64@@';
const MALFORMED_LINE = '{"result":{"audioContent":"AAAA",';

/** Resolves after `ms` or never (until the response or emulator closes) when ms is undefined. */
export async function stall(ctx: EmulatorContext, response: ServerResponse, ms: number | undefined): Promise<void> {
  if (ms !== undefined) {
    await ctx.delay(ms).catch(() => {});
    return;
  }
  await new Promise<void>((resolve) => {
    if (response.destroyed || ctx.closing.aborted) return resolve();
    response.once('close', () => resolve());
    ctx.closing.addEventListener('abort', () => resolve(), { once: true });
  });
}

export class FaultWriter {
  private readonly response: ServerResponse;
  private readonly actions: readonly FaultAction[];
  private readonly ctx: EmulatorContext;
  private random: () => number;
  /** Result lines written so far (the index the `after-chunks` parameters refer to). */
  lines = 0;
  bytes = 0;
  /** True once a fault ended the body (error line, drop) or the client went away. */
  stopped = false;

  constructor(response: ServerResponse, actions: readonly FaultAction[], ctx: EmulatorContext) {
    this.response = response;
    this.actions = actions;
    this.ctx = ctx;
    this.random = seededRandom(findAction(actions, 'split')?.seed ?? 1);
  }

  /** Writes one NDJSON line (`value` + "\n"); false when the stream must stop. */
  async writeLine(value: { result?: Record<string, unknown> }): Promise<boolean> {
    if (this.stopped || this.response.destroyed) return this.stop();
    const index = this.lines;
    for (const action of this.actions) {
      if (action.type === 'stall' && action.at === 'first-chunk' && index === 0) await stall(this.ctx, this.response, action.ms);
      if (action.type === 'stall' && action.at === 'mid-stream' && index === (action.afterChunks ?? 1)) {
        await stall(this.ctx, this.response, action.ms);
      }
    }
    if (this.response.destroyed) return this.stop();
    const error = findAction(this.actions, 'stream-error');
    if (error && index === error.afterChunks) {
      await this.writeRaw(`${JSON.stringify({ error: rpcStatus(error.code ?? GRPC_INTERNAL, error.message ?? 'Internal error') })}\n`);
      this.response.end();
      return this.stop();
    }
    const drop = findAction(this.actions, 'drop');
    if (drop && drop.afterBytes === undefined && index === (drop.afterChunks ?? 0)) {
      await this.destroy();
      return this.stop();
    }
    const malformed = findAction(this.actions, 'malformed-line');
    if (malformed && index === (malformed.afterChunks ?? 0)) {
      if (!(await this.writeRaw(`${MALFORMED_LINE}\n`))) return this.stop();
    }
    const oversized = findAction(this.actions, 'oversized-line');
    if (oversized && index === (oversized.afterChunks ?? 0)) {
      if (!(await this.writeRaw(`${oversizedLine(oversized.bytes ?? OVERSIZED_LINE_BYTES)}\n`))) return this.stop();
    }
    const badBase64 = findAction(this.actions, 'bad-base64');
    let line = value;
    if (badBase64 && index === (badBase64.afterChunks ?? 0) && value.result && 'audioContent' in value.result) {
      line = { ...value, result: { ...value.result, audioContent: BAD_BASE64 } };
    }
    this.lines += 1;
    return (await this.writeRaw(`${JSON.stringify(line)}\n`)) || this.stop();
  }

  /** Writes a whole (non-streamed) body, applying drop/bad-base64/stall-first-chunk. */
  async writeBody(value: Record<string, unknown>): Promise<void> {
    for (const action of this.actions) {
      if (action.type === 'stall' && action.at !== 'headers') await stall(this.ctx, this.response, action.ms);
    }
    const badBase64 = findAction(this.actions, 'bad-base64');
    const body = badBase64 && 'audioContent' in value ? { ...value, audioContent: BAD_BASE64 } : value;
    const drop = findAction(this.actions, 'drop');
    if (drop && drop.afterBytes === undefined) {
      this.response.destroy();
      return;
    }
    if (await this.writeRaw(JSON.stringify(body))) this.response.end();
  }

  /**
   * Fires a stream-error or drop whose `afterChunks` is at or past the number of lines written
   * (the stream was shorter than the test expected), so an asked-for fault is never skipped.
   * False when one fired.
   */
  async finish(): Promise<boolean> {
    if (this.stopped || this.response.destroyed) return false;
    const error = findAction(this.actions, 'stream-error');
    if (error && error.afterChunks >= this.lines) {
      await this.writeRaw(`${JSON.stringify({ error: rpcStatus(error.code ?? GRPC_INTERNAL, error.message ?? 'Internal error') })}\n`);
      this.response.end();
      return this.stop();
    }
    const drop = findAction(this.actions, 'drop');
    if (drop && (drop.afterBytes !== undefined || (drop.afterChunks ?? 0) >= this.lines)) {
      await this.destroy();
      return this.stop();
    }
    return true;
  }

  end(): void {
    if (!this.stopped && !this.response.destroyed) this.response.end();
    this.stopped = true;
  }

  private stop(): false {
    this.stopped = true;
    return false;
  }

  private async writeRaw(text: string): Promise<boolean> {
    let data = Buffer.from(text, 'utf8');
    const drop = findAction(this.actions, 'drop');
    let dropAfter = false;
    if (drop?.afterBytes !== undefined && this.bytes + data.length >= drop.afterBytes) {
      data = data.subarray(0, Math.max(0, drop.afterBytes - this.bytes));
      dropAfter = true;
    }
    const split = findAction(this.actions, 'split');
    const maxPiece = Math.max(1, split?.pieceBytes ?? DEFAULT_SPLIT_PIECE_BYTES);
    let offset = 0;
    while (offset < data.length) {
      const size = split ? 1 + Math.floor(this.random() * maxPiece) : data.length;
      const piece = data.subarray(offset, offset + size);
      offset += piece.length;
      if (!(await writeAndDrain(this.response, piece))) return false;
      this.bytes += piece.length;
      // Give the event loop a turn so pieces leave as separate writes, not one coalesced packet.
      if (split) await new Promise<void>((resolve) => setImmediate(resolve));
    }
    if (dropAfter) {
      await this.destroy();
      return false;
    }
    return true;
  }

  /** Resets the connection after what was written has left (a turn of the loop for the kernel). */
  private async destroy(): Promise<void> {
    await new Promise<void>((resolve) => setImmediate(resolve));
    this.response.socket?.destroy();
    this.response.destroy();
  }
}

function oversizedLine(bytes: number): string {
  // Valid JSON whose audio decodes to zero bytes of even length: only its size is wrong.
  const prefix = '{"result":{"audioContent":"';
  const suffix = '"}}';
  const quads = Math.ceil(Math.max(0, bytes - prefix.length - suffix.length) / 8) * 2;
  return `${prefix}${'AAAA'.repeat(quads)}${suffix}`;
}

/** Mulberry32: a tiny seeded generator so split positions are reproducible. */
function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
