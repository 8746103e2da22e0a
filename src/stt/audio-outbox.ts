// What a transcription session has been given but not yet sent: audio cut into chunks of the
// configured size (copied into recycled AudioBlocks, so the caller's buffers die young) and the
// endTurns between them, in order, each carrying its position in the stream. Writers wait while
// more than OUTBOX_HIGH_WATER_CHUNKS are queued, which is what holds a fast file reader back.
import { AudioBlocks, type OutItem } from './recovery.js';

/** Chunks queued ahead of the socket before write() waits (2 s of audio at 100 ms chunks). */
const OUTBOX_HIGH_WATER_CHUNKS = 20;
/** Chunks per block of the session's audio memory (AudioBlocks). */
const AUDIO_BLOCK_CHUNKS = 20;

export class AudioOutbox {
  private items: OutItem[] = [];
  private readonly blocks: AudioBlocks;
  private readonly chunkBytes: number;
  private readonly frameBytes: number;
  /** Audio short of a whole chunk, waiting for the next write. */
  private readonly partial: Buffer;
  private partialBytes = 0;
  private streamBytes = 0;
  private roomWaiters: Array<() => void> = [];
  /** Called whenever an item is queued (wakes the sender). */
  private readonly onQueued: () => void;

  /** `replayBytes`: the replay bound, so the spare blocks can refill a whole replay window. */
  constructor(chunkBytes: number, frameBytes: number, replayBytes: number, onQueued: () => void) {
    this.chunkBytes = chunkBytes;
    this.frameBytes = frameBytes;
    this.partial = Buffer.alloc(chunkBytes);
    const blockBytes = chunkBytes * AUDIO_BLOCK_CHUNKS;
    this.blocks = new AudioBlocks(blockBytes, Math.ceil(replayBytes / blockBytes) + 1);
    this.onQueued = onQueued;
  }

  /** Queues `pcm` as whole chunks; a piece shorter than a chunk waits for the next call. Nothing of `pcm` is kept. */
  add(pcm: Uint8Array): void {
    let data = Buffer.from(pcm.buffer, pcm.byteOffset, pcm.byteLength);
    if (this.partialBytes > 0) {
      const head = data.subarray(0, this.chunkBytes - this.partialBytes);
      this.partialBytes += head.copy(this.partial, this.partialBytes);
      data = data.subarray(head.length);
      if (this.partialBytes === this.chunkBytes) {
        this.enqueueAudio(this.partial);
        this.partialBytes = 0;
      }
    }
    while (data.length >= this.chunkBytes) {
      this.enqueueAudio(data.subarray(0, this.chunkBytes));
      data = data.subarray(this.chunkBytes);
    }
    this.partialBytes += data.copy(this.partial, this.partialBytes);
  }

  /** Queues an endTurn after the audio so far. */
  endTurn(): void {
    this.flushPartial();
    this.items.push({ kind: 'endTurn', atByte: this.streamBytes });
    this.onQueued();
  }

  /** Queues the audio short of a chunk (whole sample frames only: a partial frame is dropped). */
  flushPartial(): void {
    const whole = this.partialBytes - (this.partialBytes % this.frameBytes);
    this.partialBytes = 0;
    if (whole > 0) this.enqueueAudio(this.partial.subarray(0, whole));
  }

  /** Whether writers should wait. */
  get full(): boolean {
    return this.items.length > OUTBOX_HIGH_WATER_CHUNKS;
  }

  /** Resolves when releaseWriters() next lets writers go. */
  waitForRoom(): Promise<void> {
    return new Promise<void>((resolve) => this.roomWaiters.push(resolve));
  }

  /** Lets waiting writers go once there is room, or at once when `force` (the session stopped). */
  releaseWriters(force: boolean): void {
    if (this.full && !force) return;
    const waiters = this.roomWaiters;
    this.roomWaiters = [];
    for (const resolve of waiters) resolve();
  }

  /** The next item to send, left queued. */
  first(): OutItem | undefined {
    return this.items[0];
  }

  shift(): OutItem | undefined {
    return this.items.shift();
  }

  /** Puts items (a replay after a reconnect) before everything queued. */
  prepend(items: OutItem[]): void {
    this.items = [...items, ...this.items];
  }

  /** Recycles the blocks of audio neither queued nor kept for replay (`oldestReplayByte`: the replay's oldest audio). */
  release(oldestReplayByte: number | undefined): void {
    const oldest = oldestReplayByte ?? this.items.find((item) => item.kind === 'audio')?.startByte ?? this.streamBytes;
    this.blocks.release(oldest);
  }

  private enqueueAudio(pcm: Buffer): void {
    const data = this.blocks.copy(pcm, this.streamBytes);
    this.items.push({ kind: 'audio', data, startByte: this.streamBytes });
    this.streamBytes += data.length;
    this.onQueued();
  }
}
