// The convenience form of a streaming transcription: hand over an async iterable of PCM (and,
// for manual turns, END_TURN markers), get an async iterable of events. Audio is pumped into the
// session in the background; breaking out of the loop stops both.

import type { InworldClient } from '../core/client.js';
import type { SttEvent } from './events.js';
import { SttSession, type SttSessionOptions } from './session.js';

/** Put this in the audio iterable to end a turn (manual mode, vadThreshold 0). */
export const END_TURN: unique symbol = Symbol('inworld.stt.endTurn');
/** Audio for a transcription: s16le PCM chunks, with {@link END_TURN} markers for manual turns. */
export type SttAudioInput = AsyncIterable<Uint8Array | typeof END_TURN> | Iterable<Uint8Array | typeof END_TURN>;

export function transcribeStream(client: InworldClient, audio: SttAudioInput, options: SttSessionOptions): AsyncIterable<SttEvent> & { session: SttSession } {
  const session = new SttSession(client, options);
  void pump(session, audio);
  const iterable = {
    session,
    [Symbol.asyncIterator]: () => session[Symbol.asyncIterator](),
  };
  return iterable;
}

async function pump(session: SttSession, audio: SttAudioInput): Promise<void> {
  try {
    for await (const item of audio) {
      if (item === END_TURN) session.endTurn();
      else await session.write(item);
    }
    session.end();
  } catch (error) {
    // A failing source (a recorder that died) fails the session with the source's error; a
    // session that already failed has its own error for the consumer.
    session.abort(error);
  }
}
