// The `speak` tool: text to an audio file in the output directory (HTTP streaming synthesis,
// long text split at sentences by the library), optionally played on the speakers as it arrives.
// The file is written under a temporary name and renamed when complete, so a failed call leaves
// no file behind.
import { formatForEncoding, formatForPath, type OutputFormat } from '../../audio/formats.js';
import { AudioDurationMeter, meteredContainerFor } from '../../audio/duration-meter.js';
import { isRewindable, type AudioSink } from '../../audio/sink.js';
import { ValidationError } from '../../core/errors.js';
import { DEFAULT_MODEL_ID, DEFAULT_VOICE_ID, DELIVERY_MODES, MAX_PRONUNCIATION_DICTIONARIES, type SynthesisOptions } from '../../tts/options.js';
import type { TimedText } from '../../tts/timestamps.js';
import { planSynthesis } from '../../tts/plan.js';
import type { z as zod } from 'zod';
import { defineTool, mimeTypeOf, type ToolContext, type Zod } from '../tool-kit.js';

/** Format names a caller may use, and the encoding each means. */
const FORMATS = { wav: 'WAV', mp3: 'MP3', ogg_opus: 'OGG_OPUS', opus: 'OGG_OPUS', flac: 'FLAC', pcm: 'PCM', mulaw: 'MULAW', alaw: 'ALAW' } as const;
type FormatName = keyof typeof FORMATS;
const FORMAT_NAMES = Object.keys(FORMATS) as [FormatName, ...FormatName[]];
/** Longest text one call takes (the library splits it into requests of 2,000 characters). */
export const SPEAK_MAX_TEXT_CHARS = 100_000;
const DEFAULT_SAMPLE_RATE_HZ = 24_000;
const TELEPHONY_SAMPLE_RATE_HZ = 8_000;

function speakSchema(z: Zod) {
  return z.strictObject({
    text: z.string().max(SPEAK_MAX_TEXT_CHARS, `text is longer than ${SPEAK_MAX_TEXT_CHARS} characters; split it over several calls`).describe('The text to speak. Long text is split at sentence ends and joined into one file.'),
    voice: z.string().min(1).optional().describe('Voice id, e.g. "Ashley" (the default), "Dennis", or a custom voice id from list_voices / clone_voice.'),
    voice_design: z.string().min(7).max(1024).optional().describe('Instead of voice: describe an ad-hoc voice in words (inworld-tts-2 only; nothing is saved).'),
    model: z.string().min(1).optional().describe('TTS model id; default inworld-tts-2.'),
    format: z.enum(FORMAT_NAMES).optional().describe('Audio format of the file; default wav.'),
    sample_rate: z.int().min(8000).max(48000).optional().describe('Samples per second, 8000..48000; default 24000 (8000 for mulaw/alaw).'),
    bit_rate: z.int().optional().describe('Bits per second, mp3 (32000..320000) and ogg_opus (32000..192000) only.'),
    speaking_rate: z.number().min(0.5).max(1.5).optional().describe('0.5..1.5; 1 is normal speed.'),
    temperature: z.number().gt(0).max(2).optional().describe('(0, 2]: higher is more varied (ignored by inworld-tts-2).'),
    language: z.string().min(2).optional().describe('BCP-47 code such as en-US; detected from the text when absent.'),
    delivery_mode: z.enum(DELIVERY_MODES).optional().describe('TTS-2 models: STABLE, BALANCED or CREATIVE.'),
    seed: z.int().min(-2147483648).max(2147483647).optional().describe('The same seed, text and voice give the same audio.'),
    normalize: z.boolean().optional().describe('Expand numbers, dates and abbreviations before speaking (server default when absent).'),
    timestamps: z.enum(['word', 'character']).optional().describe('Return word (or character) timings with the result.'),
    pronunciation_dictionaries: z.array(z.string().min(1)).max(MAX_PRONUNCIATION_DICTIONARIES).optional().describe('Resource names (workspaces/{ws}/pronunciationDictionaries/{id}) of up to 3 dictionaries (TTS-2 models).'),
    file_name: z.string().optional().describe('A plain file name for the output (no directories); default a fresh speech-<time>-<id> name.'),
    overwrite: z.boolean().optional().describe('Replace an existing file of that name; default false.'),
    play: z.boolean().optional().describe('Also play the audio on this machine\'s speakers as it arrives (wav or pcm only).'),
  });
}

type SpeakArgs = zod.output<ReturnType<typeof speakSchema>>;

function synthesisOptions(args: SpeakArgs, format: OutputFormat, sampleRateHertz: number): SynthesisOptions {
  return {
    text: args.text,
    voiceId: args.voice,
    voiceDesign: args.voice_design === undefined ? undefined : { designPrompt: args.voice_design },
    modelId: args.model,
    audioConfig: { audioEncoding: format.serverEncoding, sampleRateHertz, bitRate: args.bit_rate, speakingRate: args.speaking_rate },
    temperature: args.temperature,
    language: args.language,
    deliveryMode: args.delivery_mode,
    seed: args.seed,
    applyTextNormalization: args.normalize === undefined ? undefined : args.normalize ? 'ON' : 'OFF',
    timestampType: args.timestamps === undefined ? undefined : args.timestamps === 'word' ? 'WORD' : 'CHARACTER',
    pronunciationDictionaries: args.pronunciation_dictionaries,
  };
}

