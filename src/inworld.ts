// The library's front door: one object that owns a resolved configuration and hands out the API
// resources (`tts`, `stt`, `voices`, `pronunciations`). Importing it loads no network module; the WebSocket pool is
// created on the first `tts.stream()` and closed by `close()`.
import { InworldClient } from './core/client.js';
import type { Logger } from './core/log.js';
import type { TtsPoolOptions } from './tts/pool.js';
import { TextToSpeech } from './resources/tts.js';
import { SpeechToText } from './resources/stt.js';
import { Voices } from './resources/voices.js';
import { Pronunciations } from './resources/pronunciations.js';
import { DEFAULT_WORKSPACE, WORKSPACE_ENV_VAR } from './pronunciations/protocol.js';

/**
 * Options for {@link Inworld}. Every connection setting falls back to the environment
 * (`INWORLD_API_KEY`, `INWORLD_BASE_URL`, `INWORLD_WS_URL`), then to the config file, then to
 * the default.
 */
export interface InworldOptions {
  /** The "Basic (Base64)" credential from the Inworld Portal, sent as `Authorization: Basic <key>`. */
  apiKey?: string;
  /** REST base URL, e.g. `https://api.inworld.ai/` or an emulator's URL. */
  baseUrl?: string;
  /** WebSocket base URL; derived from `baseUrl` (https→wss, http→ws) when absent. */
  wsUrl?: string;
  /** Environment to read `INWORLD_*` from; defaults to `process.env`. Pass `{}` to ignore it. */
  env?: Record<string, string | undefined>;
  /** Config file to read; defaults to `~/.config/inworld/config.json`. Pass `null` to skip it. */
  configPath?: string | null;
  /** Deadline for connecting and for the first byte of each request, in ms. Default 30 000. */
  timeoutMs?: number;
  /** Retries after the first attempt for retryable failures. Default 3. */
  maxRetries?: number;
  /** Receives debug lines (requests, retries, fallbacks). Default: silent. */
  logger?: Logger;
  /** Settings for the WebSocket connection pool behind `tts.stream()`. */
  pool?: TtsPoolOptions;
  /** Workspace of `pronunciations` (dictionary ids are resolved in it); else INWORLD_WORKSPACE_ID, else `default`. */
  workspace?: string;
}

/**
 * A client for Inworld's speech APIs.
 *
 * ```ts
 * const inworld = new Inworld({ apiKey: process.env.INWORLD_API_KEY });
 * for await (const chunk of inworld.tts.synthesize({ text: 'Hello!' })) process.stdout.write(chunk.audio ?? '');
 * await inworld.close();
 * ```
 */
export class Inworld implements AsyncDisposable {
  /** Text-to-speech: HTTP streaming, one-shot synthesis, and WebSocket streams from a pool. */
  readonly tts: TextToSpeech;
  /** Speech-to-text: streaming transcription over a WebSocket, and one-shot clips over HTTP. */
  readonly stt: SpeechToText;
  /** The voice catalogue. */
  readonly voices: Voices;
  /** Named pronunciation dictionaries (TTS-2 requests can name up to three). */
  readonly pronunciations: Pronunciations;

  /**
   * Resolves the key and endpoints once; nothing is sent until the first call.
   *
   * @throws {@link ValidationError} when no API key is found or a URL is malformed.
   */
  constructor(options: InworldOptions = {}) {
    const client = new InworldClient(options);
    this.tts = new TextToSpeech(client, options.pool);
    this.stt = new SpeechToText(client);
    this.voices = new Voices(client);
    const env = options.env ?? process.env;
    this.pronunciations = new Pronunciations(client, options.workspace?.trim() || env[WORKSPACE_ENV_VAR]?.trim() || DEFAULT_WORKSPACE);
  }

  /**
   * Closes the WebSocket pool (if one was opened), failing streams still open on it. HTTP calls
   * keep working, and a later `tts.stream()` opens a fresh pool. Idempotent.
   */
  async close(): Promise<void> {
    await this.tts.close();
  }

  /** Lets `await using inworld = new Inworld()` close the pool at the end of the scope. */
  async [Symbol.asyncDispose](): Promise<void> {
    await this.close();
  }
}
