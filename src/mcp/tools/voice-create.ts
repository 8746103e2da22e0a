// The tools that create voices: `design_voice` (previews from a description, each written to the
// output directory to listen to), `publish_voice` (keep a preview as a voice) and `clone_voice`
// (a voice from recordings). Creating a voice is not idempotent: the library never sends these
// requests twice, and neither does this server.
import { stat, readFile } from 'node:fs/promises';
import { ValidationError } from '../../core/errors.js';
import { writeFileAtomically } from '../../core/atomic-file.js';
import { measureDuration } from '../../audio/duration-meter.js';
import { looksLikeWav, parseWavHeader } from '../../audio/wav-reader.js';
import type { Voice } from '../../voices/types.js';
import { defineTool, mimeTypeOf, type ToolContext, type Zod } from '../tool-kit.js';

/** The service's limit on one clone sample. */
const MAX_SAMPLE_BYTES = 4 * 1024 * 1024;
const MAX_CLONE_SAMPLES = 10;

function voiceSummary(voice: Voice): Record<string, unknown> {
  return { id: voice.id, displayName: voice.displayName, languages: voice.languages, ...(voice.description ? { description: voice.description } : {}), tags: voice.tags };
}

/** Seconds of a preview's audio (WAV or MP3 as the service sent it); undefined if neither. */
function previewSeconds(audio: Buffer): number | undefined {
  if (looksLikeWav(audio)) {
    const info = parseWavHeader(audio);
    if (!info || info.bitsPerSample !== 16) return undefined;
    return (audio.length - info.dataOffset) / (info.sampleRateHertz * info.channels * 2);
  }
  return measureDuration('mp3', 24_000, audio) || undefined;
}

export function designVoiceTool(z: Zod, context: ToolContext) {
  return defineTool({
    name: 'design_voice',
    title: 'Design a voice from a description',
    description:
      'Designs 1 to 3 preview voices from a description in words (gender, age, accent, pitch, pace, tone). Each preview\'s audio is written to the output directory; previews expire unless kept with publish_voice. Not idempotent: every call creates new previews.',
    inputSchema: z.strictObject({
      description: z.string().min(1).max(1000).describe('What the voice sounds like, e.g. "a calm older man with a low, warm voice and a slight Scottish accent".'),
      preview_text: z.string().min(1).max(1000).describe('What the previews say.'),
      language: z.string().min(2).optional().describe('Language of the voice (en-US, …); the service decides when absent.'),
      samples: z.int().min(1).max(3).optional().describe('How many previews, 1..3; default 1.'),
    }),
    annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: false, openWorldHint: true },
    async run(args, signal) {
      const design = await context.inworld.voices.design(
        { designPrompt: args.description, previewText: args.preview_text, langCode: args.language, numberOfSamples: args.samples },
        { signal },
      );
      const previews: Array<Record<string, unknown>> = [];
      let audioSeconds = 0;
      for (const [index, preview] of design.previews.entries()) {
        const extension = looksLikeWav(preview.audio) ? '.wav' : '.mp3';
        const path = await context.files.outputPath({ prefix: `voice-preview-${index + 1}`, extension });
        await writeFileAtomically(path, preview.audio);
        const seconds = previewSeconds(preview.audio);
        audioSeconds += seconds ?? 0;
        previews.push({ previewId: preview.id, path, ...(seconds !== undefined ? { durationSeconds: Math.round(seconds * 1000) / 1000 } : {}), ...(preview.previewText ? { previewText: preview.previewText } : {}) });
      }
      return {
        summary: `${previews.length} preview(s) written; keep one with publish_voice.`,
        result: { previews, ...(design.langCode ? { language: design.langCode } : {}) },
        usage: { requests: 1, audioSeconds },
        links: previews.map((preview) => ({ path: preview.path as string, mimeType: mimeTypeOf(String(preview.path).slice(-4)) })),
      };
    },
  });
}

export function publishVoiceTool(z: Zod, context: ToolContext) {
  return defineTool({
    name: 'publish_voice',
    title: 'Keep a designed voice',
    description: 'Saves a preview from design_voice as a voice of your workspace, usable as speak\'s voice. Not idempotent.',
    inputSchema: z.strictObject({
      preview_id: z.string().min(1).describe('The previewId design_voice returned.'),
      display_name: z.string().min(1).max(200).describe('The voice\'s name.'),
      description: z.string().max(1000).optional(),
      tags: z.array(z.string().min(1)).max(20).optional(),
    }),
    annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: false, openWorldHint: true },
    async run(args, signal) {
      const voice = await context.inworld.voices.publish(args.preview_id, { displayName: args.display_name, description: args.description, tags: args.tags }, { signal });
      return { summary: `Published ${voice.id}.`, result: { voice: voiceSummary(voice) }, usage: { requests: 1 } };
    },
  });
}

async function readSample(context: ToolContext, path: string): Promise<Buffer> {
  const real = await context.files.inputPath(path);
  const { size } = await stat(real);
  if (size > MAX_SAMPLE_BYTES) throw new ValidationError(`${path} is ${(size / 1048576).toFixed(1)} MB; a clone sample may be at most 4 MB`, { hint: 'Use a shorter recording (3 to 15 seconds)' });
  return readFile(real);
}

export function cloneVoiceTool(z: Zod, context: ToolContext) {
  return defineTool({
    name: 'clone_voice',
    title: 'Clone a voice from recordings',
    description:
      'Creates a voice from one or more recordings of a speaker (WAV or MP3, 3 to 15 seconds each, at most 4 MB), usable at once as speak\'s voice. The files must be in the output directory or an allowed input directory. Not idempotent: never retried, every call creates a voice.',
    inputSchema: z.strictObject({
      display_name: z.string().min(1).max(200).describe('The new voice\'s name.'),
      samples: z
        .array(z.strictObject({ path: z.string().min(1).describe('A recording (relative to the output directory, or absolute inside an input directory).'), transcription: z.string().optional().describe('What is said in it (optional; helps the service).') }))
        .min(1)
        .max(MAX_CLONE_SAMPLES),
      language: z.string().min(2).optional().describe('Language of the recordings (en-US, …); default en-US.'),
      description: z.string().max(1000).optional(),
      tags: z.array(z.string().min(1)).max(20).optional(),
      remove_background_noise: z.boolean().optional().describe('Ask the service to clean background noise first.'),
    }),
    annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: false, openWorldHint: true },
    async run(args, signal) {
      const samples = [];
      for (const sample of args.samples) samples.push({ audio: await readSample(context, sample.path), transcription: sample.transcription });
      const cloned = await context.inworld.voices.clone(
        { displayName: args.display_name, langCode: args.language, samples, description: args.description, tags: args.tags, removeBackgroundNoise: args.remove_background_noise },
        { signal },
      );
      return {
        summary: `Cloned ${cloned.voice.id}.`,
        result: { voice: voiceSummary(cloned.voice), samples: cloned.samples },
        usage: { requests: 1 },
      };
    },
  });
}
