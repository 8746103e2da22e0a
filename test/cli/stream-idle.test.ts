// `inworld stream` when the input pauses right after a sentence: the built CLI (bin/inworld.js,
// run `npm run build` first) against an in-test emulator, with stdin held open.
import assert from 'node:assert/strict';
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { RunningEmulator } from '../../src/emulator/index.js';
import { TEST_API_KEY, startTtsEmulator } from '../emulator/tts-ws-helpers.js';

const BIN = join(import.meta.dirname, '..', '..', 'bin', 'inworld.js');
/** A WAV on stdout starts with its 44-byte streaming header; audio is anything after it. */
const WAV_HEADER_BYTES = 44;

let emulator: RunningEmulator;
let dir: string;
before(async () => {
  emulator = await startTtsEmulator();
  dir = mkdtempSync(join(tmpdir(), 'inworld-stream-idle-'));
});
after(async () => {
  await emulator.close();
  rmSync(dir, { recursive: true, force: true });
});

function start(args: string[]): ChildProcessWithoutNullStreams {
  const env: NodeJS.ProcessEnv = { PATH: process.env.PATH, HOME: dir, XDG_CONFIG_HOME: dir, NO_COLOR: '1', INWORLD_API_KEY: TEST_API_KEY };
  return spawn(process.execPath, [BIN, 'stream', '--base-url', emulator.url, ...args], { env });
}

interface Run {
  code: number | null;
  stderr: string;
}

function finish(child: ChildProcessWithoutNullStreams): Promise<Run> {
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  return new Promise((resolve) => child.on('close', (code) => resolve({ code, stderr })));
}

/** Resolves once audio (bytes past the WAV header) has come out on stdout; rejects if the child exits first. */
function audioSeen(child: ChildProcessWithoutNullStreams): Promise<void> {
  return new Promise((resolve, reject) => {
    let bytes = 0;
    child.stdout.on('data', (chunk: Buffer) => {
      bytes += chunk.length;
      if (bytes > WAV_HEADER_BYTES) resolve();
    });
    child.on('close', (code) => reject(new Error(`exited ${code} before any audio`)));
  });
}

/** The sent texts of the newest WebSocket session. */
function sentTexts(): string[] {
  const messages = emulator.requests.list().at(-1)!.messages as Array<{ send_text?: { text: string } }>;
  return messages.filter((m) => m.send_text).map((m) => m.send_text!.text.trim());
}

describe('inworld stream --idle-flush', () => {
  it('speaks a finished sentence while stdin stays open after it', { timeout: 30_000 }, async () => {
    const child = start(['-o', '-']);
    const done = finish(child);
    // No newline and no next word: only the pause tells that the sentence is over. A CLI that
    // waited for the next character would never produce audio here, and this would time out.
    child.stdin.write('This is the first sentence. ');
    await audioSeen(child);
    assert.deepEqual(sentTexts(), ['This is the first sentence.']);
    child.stdin.end('Second.');
    const result = await done;
    assert.equal(result.code, 0, result.stderr);
    assert.deepEqual(sentTexts(), ['This is the first sentence.', 'Second.']);
  });

  it('holds an ambiguous end ("Dr.") for up to --max-buffer-delay, then speaks it', { timeout: 30_000 }, async () => {
    const child = start(['-o', '-', '--idle-flush', '10', '--max-buffer-delay', '300']);
    const done = finish(child);
    child.stdin.write('Please call Dr.');
    await audioSeen(child);
    assert.deepEqual(sentTexts(), ['Please call Dr.']);
    child.stdin.end();
    const result = await done;
    assert.equal(result.code, 0, result.stderr);
  });

  it('does not split "3." and "14" that arrive within the ambiguous wait', { timeout: 30_000 }, async () => {
    const child = start(['-o', '-', '--idle-flush', '0', '--max-buffer-delay', '60000']);
    const done = finish(child);
    child.stdin.write('Pi is 3.');
    // Many idle windows pass here; the ambiguous "3." must still be held.
    await new Promise((resolve) => setTimeout(resolve, 300));
    child.stdin.write('14 or so. ');
    await audioSeen(child);
    child.stdin.end();
    const result = await done;
    assert.equal(result.code, 0, result.stderr);
    assert.deepEqual(sentTexts(), ['Pi is 3.14 or so.']);
  });

  it('refuses a bad --idle-flush with exit 2 before connecting', async () => {
    const before = emulator.requests.list().length;
    for (const value of ['-5', 'soon', '1.5']) {
      const child = start(['-o', '-', '--idle-flush', value]);
      const done = finish(child);
      child.stdin.end('Hello.');
      const result = await done;
      assert.equal(result.code, 2, `--idle-flush ${value}: ${result.stderr}`);
      assert.match(result.stderr, /--idle-flush takes a whole number/);
      assert.equal(result.stderr.trim().split('\n').length, 1, result.stderr);
    }
    assert.equal(emulator.requests.list().length, before);
  });
});
