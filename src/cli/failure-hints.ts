// What the exit path adds to an API failure that the error itself cannot know: where a refused
// key came from (the source, never the key), and what to do when the service stayed unavailable
// through every retry. The command's context records both when it builds the client.
import { AuthenticationError, ServerError } from '../core/errors.js';

export type KeySource = { kind: 'flag' } | { kind: 'environment' } | { kind: 'config-file'; path: string };

const PORTAL_KEY = 'the "Basic (Base64)" credential from the Inworld Portal (https://platform.inworld.ai/)';

let keySource: KeySource | undefined;
let retries: number | undefined;

export function noteConnection(source: KeySource, maxRetries: number): void {
  keySource = source;
  retries = maxRetries;
}

/** The hint to print instead of the error's own, or undefined to keep that. */
export function contextualHint(error: unknown): string | undefined {
  if (error instanceof AuthenticationError && keySource) return refusedKeyHint(keySource);
  if (error instanceof ServerError && error.retryable && !error.hint && retries !== undefined) return unavailableHint(retries);
  return undefined;
}

function refusedKeyHint(source: KeySource): string {
  switch (source.kind) {
    case 'flag':
      return `The key came from --api-key: pass ${PORTAL_KEY}, as is`;
    case 'environment':
      return `The key came from the environment variable INWORLD_API_KEY: set it to ${PORTAL_KEY}, or unset it and run \`inworld login\``;
    case 'config-file':
      return `The key came from the config file ${source.path}: run \`inworld login\` to replace it with ${PORTAL_KEY}`;
  }
}

function unavailableHint(maxRetries: number): string {
  const tried = maxRetries === 0 ? 'it was not retried (--retries 0)' : `it still failed after ${maxRetries} ${maxRetries === 1 ? 'retry' : 'retries'}`;
  return `The service is unavailable right now and ${tried}: try again in a few minutes, or allow more attempts with --retries`;
}
