// Shared by the emulator's HTTP tests: an emulator on port 0 with the synthetic engine, request
// helpers, NDJSON reading, WAV header parsing and an ffmpeg validity check.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startEmulator, type EmulatorOptions, type RunningEmulator } from '../../src/emulator/index.js';

export const KEY = 'test-key';
export const AUTH = { authorization: `Basic ${KEY}`, 'content-type': 'application/json' };

export function start(options: EmulatorOptions = {}): Promise<RunningEmulator> {
  return startEmulator({ port: 0, quiet: true, engine: 'synthetic', ...options });
}

export function ttsBody(overrides: Record<string, unknown> = {}, audio: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    text: 'Hello there, world. How are you today?',
    voiceId: 'Ashley',
    modelId: 'inworld-tts-1.5-max',
    audioConfig: { audioEncoding: 'PCM', sampleRateHertz: 16000, ...audio },
    ...overrides,
  };
}

export function post(emulator: RunningEmulator, path: string, body: unknown, headers: Record<string, string> = AUTH): Promise<Response> {
  return fetch(new URL(path.replace(/^\//, ''), emulator.url), {
    method: 'POST',
    headers,
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
}

export function get(emulator: RunningEmulator, path: string, headers: Record<string, string> = AUTH): Promise<Response> {
  return fetch(new URL(path.replace(/^\//, ''), emulator.url), { headers });
}

export interface StreamLine {
  result?: { audioContent?: string; usage?: { processedCharactersCount: number; modelId: string }; timestampInfo?: any };
  error?: { code: number; message: string; details: unknown[] };
}

export async function streamLines(response: Response): Promise<StreamLine[]> {
  const text = await response.text();
  if (!text.endsWith('\n')) throw new Error('stream did not end with a newline');
  return text
    .split('\n')
    .filter((line) => line.length > 0)
    .map((line) => JSON.parse(line) as StreamLine);
}

export function audioOf(lines: StreamLine[]): Buffer[] {
  return lines.filter((l) => l.result?.audioContent !== undefined).map((l) => Buffer.from(l.result!.audioContent!, 'base64'));
}

/** Raw response chunks as they arrive (node:http, so nothing re-chunks them). */
export function rawPost(emulator: RunningEmulator, path: string, body: unknown): Promise<{ status: number; chunks: Buffer[]; error?: Error; headers: Record<string, unknown> }> {
  return new Promise((resolve) => {
    const url = new URL(path.replace(/^\//, ''), emulator.url);
    const chunks: Buffer[] = [];
    const req = httpRequest(url, { method: 'POST', headers: AUTH }, (res) => {
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, chunks, headers: res.headers }));
      res.on('error', (error) => resolve({ status: res.statusCode ?? 0, chunks, error, headers: res.headers }));
      res.on('aborted', () => resolve({ status: res.statusCode ?? 0, chunks, error: new Error('aborted'), headers: res.headers }));
    });
    req.on('error', (error) => resolve({ status: 0, chunks, error, headers: {} }));
    req.end(JSON.stringify(body));
  });
}

export interface WavHeader {
  riff: string;
  riffSize: number;
  wave: string;
  format: number;
  channels: number;
  sampleRateHertz: number;
  byteRate: number;
  blockAlign: number;
  bitsPerSample: number;
  dataTag: string;
  dataSize: number;
}

export function wavHeader(bytes: Buffer): WavHeader {
  return {
    riff: bytes.toString('ascii', 0, 4),
    riffSize: bytes.readUInt32LE(4),
    wave: bytes.toString('ascii', 8, 12),
    format: bytes.readUInt16LE(20),
    channels: bytes.readUInt16LE(22),
    sampleRateHertz: bytes.readUInt32LE(24),
    byteRate: bytes.readUInt32LE(28),
    blockAlign: bytes.readUInt16LE(32),
    bitsPerSample: bytes.readUInt16LE(34),
    dataTag: bytes.toString('ascii', 36, 40),
    dataSize: bytes.readUInt32LE(40),
  };
}

/** Decodes a file with ffmpeg; returns the decoded s16le mono samples at the file's rate and any errors. */
export function ffmpegDecode(bytes: Buffer, extension: string, inputArgs: string[] = [], outputArgs: string[] = []): { errors: string; pcm: Buffer; status: number | null } {
  const dir = mkdtempSync(join(tmpdir(), 'emu-ffmpeg-'));
  try {
    const file = join(dir, `audio.${extension}`);
    writeFileSync(file, bytes);
    const run = spawnSync('ffmpeg', ['-v', 'error', ...inputArgs, '-i', file, ...outputArgs, '-f', 's16le', '-ac', '1', '-'], { maxBuffer: 64 * 1024 * 1024 });
    return { errors: run.stderr.toString(), pcm: run.stdout, status: run.status };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export function ffprobe(bytes: Buffer, extension: string): { sampleRateHertz: number; duration: number; codec: string } {
  const dir = mkdtempSync(join(tmpdir(), 'emu-ffprobe-'));
  try {
    const file = join(dir, `audio.${extension}`);
    writeFileSync(file, bytes);
    const run = spawnSync('ffprobe', ['-v', 'error', '-show_entries', 'stream=sample_rate,codec_name:format=duration', '-of', 'json', file]);
    const json = JSON.parse(run.stdout.toString());
    return { sampleRateHertz: Number(json.streams[0].sample_rate), codec: json.streams[0].codec_name, duration: Number(json.format.duration) };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Int16 samples of s16le bytes. */
export function samplesOf(bytes: Buffer): Int16Array {
  const out = new Int16Array(bytes.length >> 1);
  for (let i = 0; i < out.length; i++) out[i] = bytes.readInt16LE(i * 2);
  return out;
}

export function rms(samples: Int16Array, from = 0, to = samples.length): number {
  let sum = 0;
  const a = Math.max(0, Math.floor(from));
  const b = Math.min(samples.length, Math.floor(to));
  for (let i = a; i < b; i++) sum += samples[i]! * samples[i]!;
  return b > a ? Math.sqrt(sum / (b - a)) : 0;
}

/** A response body as JSON, typed loosely for assertions. */
export async function readJson(response: Response): Promise<any> {
  return response.json();
}
