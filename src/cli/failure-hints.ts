// What the exit path adds to an API failure that the error itself cannot know: where a refused
// key came from (the source, never the key), and what to do when the service stayed unavailable
// through every retry. The command's context records both when it builds the client; the source is
// the one the client's resolver reports.
import type { SettingSource } from '../core/config.js';
import { AuthenticationError, ServerError } from '../core/errors.js';

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
