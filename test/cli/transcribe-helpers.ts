// Shared pieces of the `inworld transcribe` CLI tests: an emulator with a script, WAV files made
// in code, and the environment that points the built CLI at the emulator.
import { writeFileSync } from 'node:fs';
import type { RunningEmulator } from '../../src/emulator/index.js';
import { cleanEnv } from '../helpers/cli.js';
import { scriptRule, STT_PATH } from '../wire/stt-harness.js';

export const KEY = 'dHJhbnNjcmliZS10ZXN0OmtleQ==';

export function cliEnv(emulator: RunningEmulator, extra: Record<string, string | undefined> = {}): Record<string, string> {
  return cleanEnv({ INWORLD_API_KEY: KEY, INWORLD_BASE_URL: emulator.url, INWORLD_WS_URL: emulator.wsUrl, ...extra });
}

export function resetEmulator(emulator: RunningEmulator, turns: string[]): void {
  emulator.faults.clear();
  emulator.requests.clear();
  emulator.faults.add(scriptRule(turns));
}

export function sttRequests(emulator: RunningEmulator) {
  return emulator.requests.find(STT_PATH);
}

/** A canonical 16-bit PCM WAV around `pcm`. */
export function wavBytes(pcm: Buffer, sampleRateHertz: number, channels: number, options: { formatTag?: number; bits?: number; extraChunk?: boolean } = {}): Buffer {
  const bits = options.bits ?? 16;
  const fmt = Buffer.alloc(24);
  fmt.write('fmt ', 0, 'ascii');
  fmt.writeUInt32LE(16, 4);
  fmt.writeUInt16LE(options.formatTag ?? 1, 8);
  fmt.writeUInt16LE(channels, 10);
  fmt.writeUInt32LE(sampleRateHertz, 12);
  fmt.writeUInt32LE((sampleRateHertz * channels * bits) / 8, 16);
  fmt.writeUInt16LE((channels * bits) / 8, 20);
  fmt.writeUInt16LE(bits, 22);
  // A LIST chunk before fmt, as many editors write, so nothing may assume a 44-byte header.
  const list = options.extraChunk ? Buffer.concat([Buffer.from('LIST'), u32(10), Buffer.from('INFOabcdef')]) : Buffer.alloc(0);
  const dataHeader = Buffer.concat([Buffer.from('data'), u32(pcm.length)]);
  const body = Buffer.concat([Buffer.from('WAVE'), list, fmt, dataHeader, pcm]);
  return Buffer.concat([Buffer.from('RIFF'), u32(body.length), body]);
}

function u32(value: number): Buffer {
  const buffer = Buffer.alloc(4);
  buffer.writeUInt32LE(value);
  return buffer;
}

export function writeWav(path: string, pcm: Buffer, sampleRateHertz = 16000, channels = 1): string {
  writeFileSync(path, wavBytes(pcm, sampleRateHertz, channels, { extraChunk: true }));
  return path;
}
