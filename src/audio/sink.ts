// The one interface every audio destination implements (files, stdout, speakers, a tee), so the
// commands write audio without caring where it goes.

/**
 * A destination for audio bytes.
 *
 * Lifecycle: any number of `write`s, then exactly one of
 * - `end()`       : everything arrived; finish normally (rename the file into place, let the
 *                   player drain). Rejects if finishing failed.
 * - `interrupt()` : stop early but keep what arrived (Ctrl-C): a file is finished with correct
 *                   sizes, playback stops now. Never rejects for a player that already died.
 * - `abort(why)`  : the request failed: remove partial files, stop players. Never rejects.
 */
export interface AudioSink {
  /** Resolves once the chunk is accepted (await it: that is the backpressure). */
  write(chunk: Buffer): Promise<void>;
  end(): Promise<void>;
  interrupt(): Promise<void>;
  abort(reason?: unknown): Promise<void>;
  /** True once nobody reads any more (a pipe's reader left): the producer may stop early. */
  readonly readerGone?: boolean;
}

/** A sink that can drop what it wrote after a point, so a retried request can resume there. */
export interface RewindableSink extends AudioSink {
  /** Bytes of audio accepted so far (excluding any header we write). */
  position(): number;
  /** Discards the audio after `bytesOfAudio` bytes; later writes continue from there. */
  truncate(bytesOfAudio: number): Promise<void>;
  /** Writes `bytes` over audio already accepted, `bytesOfAudio` in (header totals known only at the end). */
  overwrite(bytesOfAudio: number, bytes: Buffer): Promise<void>;
}

/** True for sinks that can rewind now (a file sink writing to a device or pipe cannot). */
export function isRewindable(sink: AudioSink): sink is RewindableSink {
  const candidate = sink as Partial<RewindableSink> & { canRewind?: boolean };
  return typeof candidate.truncate === 'function' && typeof candidate.position === 'function' && candidate.canRewind !== false;
}

/**
 * Copies a stream of chunks into a sink with backpressure, then ends it. If the source throws,
 * the sink is aborted and the error rethrown; if `signal` fires, the sink is interrupted (what
 * arrived is kept) and the signal's reason is thrown.
 */
export async function pipeToSink(
  source: AsyncIterable<Buffer>,
  sink: AudioSink,
  signal?: AbortSignal,
): Promise<void> {
  const interrupted = () => signal?.aborted === true;
  try {
    for await (const chunk of source) {
      if (interrupted()) break;
      await sink.write(chunk);
      if (interrupted()) break;
    }
  } catch (error) {
    if (interrupted()) {
      await sink.interrupt();
      throw signal!.reason;
    }
    await sink.abort(error);
    throw error;
  }
  if (interrupted()) {
    await sink.interrupt();
    throw signal!.reason;
  }
  await sink.end();
}
