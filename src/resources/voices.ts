// `inworld.voices`: the voice catalogue and the voice lifecycle: list, get, clone, design,
// publish, update, delete. Each call loads its module on first use.
import type { InworldClient } from '../core/client.js';
import type { ListVoicesOptions, ListVoicesResult } from '../voices/list.js';
import type { CloneRequest, CloneResult, DesignRequest, DesignResult, Voice, VoiceCallOptions, VoiceEdit } from '../voices/types.js';

/** The `voices` resource of an {@link Inworld} client. */
export class Voices {
  private readonly client: InworldClient;

  /** @internal Built by {@link Inworld}; not meant to be constructed directly. */
  constructor(client: InworldClient) {
    this.client = client;
  }

  /**
   * Lists the voices available to this key: every page of the Voice API, filtered by language
   * (`en`, `en-US`, or several with `languages`), gender, age group and source (system or custom).
   * Falls back to the older TTS voices endpoint where the Voice API is missing (404), or refuses
   * the key when `fallbackOnForbidden` is set (403); that one filters by language only.
   *
   * @throws {@link ValidationError} for a malformed filter, before any request.
   */
  async list(options: ListVoicesOptions = {}): Promise<Voice[]> {
    return (await this.listDetailed(options)).voices;
  }

  /** Like {@link Voices.list}, also saying which endpoint answered and which filters it could not apply. */
  async listDetailed(options: ListVoicesOptions = {}): Promise<ListVoicesResult> {
    const { listVoicesDetailed } = await import('../voices/list.js');
    return listVoicesDetailed(this.client, options);
  }

  /**
   * One voice by id.
   *
   * @throws {@link NotFoundError} when no voice has this id (ids are case-sensitive).
   */
  async get(voiceId: string, options: VoiceCallOptions = {}): Promise<Voice> {
    const { getVoice } = await import('../voices/manage.js');
    return getVoice(this.client, voiceId, options);
  }

  /**
   * Clones a voice from one or more recordings (WAV or MP3, 3 to 15 seconds each, at most 4 MB).
   * The new voice can be used for synthesis at once; `samples` holds the service's warnings and
   * errors per recording. Never retried once sent; waits up to five minutes unless `timeoutMs` says
   * otherwise.
   *
   * @throws {@link CloneTimeoutError} when no answer came after the request was sent; it says
   *   whether a voice with the display name exists by now.
   * @throws {@link ValidationError} for a missing name or sample, before any request.
   */
  async clone(request: CloneRequest, options: VoiceCallOptions = {}): Promise<CloneResult> {
    const { cloneVoice } = await import('../voices/clone.js');
    return cloneVoice(this.client, request, options);
  }

  /**
   * Designs one to three preview voices from a description; each preview comes with its audio and
   * an id to {@link Voices.publish}. Previews expire unless published. Never retried once sent.
   *
   * @throws {@link ValidationError} for an empty or over-long description or preview text.
   */
  async design(request: DesignRequest, options: VoiceCallOptions = {}): Promise<DesignResult> {
    const { designVoice } = await import('../voices/design.js');
    return designVoice(this.client, request, options);
  }

  /** Saves a design preview as a voice of your workspace (a display name is required). Never retried once sent. */
  async publish(previewId: string, edit: VoiceEdit & { displayName: string }, options: VoiceCallOptions = {}): Promise<Voice> {
    const { publishVoice } = await import('../voices/design.js');
    return publishVoice(this.client, previewId, edit, options);
  }

  /** Changes a custom voice's display name, description or tags; returns the voice as it now is. */
  async update(voiceId: string, edit: VoiceEdit, options: VoiceCallOptions = {}): Promise<Voice> {
    const { updateVoice } = await import('../voices/manage.js');
    return updateVoice(this.client, voiceId, edit, options);
  }

  /** Deletes a custom voice. */
  async delete(voiceId: string, options: VoiceCallOptions = {}): Promise<void> {
    const { deleteVoice } = await import('../voices/manage.js');
    return deleteVoice(this.client, voiceId, options);
  }
}
