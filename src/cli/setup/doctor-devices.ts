// The doctor's checks of this machine's audio tools: something can play, something can record, and
// ffmpeg is there. Programs are probed in a child with a deadline, so a stuck device cannot hang it.
import { spawn } from 'node:child_process';
import { findExecutable } from '../../audio/find-executable.js';
import { PLAYERS, defaultPlayerOrder, resolveSpeakerPackage, type PlayerName } from '../../audio/players.js';
import type { CheckResult } from './doctor-result.js';

/** How long one probe (a player, the recorder, the speaker child) may take before we call it stuck. */
export const PROBE_TIMEOUT_MS = 5_000;
/** A 10 ms capture at 16 kHz: enough to prove the default input device opens. */
const RECORDER_PROBE_SAMPLES = 160;

interface ProbeResult {
  ok: boolean;
  output: string;
}

/** Runs a program with empty stdin, a deadline, and no window on the terminal; never throws. */
function probe(program: string, args: string[], env: NodeJS.ProcessEnv, expectOutput?: string): Promise<ProbeResult> {
  return new Promise((resolve) => {
    let output = '';
    let settled = false;
    const done = (ok: boolean) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      child.kill('SIGKILL');
      resolve({ ok, output });
    };
    const child = spawn(program, args, { env, stdio: ['pipe', 'pipe', 'pipe'] });
    const timer = setTimeout(() => done(false), PROBE_TIMEOUT_MS);
    timer.unref();
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString('utf8');
      if (expectOutput && output.includes(expectOutput)) done(true);
    });
    child.stderr.on('data', (chunk: Buffer) => {
      output += chunk.toString('utf8');
    });
    child.on('error', () => done(false));
    child.on('close', (code) => done(code === 0 && (expectOutput === undefined || output.includes(expectOutput))));
    child.stdin.on('error', () => {});
    child.stdin.end();
  });
}

/**
 * Loads `speaker` in a child and opens the default device: in-process, a missing ALSA device
 * aborts Node (SIGABRT) with no way to catch it. The child prints "R" once the device is open.
 */
const SPEAKER_PROBE_SCRIPT = `
const Speaker = require(process.argv[1]);
const speaker = new Speaker({ channels: 1, bitDepth: 16, signed: true, sampleRate: 24000 });
speaker.on('error', () => process.exit(1));
speaker.once('open', () => { process.stdout.write('R'); process.exit(0); });
speaker.write(Buffer.alloc(0));
`;

export async function checkAudioOutput(env: NodeJS.ProcessEnv): Promise<CheckResult> {
  const base = { id: 'audio-output', label: 'Audio output', required: false };
  const order = defaultPlayerOrder();
  const parts: string[] = [];
  let usable = false;
  const probes = order.map(async (name): Promise<[PlayerName, string, boolean]> => {
    if (name === 'speaker') {
      const path = resolveSpeakerPackage();
      if (!path) return [name, 'not installed', false];
      const result = await probe(process.execPath, ['-e', SPEAKER_PROBE_SCRIPT, path], env, 'R');
      return [name, result.ok ? 'opens the default device' : 'installed, cannot open a device', result.ok];
    }
    const spec = PLAYERS[name];
    if (!findExecutable(spec.program, env)) return [name, 'not found', false];
    if (spec.probe !== 'empty-input') return [name, 'found (device not checkable)', true];
    // An empty input exits 0 only if the device opened (see PlayerSpec.probe).
    const result = await probe(spec.program, spec.args(24_000), env);
    return [name, result.ok ? 'opens the default device' : 'found, cannot open a device', result.ok];
  });
  for (const [name, state, ok] of await Promise.all(probes)) {
    parts.push(`${name}: ${state}`);
    usable ||= ok;
  }
  if (usable) return { ...base, status: 'ok', detail: parts.join('; ') };
  return { ...base, status: 'warn', detail: `nothing can play (${parts.join('; ')}); -o <file> still works`, fix: playerFix() };
}

function playerFix(platform: NodeJS.Platform = process.platform): string {
  if (platform === 'darwin') return 'afplay ships with macOS; or `brew install ffmpeg` for ffplay';
  if (platform === 'win32') return 'install ffmpeg (ffplay) and add it to PATH, or `npm install -g speaker`';
  return 'connect a sound device, or install a player: `sudo apt install alsa-utils` (aplay) or pulseaudio-utils (paplay)';
}

/** The programs `transcribe --mic` can record with on this platform, in the order tried. */
function recorderOrder(platform: NodeJS.Platform = process.platform): string[] {
  if (platform === 'darwin') return ['rec', 'sox'];
  if (platform === 'win32') return ['sox'];
  return ['arecord', 'parecord', 'rec', 'sox'];
}

export async function checkRecorder(env: NodeJS.ProcessEnv): Promise<CheckResult> {
  const base = { id: 'microphone', label: 'Microphone', required: false };
  const found = recorderOrder().filter((name) => findExecutable(name, env));
  if (found.length === 0) {
    const fix = process.platform === 'darwin' ? '`brew install sox`' : process.platform === 'win32' ? 'install SoX and add it to PATH' : '`sudo apt install alsa-utils` (arecord) or sox';
    return { ...base, status: 'warn', detail: `no recorder on PATH (looked for ${recorderOrder().join(', ')}); transcribe --mic needs one`, fix };
  }
  if (found.includes('arecord')) {
    // Record 10 ms from the default device: proves a capture device opens, not just that arecord exists.
    const result = await probe('arecord', ['-q', '-t', 'raw', '-f', 'S16_LE', '-r', '16000', '-c', '1', '-s', String(RECORDER_PROBE_SAMPLES), '/dev/null'], env);
    if (!result.ok) {
      return {
        ...base,
        status: 'warn',
        detail: `${found.join(', ')} on PATH, but arecord cannot open a capture device`,
        fix: 'connect a microphone, or check `arecord -l` and your ALSA/PulseAudio default source',
      };
    }
    return { ...base, status: 'ok', detail: `${found.join(', ')} on PATH; the default capture device opens` };
  }
  return { ...base, status: 'ok', detail: `${found.join(', ')} on PATH (device not probed)` };
}

export function checkFfmpeg(env: NodeJS.ProcessEnv): CheckResult {
  const base = { id: 'ffmpeg', label: 'ffmpeg', required: false };
  const path = findExecutable('ffmpeg', env);
  if (path) return { ...base, status: 'ok', detail: path };
  const fix = process.platform === 'darwin' ? '`brew install ffmpeg`' : process.platform === 'win32' ? '`winget install ffmpeg`' : '`sudo apt install ffmpeg`';
  return { ...base, status: 'warn', detail: 'not found; only needed to transcribe files other than WAV', fix };
}
