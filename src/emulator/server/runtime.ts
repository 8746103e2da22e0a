// What one running emulator shares between its HTTP handler, its WebSocket upgrades and its
// shutdown: resolved options, fault rules, the request log, the speech engine, the closing
// signal, and the per-request context handed to every endpoint handler.
import { setMaxListeners } from 'node:events';
import type { ServerResponse } from 'node:http';
import { createEncoder } from '../codecs/encoders.js';
import { type FaultAction, FaultRegistry } from '../faults/rules.js';
import { createSpeechEngine, espeakAvailable, type SpeechEngine } from '../tts/speech.js';
import { PronunciationStore } from '../pronunciations/store.js';
import { CloneRateLimiter } from '../voices/guards.js';
import { VoiceStore } from '../voices/store.js';
import { JobStore } from '../jobs/store.js';
import type { EmulatorContext, EmulatorLogger } from './context.js';
import { EmulatorError, GRPC_RESOURCE_EXHAUSTED } from './grpc.js';
import { type EmulatorOptions, type ResolvedEmulatorOptions, resolveEmulatorOptions } from './options.js';
import { type RecordedRequest, RequestRecorder } from './recorder.js';

export interface ServerRuntime {
  readonly options: ResolvedEmulatorOptions;
  readonly faults: FaultRegistry;
  readonly recorder: RequestRecorder;
  readonly speech: SpeechEngine;
  readonly log: EmulatorLogger;
  /** Aborted when the emulator starts closing. */
  readonly closing: AbortSignal;
  /** Resolves after `ms` (unref'd timer), or rejects early when the emulator closes. */
  delay(ms: number): Promise<void>;
  /** The context a handler gets for one request or handshake. */
  contextFor(record: RecordedRequest, matchedFaults: readonly FaultAction[]): EmulatorContext;
  /** Runs a synthesis handler under the concurrency limit (429 / RESOURCE_EXHAUSTED past it). */
  limited(response: ServerResponse, run: () => Promise<void>): Promise<void>;
  /** Starts closing: aborts `closing`. */
  beginClose(): void;
  /** Runs the cleanups handlers registered with `onClose`, once. */
  runCleanups(): void;
}

export function createRuntime(input: EmulatorOptions): ServerRuntime {
  const options = resolveEmulatorOptions(input, input.engine === 'synthetic' ? false : espeakAvailable());
  const faults = new FaultRegistry();
  for (const rule of input.faults ?? []) faults.add(rule);
  const recorder = new RequestRecorder();
  const voices = new VoiceStore();
  const pronunciations = new PronunciationStore();
  const cloneLimiter = new CloneRateLimiter();
  const jobs = new JobStore();
  // The engine also renders design previews, which synthesis requests cannot name.
  const speech = createSpeechEngine(options.engine, voices.previewAwareCatalogue());
  const closingController = new AbortController();
  const closing = closingController.signal;
  // Every open session and pending latency timer listens for closing; hundreds at once are normal.
  setMaxListeners(0, closing);
  const cleanups: (() => void)[] = [];
  const log = createLogger(options, (input.env ?? process.env).INWORLD_EMULATOR_DEBUG === '1');
  const delay = (ms: number): Promise<void> => abortableDelay(ms, closing);
  let activeSynthesis = 0;

  return {
    options,
    faults,
    recorder,
    speech,
    log,
    closing,
    delay,
    contextFor: (record, matchedFaults) => ({
      options,
      faults,
      log,
      speech,
      createEncoder,
      voices,
      pronunciations,
      voiceStore: voices,
      cloneLimiter,
      recorder,
      jobs,
      record,
      matchedFaults,
      closing,
      onClose: (cleanup) => cleanups.push(cleanup),
      delay,
    }),
    limited: async (response, run) => {
      if (activeSynthesis >= options.maxConcurrentSynthesis) {
        throw new EmulatorError(GRPC_RESOURCE_EXHAUSTED, `Too many concurrent requests: the limit is ${options.maxConcurrentSynthesis}`);
      }
      activeSynthesis += 1;
      // Released when the response is over, whichever way it ends.
      response.once('close', () => (activeSynthesis -= 1));
      await run();
    },
    beginClose: () => closingController.abort(),
    runCleanups: () => {
      for (const cleanup of cleanups.splice(0)) {
        try {
          cleanup();
        } catch (error) {
          log.debug(`cleanup failed: ${String(error)}`);
        }
      }
    },
  };
}

function createLogger(options: ResolvedEmulatorOptions, debugEnabled: boolean): EmulatorLogger {
  return {
    info: (message) => {
      if (!options.quiet) options.logSink(`[emulator] ${message}`);
    },
    debug: (message) => {
      if (debugEnabled) options.logSink(`[emulator] ${message}`);
    },
  };
}

function abortableDelay(ms: number, closing: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (closing.aborted) return reject(new Error('emulator closing'));
    if (!(ms > 0)) return resolve();
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(new Error('emulator closing'));
    };
    const timer = setTimeout(() => {
      closing.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    timer.unref();
    closing.addEventListener('abort', onAbort, { once: true });
  });
}
