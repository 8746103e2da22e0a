// POST /tts/v1/voice (one JSON object) and POST /tts/v1/voice:stream (NDJSON lines of `{result}`).
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { EmulatorContext } from '../server/context.js';
import { FaultWriter } from '../faults/http-writer.js';
import { findAction } from '../faults/rules.js';
import { JSON_CONTENT_TYPE } from '../server/http-io.js';
import type { RenderedSpeech, TimedText } from './speech.js';
import { buildTimestampInfo, modelHasPhoneticDetails, tokenTimes } from './timestamps.js';
import { parseTtsHttpRequest, TtsHttpRequest } from './request.js';
import { entriesFor, renderPronounced } from '../pronunciations/synthesis.js';
import { designVoice } from './voice-variation.js';

/** How many times slower than real time a `slow` fault paces the stream when it names no factor. */
const DEFAULT_SLOW_FACTOR = 2;

function usage(count: number, modelId: string): { processedCharactersCount: number; modelId: string } {
  return { processedCharactersCount: count, modelId };
}

async function render(request: TtsHttpRequest, ctx: EmulatorContext): Promise<RenderedSpeech> {
  const options = {
    sampleRateHertz: request.sampleRateHertz,
    speakingRate: request.speakingRate,
    voiceId: request.voiceId,
    ...(request.language ? { language: request.language } : {}),
    ...(request.designPrompt !== undefined ? { designedVoice: designVoice(request.designPrompt) } : {}),
    ...(request.seed !== undefined ? { seed: request.seed } : {}),
  };
  return renderPronounced(ctx.speech, request.text, options, entriesFor(ctx.pronunciations, request.pronunciationDictionaries, request.language));
}

function timedUnits(request: TtsHttpRequest, speech: RenderedSpeech, ctx: EmulatorContext): TimedText[] {
  if (request.timestampType === 'CHARACTER') return speech.characters;
  if (request.timestampType !== 'WORD') return [];
  return ctx.options.wordTimestampStyle === 'tokens' ? tokenTimes(speech.characters) : speech.words;
}

/** The whole answer to one request: every byte of audio, and its timestampInfo when asked for (also what a job's files hold). */
export async function synthesizeWhole(request: TtsHttpRequest, ctx: EmulatorContext): Promise<{ audio: Buffer; timestampInfo?: unknown }> {
  const speech = await render(request, ctx);
  const encoder = ctx.createEncoder({ encoding: request.encoding, sampleRateHertz: request.sampleRateHertz, bitRate: request.bitRate, totalSamples: speech.samples.length });
  const audio = Buffer.concat([encoder.write(speech.samples), encoder.end()]);
  const timestampInfo = buildTimestampInfo(request.timestampType, timedUnits(request, speech, ctx), 0, modelHasPhoneticDetails(request.modelId));
  return timestampInfo ? { audio, timestampInfo } : { audio };
}

export async function handleSynthesize(_request: IncomingMessage, response: ServerResponse, body: unknown, ctx: EmulatorContext): Promise<void> {
  const request = parseTtsHttpRequest(body, {
    transport: 'http',
    voices: ctx.voices,
    unknownVoice: ctx.options.unknownVoice,
    pronunciations: ctx.pronunciations,
    maxChars: ctx.options.limits.synthesizeChars,
  });
  const whole = await synthesizeWhole(request, ctx);
  await ctx.delay(ctx.options.generationLatencyMs);
  const result: Record<string, unknown> = {
    audioContent: whole.audio.toString('base64'),
    usage: usage([...request.text].length, request.modelId),
  };
  if (whole.timestampInfo) result.timestampInfo = whole.timestampInfo;
  response.writeHead(200, { 'content-type': JSON_CONTENT_TYPE });
  await new FaultWriter(response, ctx.matchedFaults, ctx).writeBody(result);
}

export async function handleSynthesizeStream(_request: IncomingMessage, response: ServerResponse, body: unknown, ctx: EmulatorContext): Promise<void> {
  const request = parseTtsHttpRequest(body, {
    transport: 'http',
    voices: ctx.voices,
    unknownVoice: ctx.options.unknownVoice,
    pronunciations: ctx.pronunciations,
    maxChars: ctx.options.limits.streamChars,
  });
  const speech = await render(request, ctx);
  const totalChars = [...request.text].length;
  const rate = request.sampleRateHertz;
  const samples = speech.samples;
  const chunkSamples = Math.max(2, Math.round((ctx.options.streamChunkMs / 1000) * rate));
  const units = timedUnits(request, speech, ctx);
  const sync = request.timestampTransport === 'SYNC';
  const phonetic = modelHasPhoneticDetails(request.modelId);
  const slow = findAction(ctx.matchedFaults, 'slow');
  // Seconds of wall time per second of audio: 0 = as fast as possible.
  const pace = slow ? Math.max(1, slow.factor ?? DEFAULT_SLOW_FACTOR) : ctx.options.realtime ? 1 : 0;

  response.writeHead(200, { 'content-type': JSON_CONTENT_TYPE });
  response.flushHeaders();
  const writer = new FaultWriter(response, ctx.matchedFaults, ctx);
  await ctx.delay(ctx.options.generationLatencyMs).catch(() => {});

  const encoder = ctx.createEncoder({ encoding: request.encoding, sampleRateHertz: rate, bitRate: request.bitRate, totalSamples: samples.length });
  const startedMs = Date.now();
  let unitIndex = 0;
  let pendingUnits: TimedText[] = [];
  let sentSamples = 0;
  for (let offset = 0; offset < samples.length || offset === 0; offset += chunkSamples) {
    const last = offset + chunkSamples >= samples.length;
    const slice = samples.subarray(offset, Math.min(samples.length, offset + chunkSamples));
    const audio = last ? Buffer.concat([encoder.write(slice), encoder.end()]) : encoder.write(slice);
    sentSamples += slice.length;
    // Units whose audio starts inside what has been encoded so far travel with this chunk (SYNC).
    const chunkEndSeconds = last ? Infinity : sentSamples / rate;
    while (unitIndex < units.length && units[unitIndex]!.startSeconds < chunkEndSeconds) pendingUnits.push(units[unitIndex++]!);
    if (audio.length === 0 && !last) continue; // encoder still buffering (MP3/FLAC/Opus frames)
    if (pace > 0) {
      const dueMs = startedMs + (sentSamples / rate) * 1000 * pace;
      const waitMs = dueMs - Date.now();
      if (waitMs > 0) await ctx.delay(waitMs).catch(() => {});
    }
    const result: Record<string, unknown> = {};
    if (audio.length > 0) {
      result.audioContent = audio.toString('base64');
      result.usage = usage(last ? totalChars : Math.round((totalChars * sentSamples) / Math.max(1, samples.length)), request.modelId);
    }
    if (sync) {
      const info = buildTimestampInfo(request.timestampType, pendingUnits, 0, phonetic);
      if (info) result.timestampInfo = info;
      pendingUnits = [];
    }
    if (Object.keys(result).length > 0 && !(await writer.writeLine({ result }))) return;
    if (last) break;
  }
  if (!sync) {
    // ASYNC: the timestamps come in timestamp-only trailing line(s) after all the audio.
    const info = buildTimestampInfo(request.timestampType, units, 0, phonetic);
    if (info && !(await writer.writeLine({ result: { timestampInfo: info } }))) return;
  }
  // A stream-error / drop fault placed after the last line still fires.
  if (!(await writer.finish())) return;
  writer.end();
}
