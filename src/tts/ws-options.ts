// Options of one WebSocket TTS stream: the shared synthesis options (validated exactly as HTTP
// synthesis validates them, with the WebSocket's encoding list) plus the WebSocket-only
// buffering controls, turned into the `create` message body.
import { ValidationError } from '../core/errors.js';
import { buildSynthesisConfig, validateSynthesisOptions, type SynthesisOptions } from './options.js';
import type { WsCreateConfig } from './ws-protocol.js';

/** The documented maximum for bufferCharThreshold (newer guide: default 1000, up to 2000). */
export const MAX_BUFFER_CHAR_THRESHOLD = 2000;

/** Synthesis settings for a WebSocket stream: those of {@link SynthesisOptions} without the text, plus buffering. */
export interface TtsStreamSynthesisOptions extends Omit<SynthesisOptions, 'text'> {
  /** Let the server decide when to generate (tuned for whole sentences). Default: server default (off). */
  autoMode?: boolean;
  /** Buffered characters that start generation without a flush, 1..2000. */
  bufferCharThreshold?: number;
  /** Longest time text waits in the server's buffer before generation starts, ms. */
  maxBufferDelayMs?: number;
}

/** Validates (ValidationError with a one-line fix) and builds the `create` body. */
export function buildWsCreateConfig(options: TtsStreamSynthesisOptions = {}): WsCreateConfig {
  const { autoMode, bufferCharThreshold, maxBufferDelayMs, ...synthesis } = options;
  validateSynthesisOptions({ ...synthesis, text: '' }, { transport: 'ws', allowEmptyText: true });
  if (autoMode !== undefined && typeof autoMode !== 'boolean') throw new ValidationError('autoMode must be true or false.');
  if (
    bufferCharThreshold !== undefined &&
    (!Number.isInteger(bufferCharThreshold) || bufferCharThreshold < 1 || bufferCharThreshold > MAX_BUFFER_CHAR_THRESHOLD)
  ) {
    throw new ValidationError(
      `Buffer threshold must be a whole number of characters from 1 to ${MAX_BUFFER_CHAR_THRESHOLD} (got ${String(bufferCharThreshold)}); fix --buffer-chars.`,
    );
  }
  if (maxBufferDelayMs !== undefined && (!Number.isInteger(maxBufferDelayMs) || maxBufferDelayMs < 0)) {
    throw new ValidationError(`Max buffer delay must be a whole number of ms, 0 or more (got ${String(maxBufferDelayMs)}); fix --max-buffer-delay.`);
  }
  const config: WsCreateConfig = { ...buildSynthesisConfig(synthesis) };
  if (autoMode !== undefined) config.autoMode = autoMode;
  if (bufferCharThreshold !== undefined) config.bufferCharThreshold = bufferCharThreshold;
  if (maxBufferDelayMs !== undefined) config.maxBufferDelayMs = maxBufferDelayMs;
  return config;
}
