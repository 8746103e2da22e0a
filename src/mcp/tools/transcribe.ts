// The `transcribe` tool: an audio file (WAV of any rate and channel count; other formats through
// ffmpeg when installed) streamed through Inworld STT; returns the text and the turns with their
// timings and voice profiles. The file must be inside the output directory or an allowed input
// directory (sandbox.ts).
import { open } from 'node:fs/promises';
import type { z as zod } from 'zod';
import type { PcmSource } from '../../audio/source.js';
import { looksLikeWav } from '../../audio/wav-reader.js';
import { ValidationError } from '../../core/errors.js';
import { DEFAULT_STT_LANGUAGE, DEFAULT_STT_MODEL, MAX_STT_SAMPLE_RATE_HZ, MIN_STT_SAMPLE_RATE_HZ } from '../../stt/options.js';
import { defineTool, type ToolContext, type Zod } from '../tool-kit.js';

/** What files outside the API's rates are resampled to, and what ffmpeg decodes to. */
const FALLBACK_RATE_HZ = 16_000;
const SNIFF_BYTES = 12;

function transcribeSchema(z: Zod) {
  return z.strictObject({
    path: z.string().min(1).describe('The audio file: a path relative to the output directory (e.g. a file speak wrote), or an absolute path inside an allowed input directory.'),
    language: z.string().min(2).optional().describe(`BCP-47 language of the speech; default ${DEFAULT_STT_LANGUAGE}.`),
    model: z.string().min(1).optional().describe(`STT model id; default ${DEFAULT_STT_MODEL}.`),
    voice_profile: z.boolean().optional().describe('Return each turn\'s voice profile (age, emotion, pitch, vocal style, accent, with confidences); default true.'),
    voice_profile_top_n: z.int().min(1).max(20).optional().describe('Labels per voice-profile category, 1..20; default 1.'),
    words: z.boolean().optional().describe('Return each turn\'s words with their timings; default false.'),
  });
}

type TranscribeArgs = zod.output<ReturnType<typeof transcribeSchema>>;

async function openAudio(path: string): Promise<PcmSource> {
  const handle = await open(path, 'r');
  const head = Buffer.alloc(SNIFF_BYTES);
  let bytesRead: number;
  try {
    ({ bytesRead } = await handle.read(head, 0, SNIFF_BYTES, 0));
  } finally {
    await handle.close();
  }
  if (bytesRead === 0) throw new ValidationError(`${path} is empty`);
  if (!looksLikeWav(head.subarray(0, bytesRead))) {
    const { openFfmpegSource } = await import('../../audio/ffmpeg-source.js');
    return openFfmpegSource(path, { sampleRateHertz: FALLBACK_RATE_HZ });
  }
  const { openWavSource } = await import('../../audio/wav-source.js');
  const wav = await openWavSource(path);
  if (wav.sampleRateHertz >= MIN_STT_SAMPLE_RATE_HZ && wav.sampleRateHertz <= MAX_STT_SAMPLE_RATE_HZ) return wav;
  const { resampleSource } = await import('../../audio/resampler.js');
  return resampleSource(wav, FALLBACK_RATE_HZ);
}

interface Turn {
  turn: number;
  text: string;
  startMs?: number;
  endMs?: number;
  voiceProfile?: unknown;
  words?: Array<{ word: string; startMs: number; endMs: number; confidence?: number }>;
}

async function run(args: TranscribeArgs, signal: AbortSignal, context: ToolContext) {
  const path = await context.files.inputPath(args.path);
  const source = await openAudio(path);
  const turns: Turn[] = [];
  let transcribedMs: number | undefined;
  let modelId: string | undefined;
  try {
    const events = context.inworld.stt.transcribe(source, {
      sampleRateHertz: source.sampleRateHertz,
      model: args.model,
      language: args.language,
      voiceProfile: args.voice_profile,
      voiceProfileTopN: args.voice_profile_top_n,
      signal,
    });
    for await (const event of events) {
      if (event.type === 'final' && event.text.trim() !== '') {
        turns.push({
          turn: event.turn,
          text: event.text,
          startMs: event.startMs,
          endMs: event.endMs,
          ...(event.voiceProfile ? { voiceProfile: event.voiceProfile } : {}),
          ...(args.words ? { words: event.words } : {}),
        });
      }
      if (event.type === 'usage') {
        transcribedMs = event.transcribedAudioMs ?? transcribedMs;
        modelId = event.modelId ?? modelId;
      }
    }
  } finally {
    source.close();
  }
  const audioSeconds = transcribedMs === undefined ? undefined : transcribedMs / 1000;
  const text = turns.map((turn) => turn.text).join('\n');
  return {
    summary: turns.length === 0 ? 'No speech was recognized.' : `${turns.length} turn(s) transcribed.`,
    result: { path, text, turns, ...(audioSeconds !== undefined ? { audioSeconds } : {}), model: modelId ?? args.model ?? DEFAULT_STT_MODEL, language: args.language ?? DEFAULT_STT_LANGUAGE },
    usage: { audioSeconds, requests: 1 },
  };
}

export function transcribeTool(z: Zod, context: ToolContext) {
  return defineTool({
    name: 'transcribe',
    title: 'Transcribe an audio file (Inworld STT)',
    description:
      'Transcribes speech in an audio file with Inworld STT (streaming). Returns the whole text, and each turn with its start and end in milliseconds and, unless voice_profile is false, the speaker\'s voice profile. The file must be in the server\'s output directory (for example one written by speak) or an input directory the user allowed.',
    inputSchema: transcribeSchema(z),
    annotations: { readOnlyHint: true, openWorldHint: true },
    run: (args, signal) => run(args, signal, context),
  });
}
