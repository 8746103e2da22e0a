// Empty input means the same in `say` and `stream`: exit 2, one line "Nothing to speak" with the
// fix, no text sent and no output file left behind.
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, beforeEach, describe, test } from 'node:test';
import { startEmulator, type RunningEmulator } from '../../src/emulator/index.js';
import { cleanEnv, runCli } from '../helpers/cli.js';

let emulator: RunningEmulator;
let dir: string;

function env() {
  return cleanEnv({ INWORLD_API_KEY: 'ZW1wdHk6aW5wdXQ=', INWORLD_BASE_URL: emulator.url, INWORLD_WS_URL: emulator.wsUrl });
}

/** Text that reached the server: an HTTP body's text or a WebSocket send_text. */
function textSent(): string[] {
  const texts: string[] = [];
  for (const request of emulator.requests.list()) {
    if (request.protocol === 'http' && typeof (request.body as { text?: unknown })?.text === 'string') texts.push((request.body as { text: string }).text);
    for (const message of (request.messages ?? []) as Array<Record<string, any>>) {
      const text = message?.send_text?.text ?? message?.sendText?.text;
      if (typeof text === 'string') texts.push(text);
    }
  }
  return texts;
}

before(async () => {
  emulator = await startEmulator({ port: 0, host: '127.0.0.1', quiet: true, engine: 'synthetic' });
  dir = mkdtempSync(join(tmpdir(), 'inworld-empty-'));
  writeFileSync(join(dir, 'empty.txt'), '');
  writeFileSync(join(dir, 'blank.txt'), ' \n\t\n  ');
});
after(async () => {
  await emulator.close();
  rmSync(dir, { recursive: true, force: true });
});
beforeEach(() => emulator.requests.clear());

type Case = [name: string, args: string[], input: string | undefined];

const SAY_CASES: Case[] = [
  ['empty arguments', ['say', '', '  '], undefined],
  ['an empty file', ['say', '-f', '@/empty.txt'], undefined],
  ['a whitespace-only file', ['say', '-f', '@/blank.txt'], undefined],
  ['empty standard input', ['say'], ''],
  ['whitespace-only standard input', ['say', '-'], ' \n \t\n'],
];
const STREAM_CASES: Case[] = [
  ['an empty file', ['stream', '-f', '@/empty.txt'], undefined],
  ['a whitespace-only file', ['stream', '-f', '@/blank.txt'], undefined],
  ['empty standard input', ['stream'], ''],
  ['whitespace-only standard input', ['stream'], ' \n \t\n'],
];

for (const [command, cases, fix] of [
  ['say', SAY_CASES, /Give the text as arguments, with -f <file>, or on standard input/],
  ['stream', STREAM_CASES, /Give the text on standard input or with -f <file>/],
] as const) {
  describe(`${command}: nothing to speak`, () => {
    for (const [name, args, input] of cases) {
      test(`${name}: exit 2, one line with the fix, nothing sent or written`, async () => {
        const out = join(dir, `${command}-${name.replace(/\W+/g, '-')}.wav`);
        const argv = [...args.map((arg) => arg.replace('@', dir)), '-o', out];
        const result = await runCli(argv, { env: env(), input });
        assert.equal(result.code, 2, result.stderr);
        assert.match(result.stderr, /^inworld: Nothing to speak: /);
        assert.match(result.stderr, fix);
        assert.equal(result.stderr.trim().split('\n').length, 1, `one line: ${result.stderr}`);
        assert.deepEqual(textSent(), [], 'no text reached the server');
        assert.equal(existsSync(out), false, 'no output file');
      });
    }
  });
}

test('stream: punctuation alone is nothing to speak as well', async () => {
  const result = await runCli(['stream', '-o', '-'], { env: env(), input: '... — !\n' });
  assert.equal(result.code, 2, result.stderr);
  assert.match(result.stderr, /Nothing to speak: standard input has no words/);
  assert.equal(result.stdout.length, 0);
});
