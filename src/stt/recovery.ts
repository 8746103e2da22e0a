// The recovery contract of a streaming transcription (docs/protocol.md#stt):
//
// - An unexpected close (1006 with no close frame, 1011, or even 1000 before we sent closeStream)
//   reconnects after a backoff (core/retry.ts, STT_RETRY_BACKOFF), sends transcribeConfig again and continues with the audio the
//   server has not acknowledged. A close after closeStream is a clean end.
// - A refused handshake that is not retryable (401, 403, 400, …) fails at once.
// - Retries are bounded: after `maxRetries` consecutive failed attempts (a final received resets
//   the count, since that is progress) the stream fails with a ConnectionError naming the reason.
//
// "Acknowledged" audio: the server acknowledges audio by finalizing the turn it belongs to. The
// session keeps every item it sent since the last final in a ReplayBuffer; a final trims the
// buffer up to the end of its last word (we ask for word timestamps), or, for a final without
// words, up to everything sent when it arrived. After a reconnect the buffer is sent again
// before new audio, so a turn cut off mid-way is transcribed whole on the new connection, and a
// turn already finalized is never sent twice (so its final is never duplicated). The buffer is
// bounded; while it is full the session holds new audio back until a final makes room, so a fast
// sender never pushes out audio it may still have to replay (session.ts, pace).

/** Item kinds the session sends; audio carries its position in the stream. */
export type OutItem =
  | { kind: 'audio'; data: Buffer; startByte: number }
  | { kind: 'endTurn'; atByte: number };

/** Default replay bound: a manual turn is capped at ~30 s, keep twice that. */
export const DEFAULT_REPLAY_LIMIT_MS = 60_000;

export class ReplayBuffer {
  private items: OutItem[] = [];
  private heldBytes = 0;
  private readonly maxBytes: number;
  private droppedByteCount = 0;

  constructor(maxBytes: number) {
    this.maxBytes = maxBytes;
  }

  /** Whether `bytes` more audio fits without pushing the oldest out. */
  hasRoomFor(bytes: number): boolean {
    return this.heldBytes + bytes <= this.maxBytes;
  }

  /** Remembers an item just sent; drops the oldest audio beyond the bound. */
  push(item: OutItem): void {
    const last = this.items[this.items.length - 1];
    if (item.kind === 'audio' && last?.kind === 'audio' && adjacent(last, item)) {
      // Consecutive chunks cut from one piece of the source become one view. An object per 100 ms
      // chunk, each living as long as the replay window, was most of what survived V8's young
      // collections; their sum made the young generation (and peak RSS) grow with stream length.
      const data = Buffer.from(last.data.buffer, last.data.byteOffset, last.data.length + item.data.length);
      this.items[this.items.length - 1] = { kind: 'audio', data, startByte: last.startByte };
    } else {
      this.items.push(item);
    }
    if (item.kind === 'audio') this.heldBytes += item.data.length;
    while (this.heldBytes > this.maxBytes && this.items.length > 1) {
      const dropped = this.items.shift()!;
      if (dropped.kind === 'audio') {
        this.heldBytes -= dropped.data.length;
        this.droppedByteCount += dropped.data.length;
      }
    }
  }

  /** Forgets audio before stream byte `ackByte` (splitting a chunk that straddles it) and endTurns at or before it. */
  ackThrough(ackByte: number, frameBytes: number): void {
    const kept: OutItem[] = [];
    for (const item of this.items) {
      if (item.kind === 'endTurn') {
        if (item.atByte > ackByte) kept.push(item);
        continue;
      }
      const endByte = item.startByte + item.data.length;
      if (endByte <= ackByte) {
        this.heldBytes -= item.data.length;
        continue;
      }
      if (item.startByte < ackByte) {
        // Keep only whole frames after the acknowledged point, so replay never re-sends the tail
        // of a finalized turn (which could be heard as a new, spurious turn).
        const cut = Math.ceil((ackByte - item.startByte) / frameBytes) * frameBytes;
        const data = item.data.subarray(Math.min(cut, item.data.length));
        this.heldBytes -= item.data.length - data.length;
        if (data.length > 0) kept.push({ kind: 'audio', data, startByte: item.startByte + (item.data.length - data.length) });
        continue;
      }
      kept.push(item);
    }
    this.items = kept;
  }

  /** Stream byte of the oldest audio held, if any. */
  firstAudioByte(): number | undefined {
    return this.items.find((item) => item.kind === 'audio')?.startByte;
  }

  /** The earliest endTurn still unacknowledged, if any. */
  firstEndTurn(): Extract<OutItem, { kind: 'endTurn' }> | undefined {
    return this.items.find((item): item is Extract<OutItem, { kind: 'endTurn' }> => item.kind === 'endTurn');
  }

