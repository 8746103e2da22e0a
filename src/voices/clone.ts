// Cloning a voice from recordings: `POST /voices/v1/voices:clone`. A clone creates a voice, so it
// is never sent twice; and it can take minutes, so a client may give up while the service goes on
// and finishes. When the answer does not come, we look the display name up in the voice list and
// say whether such a voice now exists (CloneTimeoutError), so nobody clones twice by accident.
import type { InworldClient } from '../core/client.js';
import { ConnectionError, ServerError, TimeoutError, ValidationError, GrpcCode } from '../core/errors.js';
import { listVoices } from './list.js';
import { voiceEditBody } from './manage.js';
import { CLONE_PATH, parseSampleValidations, requireVoice, toVoiceApiLangCode } from './protocol.js';
import { objectOf, voiceRequest } from './request.js';
import type { CloneRequest, CloneResult, Voice, VoiceCallOptions } from './types.js';

/** How long a clone may take before we stop waiting: Inworld's SDK says up to five minutes. */
export const CLONE_TIMEOUT_MS = 300_000;
/** The largest sample the service takes (its `audioData` limit). */
export const MAX_SAMPLE_BYTES = 4 * 1024 * 1024;
/** The language sent when the caller names none (what Inworld's SDK sends). */
export const DEFAULT_CLONE_LANG_CODE = 'EN_US';

/**
 * A clone got no answer (the client's deadline passed, the connection dropped, or the gateway timed
 * out) after its request was sent, so it may or may not have been created. `matches` holds the
 * voices with the same display name found right after; empty means none exists yet.
 */
export class CloneTimeoutError extends TimeoutError {
  override readonly code: string = 'clone_outcome_unknown';
  /** The display name the clone asked for. */
  readonly displayName: string;
  /** Custom voices with that display name found after the failure. */
  readonly matches: Voice[];
  /** True when the voice list could not be read either, so nothing is known. */
  readonly lookupFailed: boolean;

  /** @internal Built by the clone call. */
  constructor(displayName: string, cause: unknown, matches: Voice[], lookupFailed: boolean) {
    super(describeOutcome(displayName, cause, matches, lookupFailed), { cause, retryable: false });
    this.displayName = displayName;
    this.matches = matches;
    this.lookupFailed = lookupFailed;
  }
}

function describeOutcome(displayName: string, cause: unknown, matches: Voice[], lookupFailed: boolean): string {
  const why = cause instanceof Error ? cause.message.replace(/\.$/, '') : String(cause);
  const head = `The clone of "${displayName}" got no answer (${why})`;
  if (lookupFailed) return `${head}, and the voice list could not be read to see whether it was created: run \`inworld voices --source custom\` before cloning again`;
  if (matches.length === 0) {
    return `${head}, and no voice named "${displayName}" exists yet; the service may still finish it: look again with \`inworld voices --source custom\` in a few minutes before cloning again`;
  }
  const ids = matches.map((voice) => voice.id).join(', ');
  return `${head}, but a voice named "${displayName}" exists (${ids}): it was probably created; check it with \`inworld voices show ${matches[0]!.id}\` instead of cloning again`;
}

/** The failures after which the clone may have happened all the same. */
function outcomeUnknown(error: unknown): boolean {
  if (error instanceof ConnectionError) return !error.requestNotSent;
  return error instanceof ServerError && (error.status === 504 || error.grpcCode === GrpcCode.DEADLINE_EXCEEDED);
}

/** The request body, checked: a name, at least one sample, each within the size limit. */
export function cloneBody(request: CloneRequest): Record<string, unknown> {
  const edit = voiceEditBody({ displayName: request.displayName ?? '', description: request.description, tags: request.tags });
  if (!Array.isArray(request.samples) || request.samples.length === 0) {
    throw new ValidationError('A clone needs at least one audio sample (a WAV or MP3 file of 3 to 15 seconds).');
  }
  const voiceSamples = request.samples.map((sample, index) => {
    if (!(sample.audio instanceof Uint8Array) || sample.audio.length === 0) throw new ValidationError(`Sample ${index + 1} holds no audio.`);
    if (sample.audio.length > MAX_SAMPLE_BYTES) {
      throw new ValidationError(`Sample ${index + 1} is ${(sample.audio.length / 1048576).toFixed(1)} MB, over the 4 MB limit; trim it or send it as MP3.`);
    }
    const wire: Record<string, unknown> = { audioData: Buffer.from(sample.audio).toString('base64') };
    if (sample.transcription !== undefined && sample.transcription.trim() !== '') wire.transcription = sample.transcription.trim();
    return wire;
  });
  const body: Record<string, unknown> = {
    displayName: edit.displayName,
    langCode: request.langCode ? toVoiceApiLangCode(request.langCode) : DEFAULT_CLONE_LANG_CODE,
    voiceSamples,
  };
  if (edit.description !== undefined && edit.description !== '') body.description = edit.description;
  if (Array.isArray(edit.tags) && edit.tags.length > 0) body.tags = edit.tags;
  if (request.removeBackgroundNoise) body.audioProcessingConfig = { removeBackgroundNoise: true };
  return body;
}

/** Looks for custom voices named `displayName`; undefined when the list cannot be read. */
async function findByName(client: InworldClient, displayName: string, signal: AbortSignal | undefined): Promise<Voice[] | undefined> {
  try {
    const voices = await listVoices(client, { source: 'custom', maxRetries: 1, signal });
    return voices.filter((voice) => voice.displayName === displayName);
  } catch {
    return undefined;
  }
}

/** Clones a voice; on an answer that never came, throws CloneTimeoutError saying what exists. */
export async function cloneVoice(client: InworldClient, request: CloneRequest, options: VoiceCallOptions = {}): Promise<CloneResult> {
  const body = cloneBody(request);
  const displayName = body.displayName as string;
  let response;
  try {
    response = await voiceRequest(client, { method: 'POST', path: CLONE_PATH, body, idempotent: false, defaultTimeoutMs: CLONE_TIMEOUT_MS }, options);
  } catch (error) {
    if (!outcomeUnknown(error) || options.signal?.aborted) throw error;
    client.logger.debug(`voices: the clone got no answer (${(error as Error).message}); looking "${displayName}" up`);
    const matches = await findByName(client, displayName, options.signal);
    throw new CloneTimeoutError(displayName, error, matches ?? [], matches === undefined);
  }
  const data = objectOf(response.data);
  return {
    voice: requireVoice(data.voice, response.requestId, 'clone'),
    samples: parseSampleValidations(data.audioSamplesValidated),
  };
}