async function openSinks(path: string, format: OutputFormat, sampleRateHertz: number, play: boolean, env: NodeJS.ProcessEnv): Promise<AudioSink> {
  const { openRawFileSink, openWavFileSink } = await import('../../audio/file-sink.js');
  const file = format.container === 'wav' ? await openWavFileSink(path, { sampleRateHertz, channels: 1, bitsPerSample: 16 }) : await openRawFileSink(path);
  if (!play) return file;
  try {
    const { openSpeakers } = await import('../../audio/speaker-sink.js');
    const speakers = await openSpeakers({ sampleRateHertz, env });
    const { TeeSink } = await import('../../audio/tee-sink.js');
    return new TeeSink([file, speakers]);
  } catch (error) {
    await file.abort(error);
    throw error;
  }
}

export function speakTool(z: Zod, context: ToolContext) {
  return defineTool({
    name: 'speak',
    title: 'Speak text (Inworld TTS)',
    description:
      'Synthesizes speech from text with Inworld TTS and writes it to an audio file in the server\'s output directory; returns the file\'s path, its duration in seconds, the voice and the characters billed. With play: true the audio also plays on the speakers of the machine running the server.',
    inputSchema: speakSchema(z),
    annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: false, openWorldHint: true },
    async run(args, signal) {
      if (args.text.trim() === '') throw new ValidationError('text is empty', { hint: 'Pass the words to speak in text' });
      if (args.voice !== undefined && args.voice_design !== undefined) throw new ValidationError('voice and voice_design both given', { hint: 'Pass one of them' });
      const format = formatForEncoding(FORMATS[args.format ?? 'wav'])!;
      const telephony = format.encoding === 'MULAW' || format.encoding === 'ALAW';
      const sampleRateHertz = args.sample_rate ?? (telephony ? TELEPHONY_SAMPLE_RATE_HZ : DEFAULT_SAMPLE_RATE_HZ);
      if (args.play && !format.isPcm16) throw new ValidationError(`cannot play ${args.format} audio on the speakers`, { hint: 'Use format wav or pcm with play, or drop play' });
      const options = synthesisOptions(args, format, sampleRateHertz);
      const { parts } = planSynthesis(options); // every check before a file exists or a request is sent
      const path = await context.files.outputPath({
        name: args.file_name,
        prefix: 'speech',
        extension: format.extension,
        sameFormat: (extension) => {
          const named = formatForPath(`x${extension}`);
          return named !== undefined && named.serverEncoding === format.serverEncoding && named.container === format.container;
        },
        overwrite: args.overwrite,
      });
      const sink = await openSinks(path, format, sampleRateHertz, args.play === true, context.env);
      const meter = new AudioDurationMeter(meteredContainerFor(format.serverEncoding)!, sampleRateHertz);
      let billed: number | undefined;
      let bytes = 0;
      const timings: TimedText[] = [];
      try {
        for await (const chunk of context.inworld.tts.synthesize(options, { signal })) {
          if (chunk.audio && chunk.audio.length > 0) {
            meter.push(chunk.audio);
            bytes += chunk.audio.length;
            await sink.write(chunk.audio);
          }
          if (chunk.headerPatch && isRewindable(sink)) await sink.overwrite(chunk.headerPatch.offset, chunk.headerPatch.bytes);
          if (chunk.usage?.processedCharactersCount !== undefined) billed = (billed ?? 0) + chunk.usage.processedCharactersCount;
          const timed = chunk.timestamps?.words ?? chunk.timestamps?.characters;
          if (timed) timings.push(...timed);
        }
      } catch (error) {
        await sink.abort(error);
        throw error;
      }
      await sink.end();
      const seconds = Math.round(meter.seconds * 1000) / 1000;
      const characters = billed ?? args.text.length;
      const voice = args.voice_design === undefined ? (options.voiceId ?? DEFAULT_VOICE_ID) : 'designed';
      return {
        summary: `Wrote ${path} (${seconds.toFixed(1)} s of audio${args.play ? ', played on the speakers' : ''}).`,
        result: {
          path,
          format: args.format ?? 'wav',
          sampleRateHertz,
          durationSeconds: seconds,
          bytes,
          voice,
          model: options.modelId ?? DEFAULT_MODEL_ID,
          characters,
          requests: parts.length,
          played: args.play === true,
          ...(args.timestamps ? { timestamps: timings } : {}),
        },
        usage: { characters, audioSeconds: seconds, requests: parts.length },
        links: [{ path, mimeType: mimeTypeOf(format.extension) }],
      };
    },
  });
}
