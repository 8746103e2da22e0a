// `inworld.stt`: speech-to-text, streaming over a WebSocket or one clip over HTTP.
import type { InworldClient } from '../core/client.js';
import type { SttEvent } from '../stt/events.js';
import { transcribeClip, type BatchOptions, type BatchTranscription } from '../stt/rest.js';
import { SttSession, type SttSessionOptions } from '../stt/session.js';
import { transcribeStream, type SttAudioInput } from '../stt/transcribe.js';

/** The `stt` resource of an {@link Inworld} client. */
export class SpeechToText {
  private readonly client: InworldClient;

  /** @internal Built by {@link Inworld}; not meant to be constructed directly. */
  constructor(client: InworldClient) {
    this.client = client;
  }

  /**
   * Transcribes a live stream: hand over an async (or plain) iterable of s16le PCM chunks, with
   * {@link END_TURN} markers for manual turns, and iterate the events. A dropped connection is
   * reconnected and unacknowledged audio replayed. Breaking out of the loop ends the session;
   * `session` gives access to its statistics and to `abort()`.
   *
   * @throws {@link ValidationError} for bad options; API and connection errors from the iterator.
   */
  transcribe(audio: SttAudioInput, options: SttSessionOptions): AsyncIterable<SttEvent> & { session: SttSession } {
    return transcribeStream(this.client, audio, options);
  }

  /**
   * Opens a streaming transcription to push audio into yourself (`write()`, `endTurn()`, `end()`)
   * while iterating its events: the form for callback-style sources such as a microphone.
   */
  session(options: SttSessionOptions): SttSession {
    return new SttSession(this.client, options);
  }

  /** Transcribes one short clip of PCM in a single HTTP request (`POST /stt/v1/transcribe`, up to 16 MB). */
  transcribeClip(pcm: Uint8Array, options: BatchOptions): Promise<BatchTranscription> {
    return transcribeClip(this.client, pcm, options);
  }
}
