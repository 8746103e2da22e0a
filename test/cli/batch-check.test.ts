// `say --batch` checks the whole batch file before any request: a bad line is exit 2 with one line
// naming the file, the line and the column (or the field), and the emulator sees nothing.
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, beforeEach, describe, test } from 'node:test';
import { startEmulator, type RunningEmulator } from '../../src/emulator/index.js';
import { cleanEnv, runCli } from '../helpers/cli.js';

let emulator: RunningEmulator;
let dir: string;

function env() {
  return cleanEnv({ INWORLD_API_KEY: 'YmF0Y2g6Y2hlY2s=', INWORLD_BASE_URL: emulator.url, INWORLD_WS_URL: emulator.wsUrl });
}

before(async () => {
  emulator = await startEmulator({ port: 0, host: '127.0.0.1', quiet: true, engine: 'synthetic' });
  dir = mkdtempSync(join(tmpdir(), 'inworld-batch-check-'));
});
after(async () => {
  await emulator.close();
  rmSync(dir, { recursive: true, force: true });
});
beforeEach(() => {
  emulator.requests.clear();
  emulator.faults.clear();
});

/** Good lines first, so a runner that starts before checking would send them. */
const GOOD = ['First line.', '{"text":"Second, by Dennis.","voice":"Dennis"}', 'Third line.'];

const cases: Array<[name: string, bad: string, message: RegExp]> = [
  ['broken JSON: line and column of the fault', '{"text":"x","voice":"Dennis",}', /lines\.txt, line 4, column 30: .*not valid JSON: Expected double-quoted property name\.$/],
  ['JSON cut short: the column just past the end of the line', '  {"text":"x"', /line 4, column 14: .*not valid JSON/],
  ['a bad token (no position in the message): its column', '{"text":"x","voice":tru}', /line 4, column 24: .*not valid JSON: Unexpected token '\}'\.$/],
  ['a value out of range: the field and its column', '{"text":"x","speakingRate":3}', /line 4, column 13: "speakingRate": Speaking rate must be from 0\.5 to 1\.5 \(got 3\)\.$/],
  ['a value of the wrong type', '{"text":"x","temperature":"hot"}', /line 4, column 13: "temperature" must be a number, not "hot"\./],
  ['an unknown enum value', '{"text":"x","deliveryMode":"FAST"}', /line 4, column 13: "deliveryMode": Delivery mode must be one of STABLE, BALANCED, CREATIVE/],
  ['a language that is not BCP-47', '{"text":"x","language":"english"}', /line 4, column 13: "language": Language must be a BCP-47 code/],
  ['a misspelt field is not silently ignored', '{"text":"x","speakingrate":1.2}', /line 4, column 13: unknown field "speakingrate"/],
  ['no text', '{"voice":"Dennis"}', /line 4: a JSON line needs a non-empty "text"/],
  ['a bad name', '{"text":"x","name":"../up"}', /line 4, column 13: "name" may hold only/],
  ['a name used twice', '{"text":"x","name":"a"}\n{"text":"y","name":"a"}', /line 5: "name" a is also the name of line 4/],
  ['a name that is an earlier line\'s file name', '{"text":"x","name":"0001"}', /line 4: "name" 0001 is the file name line 1 already gets/],
  ['a binary line', 'abc\0def', /line 4, column 4: the line looks binary/],
];

describe('say --batch: a bad line stops the command before any request', () => {
  for (const [name, bad, message] of cases) {
    test(name, async () => {
      const file = join(dir, 'lines.txt');
      // The bad line sits after the good ones and is followed by a long tail: all of it is read first.
      writeFileSync(file, [...GOOD, bad, ...Array.from({ length: 2000 }, (_, i) => `Tail line ${i}.`)].join('\n'));
      const outDir = join(dir, `out-${name.replace(/\W+/g, '-')}`);
      const result = await runCli(['say', '--batch', file, '--out-dir', outDir], { env: env() });
      assert.equal(result.code, 2, result.stderr);
      assert.match(result.stderr.trim(), message);
      assert.equal(result.stderr.trim().split('\n').length, 1, `one line: ${result.stderr}`);
      assert.deepEqual(emulator.requests.list(), [], 'no request, not even a WebSocket handshake');
      assert.ok(!existsSync(outDir) || readdirSync(outDir).length === 0, 'no file written');
    });
  }

  test('bad flags are reported once, before the lines', async () => {
    const file = join(dir, 'flags.txt');
    writeFileSync(file, GOOD.join('\n'));
    const result = await runCli(['say', '--batch', file, '--out-dir', join(dir, 'out-flags'), '--bit-rate', '64000'], { env: env() });
    assert.equal(result.code, 2, result.stderr);
    assert.match(result.stderr, /Bit rate applies only to MP3 and OGG_OPUS/);
    assert.equal(result.stderr.trim().split('\n').length, 1, result.stderr);
    assert.deepEqual(emulator.requests.list(), []);
  });

  test('a file with only blank lines is nothing to speak', async () => {
    const file = join(dir, 'blank.txt');
    writeFileSync(file, '\n  \n\n');
    const result = await runCli(['say', '--batch', file, '--out-dir', join(dir, 'out-blank')], { env: env() });
    assert.equal(result.code, 2, result.stderr);
    assert.match(result.stderr, /Nothing to speak: the batch file .* has no lines/);
    assert.deepEqual(emulator.requests.list(), []);
    assert.equal(existsSync(join(dir, 'out-blank')), false, 'no output directory made');
  });
});

describe('say --batch: the retry hint only where a retry can help', () => {
  test('an unknown voice on a line: no "run again" advice', async () => {
    const file = join(dir, 'voice.txt');
    writeFileSync(file, ['Fine line.', '{"text":"x","voice":"Nobody"}'].join('\n'));
    const result = await runCli(['say', '--batch', file, '--out-dir', join(dir, 'out-voice')], { env: env() });
    assert.equal(result.code, 1, result.stderr);
    assert.match(result.stderr, /line 2 failed .*Unknown voice/);
    assert.match(result.stderr, /1 of 2 lines failed\. Fix those lines; a re-run skips the files already written$/m);
    assert.doesNotMatch(result.stderr, /Run the same command again/);
  });

  test('a server fault on a line: "run again" retries it', async () => {
    const file = join(dir, 'fault.txt');
    writeFileSync(file, 'Only line.');
    emulator.faults.add({ protocol: 'ws', action: { type: 'status', status: 503, message: 'overloaded' } });
    const result = await runCli(['say', '--batch', file, '--out-dir', join(dir, 'out-fault'), '--retries', '0'], { env: env() });
    assert.equal(result.code, 1, result.stderr);
    assert.match(result.stderr, /Run the same command again to retry only those lines/);
  });
});
