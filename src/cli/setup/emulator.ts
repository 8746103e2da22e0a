// `inworld emulator`: runs the local Inworld-compatible server until interrupted. The first line
// of stdout is its base URL, so scripts can start it and read where it listens.
import { Command, Option } from 'commander';
import { isLoopbackHost } from '../context.js';
import { interruptSignal } from '../interrupt.js';
import { choiceOption, nonNegativeInt, positiveInt } from '../options.js';
import { note } from '../ui.js';

export const DEFAULT_EMULATOR_PORT = 8787;

interface EmulatorFlags {
  port: number;
  host: string;
  apiKey?: string;
  engine?: 'espeak' | 'synthetic';
  latency?: number;
  generationLatency?: number;
  realtime?: boolean;
  fault: string[];
  unknownVoice?: 'not-found' | 'invalid-argument' | 'accept';
  legacyVoices404?: boolean;
  voiceApi404?: boolean;
  sttScript: string[];
  keyWithoutVoiceScope: string[];
  cloneRateLimit?: number;
  previewTtl?: number;
  cloneLatency?: number;
  jobDelay?: number;
  signedUrlTtl?: number;
  jobTextLimit?: number;
  quiet?: boolean;
}

function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

function port(value: string): number {
  const n = nonNegativeInt('--port')(value);
  if (n > 65535) throw new Error(`--port must be 0..65535, not "${value}".`);
  return n;
}

export function emulatorCommand(): Command {
  return new Command('emulator')
    .description('run a local Inworld-compatible server (REST + WebSocket, TTS + STT + voices) for offline work and tests')
    .addOption(new Option('--port <n>', 'port to listen on (0 = any free port)').default(DEFAULT_EMULATOR_PORT).argParser(port))
    .addOption(new Option('--host <address>', 'interface to bind').default('127.0.0.1'))
    .addOption(new Option('--api-key <key>', 'accept only this key (default: any non-empty key)'))
    .addOption(choiceOption('--engine <name>', 'speech engine (default: espeak-ng when installed)', ['espeak', 'synthetic'] as const))
    .addOption(new Option('--latency <ms>', 'delay before every response, in ms').argParser(nonNegativeInt('--latency')))
    .addOption(new Option('--generation-latency <ms>', 'extra delay per synthesis request or generation, in ms').argParser(nonNegativeInt('--generation-latency')))
    .addOption(new Option('--realtime', 'pace streamed audio at real time'))
    .addOption(new Option('--fault <spec>', 'inject a fault (repeatable); grammar in docs/emulator.md').default([]).argParser(collect))
    .addOption(choiceOption('--unknown-voice <mode>', 'answer for an unknown voice id', ['not-found', 'invalid-argument', 'accept'] as const))
    .addOption(new Option('--legacy-voices-404', 'answer the legacy GET /tts/v1/voices with 404'))
    .addOption(new Option('--voice-api-404', 'answer the Voice API (/voices/v1/…) with 404'))
    .addOption(new Option('--stt-script <text>', 'transcript for the next speech-to-text turn (repeatable, used in order)').default([]).argParser(collect))
    .addOption(new Option('--key-without-voice-scope <key>', 'answer this key 403 on the Voice API, as a key without the Voices scope (repeatable; * for every key)').default([]).argParser(collect))
    .addOption(new Option('--clone-rate-limit <n>', 'voice clones allowed per key per minute (default 5)').argParser(positiveInt('--clone-rate-limit')))
    .addOption(new Option('--preview-ttl <ms>', 'how long a voice design preview can be published, in ms (default 600000)').argParser(positiveInt('--preview-ttl')))
    .addOption(new Option('--clone-latency <ms>', 'extra time a voice clone takes after the voice exists, in ms').argParser(nonNegativeInt('--clone-latency')))
    .addOption(new Option('--job-delay <ms>', 'how long a server-side (async or batch) job runs before it is done, in ms (default 300)').argParser(nonNegativeInt('--job-delay')))
    .addOption(new Option('--signed-url-ttl <ms>', "how long a job's signed result URLs stay valid, in ms (default 3600000)").argParser(positiveInt('--signed-url-ttl')))
    .addOption(new Option('--job-text-limit <n>', 'characters one job (or batch item) takes (default 100000; 10000 as on On-Demand plans)').argParser(positiveInt('--job-text-limit')))
    .addOption(new Option('-q, --quiet', 'do not log requests to stderr'))
    .addHelpText(
      'after',
      `
Examples:
  $ inworld emulator                       # http://127.0.0.1:8787/
  $ inworld emulator --port 0 --realtime   # any free port, audio paced like the real service
  $ inworld emulator --fault 'status=503,times=2'
  $ inworld emulator --stt-script 'Hello there.' --stt-script 'Second turn.'
  $ INWORLD_BASE_URL=http://127.0.0.1:8787/ INWORLD_API_KEY=test inworld say "hi" -o hi.wav`,
    )
    .action(async (flags: EmulatorFlags) => {
      const { startEmulator } = await import('../../emulator/index.js');
      if (!isLoopbackHost(flags.host)) {
        note(`inworld: warning: the emulator is listening on ${flags.host}, reachable from other machines; it accepts any key unless --api-key is set.`);
      }
      const emulator = await startEmulator({
        port: flags.port,
        host: flags.host,
        apiKey: flags.apiKey,
        engine: flags.engine,
        firstByteLatencyMs: flags.latency,
        generationLatencyMs: flags.generationLatency,
        realtime: flags.realtime,
        faults: flags.fault,
        unknownVoice: flags.unknownVoice,
        legacyVoicesNotFound: flags.legacyVoices404,
        voiceApiNotFound: flags.voiceApi404,
        sttScript: flags.sttScript.length > 0 ? flags.sttScript : undefined,
        keysWithoutVoiceScope: flags.keyWithoutVoiceScope,
        cloneRateLimitPerMinute: flags.cloneRateLimit,
        previewTtlMs: flags.previewTtl,
        cloneLatencyMs: flags.cloneLatency,
        jobDelayMs: flags.jobDelay,
        signedUrlTtlMs: flags.signedUrlTtl,
        ...(flags.jobTextLimit ? { limits: { asyncChars: flags.jobTextLimit } } : {}),
        quiet: flags.quiet ?? false,
      });
      process.stdout.write(`${emulator.url}\n`);
      note(`inworld emulator listening on ${emulator.url} (WebSocket ${emulator.wsUrl}); Ctrl-C to stop`, flags);
      const signal = interruptSignal();
      await new Promise<void>((resolve) => signal.addEventListener('abort', () => resolve(), { once: true }));
      await emulator.close();
      throw signal.reason;
    });
}

