// `inworld voices clone <sample...> --name <name>`: a custom voice from WAV or MP3 recordings (or
// one recorded with --mic <seconds>). Every sample is checked here first (audio, 3 to 15 s, at most
// 4 MB); the new voice id goes to stdout, the service's verdict on each sample to stderr.
import { Argument, Command, Option } from 'commander';
import { ValidationError } from '../../core/errors.js';
import { interruptSignal } from '../interrupt.js';
import { numberInRange } from '../options.js';
import { note } from '../ui.js';
import { runVoiceCommand, voiceSubcommand, type VoiceFlags } from './voice-command.js';

interface CloneFlags extends VoiceFlags {
  name?: string;
  lang?: string;
  transcript: string[];
  description?: string;
  tags?: string;
  removeBackgroundNoise?: boolean;
  mic?: number;
}

function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

export function cloneCommand(): Command {
  const command = new Command('clone')
    .description('clone a voice from WAV or MP3 recordings of 3 to 15 seconds (or one recorded with --mic)')
    .addArgument(new Argument('[sample...]', 'WAV or MP3 files, 3 to 15 s each, at most 4 MB'))
    .addOption(new Option('--name <name>', 'display name of the new voice (required)'))
    .addOption(new Option('--lang <code>', 'language of the recordings (en-US, ja-JP, …; default en-US)'))
    .addOption(new Option('--transcript <text>', 'what is said in a sample, in the order of the samples (repeatable)').default([]).argParser(collect))
    .addOption(new Option('--description <text>', 'a description of the voice'))
    .addOption(new Option('--tags <a,b>', 'comma-separated tags'))
    .addOption(new Option('--remove-background-noise', 'ask the service to clean background noise from the samples'))
    .addOption(new Option('--mic <seconds>', 'record a sample of this many seconds (3 to 15) from the microphone').argParser(numberInRange('--mic', 3, 15)));
  return voiceSubcommand(command, 'print the new voice and the verdict on each sample as JSON')
    .addHelpText('after', `
A clone can take minutes. It is never sent twice: if no answer comes, the voice list is checked
for the name and you are told whether the voice exists.

Examples:
  $ inworld voices clone grandma.wav --name "Grandma" --transcript "Once upon a time…"
  $ inworld voices clone a.mp3 b.mp3 --name Narrator --lang en-GB --tags calm,narration
  $ inworld voices clone --mic 10 --name "My voice"`)
    .action(async (paths: string[], flags: CloneFlags) => {
      if (flags.name === undefined || flags.name.trim() === '') throw new ValidationError('A clone needs a name: give --name "<display name>"');
      if (paths.length === 0 && flags.mic === undefined) throw new ValidationError('Nothing to clone from: give WAV or MP3 files, or --mic <seconds> to record one');
      if (paths.length > 0 && flags.mic !== undefined) throw new ValidationError('Give sample files or --mic, not both');
      const count = paths.length || 1;
      if (flags.transcript.length > count) {
        throw new ValidationError(`${flags.transcript.length} transcripts for ${count} sample${count === 1 ? '' : 's'}: give at most one --transcript per sample, in order`);
      }
      const { cloneBody } = await import('../../voices/clone.js');
      const { parseTags } = await import('./voice-output.js');
      const { loadSample, recordSample } = await import('./clone-samples.js');
      const request = {
        displayName: flags.name,
        langCode: flags.lang,
        description: flags.description,
        tags: flags.tags !== undefined ? parseTags(flags.tags) : undefined,
        removeBackgroundNoise: flags.removeBackgroundNoise,
        samples: [] as { audio: Buffer; transcription?: string }[],
      };
      // Everything that can be checked is checked before a microphone opens or a byte is sent.
      cloneBody({ ...request, samples: [{ audio: Buffer.alloc(1) }] });
      if (flags.lang !== undefined && !/^[A-Za-z]{2,3}(?:[-_][A-Za-z0-9]{2,8})*$/.test(flags.lang.trim())) {
        throw new ValidationError(`--lang "${flags.lang}" is not a language code; use a form like en-US or ja-JP`);
      }
      const samples = paths.length > 0 ? await Promise.all(paths.map(loadSample)) : [await recordSample(flags.mic!, (text) => note(text, flags), interruptSignal())];
      request.samples = samples.map((sample, index) => ({ audio: sample.audio, transcription: flags.transcript[index] }));
      await runVoiceCommand(flags, 'clone', undefined, async ({ context, refreshCache }) => {
        const { CloneTimeoutError, cloneVoice } = await import('../../voices/clone.js');
        const { printJson } = await import('./voice-output.js');
        const { createUi } = await import('../ui.js');
        const ui = await createUi(flags);
        ui.progress(`Cloning "${flags.name}" from ${samples.length} sample${samples.length === 1 ? '' : 's'} (this can take minutes)…`);
        let result;
        try {
          result = await cloneVoice(context.client, request, { signal: interruptSignal(), ...(flags.timeout !== undefined ? { timeoutMs: flags.timeout } : {}) });
        } catch (error) {
          // Without an answer the voice may exist all the same: the cache must know it then.
          if (error instanceof CloneTimeoutError) await refreshCache();
          throw error;
        } finally {
          ui.stopProgress();
        }
        await refreshCache();
        if (flags.json) {
          printJson({ voice: result.voice, samples: result.samples.map((verdict, index) => ({ file: samples[index]?.name, ...verdict })) });
        } else {
          process.stdout.write(`${result.voice.id}\n`);
          note(`Cloned "${result.voice.displayName}": voice id ${result.voice.id}; speak with \`inworld say --voice ${result.voice.id} "…"\``, flags);
        }
        result.samples.forEach((verdict, index) => {
          const name = samples[index]?.name ?? `sample ${index + 1}`;
          for (const text of verdict.errors) note(`inworld: ${name}: error: ${text}`);
          for (const text of verdict.warnings) note(`inworld: ${name}: warning: ${text}`, flags);
        });
      });
    });
}
