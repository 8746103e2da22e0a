// The gateway in front of an emulator, both on loopback ports, and an OpenAI client pointed at it.
import OpenAI from 'openai';
import { startEmulator, type EmulatorOptions, type RunningEmulator } from '../../src/emulator/index.js';
import { Inworld } from '../../src/inworld.js';
import { startGateway, type GatewayOptions, type RunningGateway } from '../../src/serve/gateway.js';

export const INWORLD_KEY = 'inworld-secret-key-1234567890';

export interface ServeHarness {
  emulator: RunningEmulator;
  gateway: RunningGateway;
  inworld: Inworld;
  openai: OpenAI;
  /** Lines the emulator logged (request log), for checking what reached it. */
  emulatorLog: string[];
  /** Lines the gateway logged. */
  gatewayLog: string[];
  close(): Promise<void>;
}

export async function startServeHarness(
  options: { emulator?: EmulatorOptions; gateway?: Partial<Omit<GatewayOptions, 'inworld'>>; apiKey?: string } = {},
): Promise<ServeHarness> {
  const emulatorLog: string[] = [];
  const gatewayLog: string[] = [];
  const emulator = await startEmulator({ engine: 'synthetic', quiet: false, logSink: (line) => emulatorLog.push(line), ...options.emulator });
  const inworld = new Inworld({ apiKey: INWORLD_KEY, baseUrl: emulator.url, wsUrl: emulator.wsUrl, configPath: null, env: {}, maxRetries: 0, timeoutMs: 5000 });
  const gateway = await startGateway({ inworld, port: 0, secrets: [INWORLD_KEY], log: (line) => gatewayLog.push(line), ...options.gateway });
  const openai = new OpenAI({ baseURL: gateway.url, apiKey: options.apiKey ?? options.gateway?.token ?? 'unused', maxRetries: 0 });
  return {
    emulator,
    gateway,
    inworld,
    openai,
    emulatorLog,
    gatewayLog,
    close: async () => {
      await gateway.close();
      await inworld.close();
      await emulator.close();
    },
  };
}

/** Checks the first bytes are what the format's container starts with. */
export function looksLike(format: string, audio: Buffer): boolean {
  switch (format) {
    case 'mp3':
      return (audio[0] === 0xff && (audio[1]! & 0xe0) === 0xe0) || audio.subarray(0, 3).toString('latin1') === 'ID3';
    case 'opus':
      return audio.subarray(0, 4).toString('latin1') === 'OggS' && audio.subarray(0, 64).includes(Buffer.from('OpusHead'));
    case 'aac':
      return audio[0] === 0xff && (audio[1]! & 0xf6) === 0xf0;
    case 'flac':
      return audio.subarray(0, 4).toString('latin1') === 'fLaC';
    case 'wav':
      return audio.subarray(0, 4).toString('latin1') === 'RIFF' && audio.subarray(8, 12).toString('latin1') === 'WAVE';
    case 'pcm':
      return audio.length % 2 === 0 && audio.some((byte) => byte !== 0);
    default:
      return false;
  }
}
