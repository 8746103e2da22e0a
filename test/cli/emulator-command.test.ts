// `inworld emulator` as a separate process: prints its URL first, serves other processes, takes
// transcripts for speech-to-text from --stt-script, and stops on SIGTERM.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { wavHeader } from '../../src/audio/wav-writer.js';
import { BIN, cleanEnv, runCli } from '../helpers/cli.js';

/** A 16 kHz mono WAV: a loud 1 s tone, then 1.5 s of silence (one turn for the emulator's VAD). */
function toneWav(path: string): void {
  const rate = 16000;
  const samples = new Int16Array(rate * 2.5);
  for (let i = 0; i < rate; i++) samples[i] = Math.round(12000 * Math.sin((2 * Math.PI * 220 * i) / rate));
  const data = Buffer.from(samples.buffer);
  const header = wavHeader({ sampleRateHertz: rate, channels: 1, bitsPerSample: 16, dataBytes: data.length });
  writeFileSync(path, Buffer.concat([header, data]));
}

test('a separate emulator process serves say and transcribe, then stops on SIGTERM', async () => {
  const child = spawn(process.execPath, [BIN, 'emulator', '--port', '0', '--quiet', '--stt-script', 'Hello from the script.'], {
    env: cleanEnv(),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  try {
    const url = await new Promise<string>((resolve, reject) => {
      let text = '';
      child.stdout.on('data', (chunk: Buffer) => {
        text += chunk.toString();
        if (text.includes('\n')) resolve(text.split('\n')[0]!);
      });
      child.on('exit', (code) => reject(new Error(`emulator exited early (${code})`)));
    });
    assert.match(url, /^http:\/\/127\.0\.0\.1:\d+\/$/);
    const env = cleanEnv({ INWORLD_API_KEY: 'test', INWORLD_BASE_URL: url });
    const dir = mkdtempSync(join(tmpdir(), 'inworld-emulator-cmd-'));
    const said = await runCli(['say', 'Across processes.', '-o', join(dir, 'a.wav')], { env });
    assert.equal(said.code, 0, said.stderr);
    const wav = join(dir, 'tone.wav');
    toneWav(wav);
    const heard = await runCli(['transcribe', wav, '--json'], { env });
    assert.equal(heard.code, 0, heard.stderr);
    const finals = heard.stdout
      .toString()
      .split('\n')
      .filter(Boolean)
      .map((line) => JSON.parse(line))
      .filter((event) => event.type === 'final');
    assert.deepEqual(finals.map((event) => event.text), ['Hello from the script.']);
  } finally {
    child.kill('SIGTERM');
  }
  const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
  assert.equal(code, 143);
});
