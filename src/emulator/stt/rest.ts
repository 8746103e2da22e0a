// The emulated synchronous STT endpoint, POST /stt/v1/transcribe: one JSON
// request `{transcribeConfig, audioData:{content}}` with the whole clip, one JSON answer
// `{transcription, voiceProfile?, usage}`. The clip goes through the same VAD and turn detector
// as the WebSocket; every turn with speech takes the next text of the script (script.ts),
// and the transcript is those texts joined. The emulator does not recognize speech.
//
// Audio: LINEAR16 as raw s16le (sampleRateHertz required) or as a WAV file; AUTO_DETECT for WAV.
// The clip may be up to MAX_SYNC_AUDIO_BYTES (the API's ~16 MB), larger is INVALID_ARGUMENT.

import type { IncomingMessage, ServerResponse } from 'node:http';
import type { EmulatorContext } from '../server/context.js';
import { EmulatorError, GRPC_INTERNAL, invalidArgument } from '../server/grpc.js';
import { field, parseSttConfig, SYNC_MODELS } from './config.js';
import { emulatedVoiceProfile, spreadWords, type EmulatedWord } from './profile.js';
import { scriptFor } from './script.js';
import { DEFAULT_MAX_TURN_SILENCE_MS, TurnDetector, type TurnEvent } from './turns.js';
import { EnergyVad, vadThresholdToDbfs } from './vad.js';
import { isWav, readPcm16Wav, WavFormatError, type Pcm16Wav } from '../codecs/wav.js';

/** The service's sync endpoint takes clips up to about 16 MB. */
export const MAX_SYNC_AUDIO_BYTES = 16 * 1024 * 1024;
const AUTO_TURN_VAD_THRESHOLD = 0.5;

type Json = Record<string, unknown>;

export function handleSttTranscribe(request: IncomingMessage, response: ServerResponse, body: Buffer, context: EmulatorContext): void {
  try {
    if (request.method !== 'POST') throw new EmulatorError(12, `${request.method} is not supported; use POST`, 405);
    const answer = transcribe(body, context);
    send(response, 200, answer);
  } catch (error) {
    const status = error instanceof EmulatorError ? error : new EmulatorError(GRPC_INTERNAL, String(error));
    send(response, status.httpStatus, status.toStatus());
  }
}

function transcribe(body: Buffer, context: EmulatorContext): Json {
  let json: unknown;
  try {
    json = JSON.parse(body.toString('utf8'));
  } catch {
    throw invalidArgument('request body is not valid JSON');
  }
  if (typeof json !== 'object' || json === null) throw invalidArgument('request body must be a JSON object');
  const rawConfig = field(json as Json, 'transcribeConfig');
  if (rawConfig === undefined) throw invalidArgument('transcribeConfig is required');
  const audioData = field(json as Json, 'audioData');
  const content = audioData && typeof audioData === 'object' ? (audioData as Json).content : undefined;
  if (typeof content !== 'string' || content.length === 0) throw invalidArgument('audioData.content (base64 audio) is required');
  const audio = Buffer.from(content, 'base64');
  if (audio.length > MAX_SYNC_AUDIO_BYTES) {
    throw invalidArgument(`audio is ${audio.length} bytes; the sync endpoint takes up to ${MAX_SYNC_AUDIO_BYTES} (use streaming or :async for longer clips)`);
  }
  const wav = isWav(audio);
  const config = parseSttConfig(rawConfig, {
    encodings: ['LINEAR16', 'AUTO_DETECT', 'AUDIO_ENCODING_UNSPECIFIED'],
    models: SYNC_MODELS,
    requireSampleRate: !wav,
  });
  if (config.audioEncoding !== 'LINEAR16' && !wav) throw invalidArgument('the emulator can auto-detect WAV only; send raw PCM as LINEAR16');
  const parsed = wav ? readUploadedWav(audio) : { sampleRateHertz: config.sampleRateHertz, channels: config.numberOfChannels, pcm: audio };

  const vadThreshold = config.vadThreshold === 0 ? AUTO_TURN_VAD_THRESHOLD : config.vadThreshold;
  const thresholdDbfs = vadThresholdToDbfs(vadThreshold);
  const vad = new EnergyVad(parsed.sampleRateHertz, parsed.channels, thresholdDbfs);
  const turns = new TurnDetector({
    manual: false,
    minEndOfTurnSilenceMs: config.minEndOfTurnSilenceMs,
    maxTurnSilenceMs: config.maxTurnSilenceMs ?? DEFAULT_MAX_TURN_SILENCE_MS,
    endOfTurnConfidenceThreshold: config.endOfTurnConfidenceThreshold,
    thresholdDbfs,
  });
  const events: TurnEvent[] = [...turns.push(vad.push(parsed.pcm)), ...turns.flush()];
  const optionTurns = context.options.sttScript;
  const script = scriptFor(context.matchedFaults, context.recorder, optionTurns, process.env);
  const texts: string[] = [];
  const words: EmulatedWord[] = [];
  for (const event of events) {
    if (event.kind !== 'endOfTurn' || !event.hadSpeech) continue;
    const text = script.peek();
    script.advance();
    texts.push(text);
    words.push(...spreadWords(text, event.startMs, event.endMs));
  }
  const answer: Json = {
    transcription: { transcript: texts.join(' '), isFinal: true, wordTimestamps: words },
    usage: { transcribedAudioMs: Math.round(vad.receivedMs), modelId: config.modelId },
  };
  if (config.voiceProfile.enabled && texts.length > 0) answer.voiceProfile = emulatedVoiceProfile(config.voiceProfile.topN, 0);
  context.log.debug(`stt transcribe: ${Math.round(vad.receivedMs)} ms of audio, ${texts.length} turns`);
  return answer;
}

function readUploadedWav(audio: Buffer): Pcm16Wav {
  try {
    return readPcm16Wav(audio);
  } catch (error) {
    if (error instanceof WavFormatError) throw invalidArgument(error.message);
    throw error;
  }
}

function send(response: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  response.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
  response.end(text);
}
