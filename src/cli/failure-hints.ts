// What the exit path adds to an API failure that the error itself cannot know: where a refused
// key came from (the source, never the key), and what to do when the service stayed unavailable
// through every retry. The command's context records both when it builds the client; the source is
// the one the client's resolver reports.
import type { SettingSource } from '../core/config.js';
import { APIError, AuthenticationError, NotFoundError, PermissionDeniedError, RateLimitError, ServerError } from '../core/errors.js';

const PORTAL_KEY = 'the "Basic (Base64)" credential from the Inworld Portal (https://platform.inworld.ai/)';

let keySource: SettingSource | undefined;
let retries: number | undefined;

export function noteConnection(source: SettingSource, maxRetries: number): void {
  keySource = source;
  retries = maxRetries;
}

/** The hint to print instead of the error's own, or undefined to keep that. */
export function contextualHint(error: unknown): string | undefined {
  if (error instanceof AuthenticationError && keySource) return refusedKeyHint(keySource);
  if (error instanceof ServerError && error.retryable && !error.hint && retries !== undefined) return unavailableHint(retries);
  return undefined;
}

function refusedKeyHint(source: SettingSource): string | undefined {
  switch (source.kind) {
    case 'option':
      return `The key came from --api-key: pass ${PORTAL_KEY}, as is`;
    case 'environment':
      return `The key came from the environment variable ${source.variable}: set it to ${PORTAL_KEY}, or unset it and run \`inworld login\``;
    case 'config-file':
      return `The key came from the config file ${source.path}: run \`inworld login\` to replace it with ${PORTAL_KEY}`;
    case 'default':
      return undefined;
  }
}

function unavailableHint(maxRetries: number): string {
  const tried = maxRetries === 0 ? 'it was not retried (--retries 0)' : `it still failed after ${maxRetries} ${maxRetries === 1 ? 'retry' : 'retries'}`;
  return `The service is unavailable right now and ${tried}: try again in a few minutes, or allow more attempts with --retries`;
}

/** What a voice command was doing, for the hint after a refusal. */
export type VoiceAction = 'list' | 'show' | 'clone' | 'design' | 'publish' | 'update' | 'delete';

const API_KEYS_PAGE = 'https://platform.inworld.ai/api-keys';

/**
 * The same error with a hint saying what to do when the Voice API refused a voice command (403,
 * 404, 409, 429); any other error is returned untouched.
 */
export function withVoiceRefusalHint(error: unknown, action: VoiceAction, voiceId?: string): unknown {
  if (!(error instanceof APIError)) return error;
  let hint: string | undefined;
  if (error instanceof PermissionDeniedError && action === 'list') {
    hint = `This key may not use the Voice API (it lacks the Voices scope): turn that on for the key at ${API_KEYS_PAGE}, or list with --legacy`;
  } else if (error instanceof PermissionDeniedError) {
    hint = `This key may not ${action} voices: it lacks the Voices scope (Voice API write permission). Turn it on for the key at ${API_KEYS_PAGE}, or use a key that has it`;
  } else if (error instanceof NotFoundError) {
    hint = action === 'publish'
      ? `No preview "${voiceId}": previews expire soon after they are designed unless published; run \`inworld voices design\` again`
      : `The server has no voice "${voiceId ?? ''}": see your voices with \`inworld voices --source custom\``;
  } else if (error.status === 409) {
    hint = action === 'publish'
      ? `"${voiceId}" is already published: find it with \`inworld voices --source custom\``
      : 'The voice was changed meanwhile: look at it again with `inworld voices show`, then retry';
  } else if (error instanceof RateLimitError) {
    const wait = error.retryAfterMs !== undefined ? `wait ${Math.ceil(error.retryAfterMs / 1000)} s` : 'wait a minute';
    hint = action === 'clone' ? `Voice clones are limited (5 a minute): ${wait} and run it again` : `Too many requests: ${wait} and run it again`;
  }
  return hint ? Object.assign(error, { hint }) : error;
}