  /**
   * Everything unacknowledged, oldest first, audio in pieces of at most `chunkBytes`; empties the
   * buffer (the items are about to be re-sent).
   */
  drain(chunkBytes = Number.POSITIVE_INFINITY): OutItem[] {
    const items: OutItem[] = [];
    for (const item of this.items) {
      if (item.kind !== 'audio' || item.data.length <= chunkBytes) {
        items.push(item);
        continue;
      }
      for (let offset = 0; offset < item.data.length; offset += chunkBytes) {
        items.push({ kind: 'audio', data: item.data.subarray(offset, offset + chunkBytes), startByte: item.startByte + offset });
      }
    }
    this.items = [];
    this.heldBytes = 0;
    return items;
  }

  get size(): number {
    return this.items.length;
  }

  get bytes(): number {
    return this.heldBytes;
  }

  /** Audio that fell out of the bound (it could not be replayed). */
  get droppedBytes(): number {
    return this.droppedByteCount;
  }
}

/**
 * Memory for the audio a session holds, from write() until a final acknowledges it: blocks filled
 * in stream order and recycled in stream order once no queued or replayable audio is in them.
 *
 * Why not a fresh Buffer per chunk: that audio lives across V8 young-generation collections, so
 * its Buffers are promoted to the old generation, where an ArrayBuffer is freed only by a full
 * collection, and V8 starts one only after tens of MB of external memory. Over a long file at full
 * speed every byte of audio took that path, and peak RSS grew with the file's length (10 min:
 * 72 MB, 60 min: 100 MB, 120 min: 132 MB). Recycled blocks keep the audio memory at its window.
 */
export class AudioBlocks {
  private readonly blockBytes: number;
  private readonly maxSpare: number;
  /** Blocks in use, oldest first; `endByte` is the stream byte just past the last audio copied in. */
  private blocks: Array<{ buffer: Buffer; used: number; endByte: number }> = [];
  private spare: Buffer[] = [];

  constructor(blockBytes: number, maxSpare: number) {
    this.blockBytes = blockBytes;
    this.maxSpare = maxSpare;
  }

  /** Copies `pcm`, the audio at stream byte `startByte`, into a block. */
  copy(pcm: Buffer, startByte: number): Buffer {
    const bytes = pcm.length;
    let block = this.blocks[this.blocks.length - 1];
    if (!block || block.buffer.length - block.used < bytes) {
      const buffer = bytes <= this.blockBytes ? (this.spare.pop() ?? Buffer.allocUnsafeSlow(this.blockBytes)) : Buffer.allocUnsafeSlow(bytes);
      block = { buffer, used: 0, endByte: startByte };
      this.blocks.push(block);
    }
    const view = block.buffer.subarray(block.used, block.used + bytes);
    pcm.copy(view);
    block.used += bytes;
    block.endByte = startByte + bytes;
    return view;
  }

  /** Recycles the blocks that hold only audio before stream byte `oldestByte` (the oldest still referenced). */
  release(oldestByte: number): void {
    while (this.blocks.length > 0 && this.blocks[0]!.endByte <= oldestByte) {
      const { buffer } = this.blocks.shift()!;
      if (buffer.length === this.blockBytes && this.spare.length < this.maxSpare) this.spare.push(buffer);
    }
  }

  /** Bytes of block memory held, in use or spare. */
  get bytes(): number {
    return this.blocks.reduce((sum, block) => sum + block.buffer.length, 0) + this.spare.length * this.blockBytes;
  }
}

/** Whether `next` continues `last` both in the stream and in memory (one view can hold both). */
function adjacent(last: Extract<OutItem, { kind: 'audio' }>, next: Extract<OutItem, { kind: 'audio' }>): boolean {
  return (
    last.startByte + last.data.length === next.startByte &&
    last.data.buffer === next.data.buffer &&
    last.data.byteOffset + last.data.length === next.data.byteOffset
  );
}

export const CLOSE_NORMAL = 1000;
export const CLOSE_GOING_AWAY = 1001;
export const CLOSE_NO_STATUS = 1005;
export const CLOSE_ABNORMAL = 1006;

/** After closeStream, a normal close is the server saying "done". */
export function isCleanClose(code: number): boolean {
  return code === CLOSE_NORMAL || code === CLOSE_GOING_AWAY || code === CLOSE_NO_STATUS;
}

export function describeClose(code: number, reason: string): string {
  const text = reason ? `: ${reason}` : '';
  if (code === CLOSE_ABNORMAL) return `connection dropped without a close frame (1006)${text}`;
  return `server closed the connection with code ${code}${text}`;
}
