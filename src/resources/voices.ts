// `inworld.voices`: the voice catalogue. Listing today; getting, cloning and designing voices
// belong here when they arrive.
import type { InworldClient } from '../core/client.js';
import { listVoices, type ListVoicesOptions } from '../voices/list.js';
import type { Voice } from '../voices/types.js';

/** The `voices` resource of an {@link Inworld} client. */
export class Voices {
  private readonly client: InworldClient;

  /** @internal Built by {@link Inworld}; not meant to be constructed directly. */
  constructor(client: InworldClient) {
    this.client = client;
  }

  /**
   * Lists the voices available to this key, optionally for one language (`en`, `en-US`). Uses the
   * Voice API and falls back to the older TTS voices endpoint where that is missing.
   */
  list(options: ListVoicesOptions = {}): Promise<Voice[]> {
    return listVoices(this.client, options);
  }
}
