// The emulator's public entry point: a local Inworld-compatible HTTP + WebSocket server
// (TTS, STT, voices) with fault injection, used by `inworld emulator`, `--emulator` and the tests.
//
//   const emulator = await startEmulator({ engine: 'synthetic' });
//   emulator.url      // http://127.0.0.1:PORT/
//   emulator.faults.add('status=503,times=2,path=/tts/v1/voice:stream');
//   emulator.requests.find('/tts/v1/voice:stream')[0].headers['x-request-id'];
//   await emulator.close();
import { startEmulatorServer, type RunningEmulator } from './server/server.js';
import type { EmulatorOptions } from './server/options.js';

export type { RunningEmulator } from './server/server.js';
export type { EmulatorOptions, EmulatorTextLimits, ResolvedEmulatorOptions, SpeechEngineName } from './server/options.js';
export { ENGINE_ENV_VAR } from './server/options.js';
export type { FaultAction, FaultRule, FaultRuleInput, HttpFaultAction, WsFaultAction, FaultTarget, StallPoint } from './faults/rules.js';
export { FaultRegistry, FaultSpecError, parseFaultSpec, parseFaultSpecs } from './faults/rules.js';
export type { RecordedRequest } from './server/recorder.js';
export { RequestRecorder } from './server/recorder.js';
export type { EmulatorContext, EmulatorLogger } from './server/context.js';
export type { AudioEncoder, EncoderOptions, EmulatorAudioEncoding } from './codecs/encoders.js';
export { createEncoder, encodeAll, EMULATOR_AUDIO_ENCODINGS } from './codecs/encoders.js';
export type { RenderedSpeech, SpeechEngine, SpeechRenderOptions, TimedText } from './tts/speech.js';
export { createSpeechEngine, espeakAvailable } from './tts/speech.js';
export { SYSTEM_VOICES } from './voices/catalogue.js';
export type { EmulatorVoice } from './voices/types.js';
export {
  TTS_PATH, TTS_STREAM_PATH, TTS_WS_PATH, STT_PATH, STT_WS_PATH, LEGACY_VOICES_PATH, VOICES_PATH,
} from './server/routes.js';

/** Starts the emulator on `options.port` (0 = any free port) of `options.host` (127.0.0.1). */
export function startEmulator(options: EmulatorOptions = {}): Promise<RunningEmulator> {
  return startEmulatorServer(options);
}
