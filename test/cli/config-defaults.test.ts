// The config file's voice/model/language fill in for say/stream flags the user did not type.
// Uses the real synthesis flags on a real commander Command, so "not typed" means what commander says.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeEach, describe, test } from 'node:test';
import { Command } from 'commander';
import { applyConfigDefaults } from '../../src/cli/setup/config-defaults.js';
import { DEFAULT_MODEL, DEFAULT_VOICE, addSynthesisFlags, type SynthesisFlags } from '../../src/cli/synthesis/synthesis-flags.js';
import { ValidationError } from '../../src/core/errors.js';

let configPath: string;

function writeConfig(value: unknown): void {
  writeFileSync(configPath, typeof value === 'string' ? value : JSON.stringify(value), { mode: 0o600 });
}

/** Parses argv like `inworld say` would and applies the config defaults the way say's action will. */
function parse(args: string[]): SynthesisFlags {
  const command = addSynthesisFlags(new Command('say').exitOverride());
  command.parse(args, { from: 'user' });
  return applyConfigDefaults(command.opts<SynthesisFlags>(), command, configPath);
}

beforeEach(() => {
  const dir = mkdtempSync(join(tmpdir(), 'inworld-defaults-'));
  mkdirSync(join(dir, 'inworld'));
  configPath = join(dir, 'inworld', 'config.json');
});

describe('applyConfigDefaults', () => {
  test('no config file: the built-in defaults stay', () => {
    const flags = parse([]);
    assert.equal(flags.voice, DEFAULT_VOICE);
    assert.equal(flags.model, DEFAULT_MODEL);
    assert.equal(flags.language, undefined);
  });

  test('the file fills in voice, model and language the user did not type', () => {
    writeConfig({ voice: 'Dennis', model: 'inworld-tts-1.5-mini', language: 'ja_JP', apiKey: 'unrelated' });
    const flags = parse([]);
    assert.equal(flags.voice, 'Dennis');
    assert.equal(flags.model, 'inworld-tts-1.5-mini');
    assert.equal(flags.language, 'ja-JP');
  });

  test('a flag on the command line wins over the file, even when it equals the built-in default', () => {
    writeConfig({ voice: 'Dennis', model: 'inworld-tts-1.5-mini', language: 'ja-JP' });
    const flags = parse(['--voice', DEFAULT_VOICE, '--language', 'en-US']);
    assert.equal(flags.voice, DEFAULT_VOICE);
    assert.equal(flags.model, 'inworld-tts-1.5-mini');
    assert.equal(flags.language, 'en-US');
  });

  test('keys the file does not set leave the defaults alone', () => {
    writeConfig({ model: 'inworld-tts-1.5-mini' });
    const flags = parse([]);
    assert.equal(flags.voice, DEFAULT_VOICE);
    assert.equal(flags.model, 'inworld-tts-1.5-mini');
  });

  test('a bad value in the file is a ValidationError naming the file and the fix', () => {
    writeConfig({ language: 'not a language' });
    assert.throws(() => parse([]), (error: unknown) => {
      assert.ok(error instanceof ValidationError);
      assert.ok(error.message.includes(configPath));
      assert.match(error.message, /inworld config set language/);
      return true;
    });
    writeConfig({ voice: 42 });
    assert.throws(() => parse([]), ValidationError);
  });

  test('the file is not read when every flag was typed (a broken file does not matter then)', () => {
    writeConfig('{ broken');
    const flags = parse(['--voice', 'Alex', '--model', 'm', '--language', 'fr-FR']);
    assert.equal(flags.voice, 'Alex');
    assert.throws(() => parse([]), ValidationError);
  });
});

describe('say with config defaults, end to end', () => {
  test('say sends the voice and model from the config file; a typed --voice still wins', async () => {
    const { startEmulator } = await import('../../src/emulator/index.js');
    const { cleanEnv, runCli } = await import('../helpers/cli.js');
    const emulator = await startEmulator({ port: 0, engine: 'synthetic' });
    try {
      const home = join(configPath, '..', '..');
      writeConfig({ voice: 'Dennis', model: 'inworld-tts-1.5-mini' });
      const out = join(home, 'out.wav');
      const result = await runCli(['say', 'Hello.', '-o', out], {
        env: cleanEnv({ XDG_CONFIG_HOME: home, INWORLD_API_KEY: 'defaults-test-key', INWORLD_BASE_URL: emulator.url }),
      });
      assert.equal(result.code, 0, result.stderr);
      const body = emulator.requests.find('/tts/v1/voice:stream')[0]?.body as Record<string, unknown>;
      assert.equal(body.voiceId, 'Dennis');
      assert.equal(body.modelId, 'inworld-tts-1.5-mini');
      emulator.requests.clear();
      const typed = await runCli(['say', 'Hello.', '-o', out, '--voice', 'Ashley'], {
        env: cleanEnv({ XDG_CONFIG_HOME: home, INWORLD_API_KEY: 'defaults-test-key', INWORLD_BASE_URL: emulator.url }),
      });
      assert.equal(typed.code, 0, typed.stderr);
      const typedBody = emulator.requests.find('/tts/v1/voice:stream')[0]?.body as Record<string, unknown>;
      assert.equal(typedBody.voiceId, 'Ashley');
      assert.equal(typedBody.modelId, 'inworld-tts-1.5-mini');
    } finally {
      await emulator.close();
    }
  });

  test('stream sends the voice and language from the config file', async () => {
    const { startEmulator } = await import('../../src/emulator/index.js');
    const { cleanEnv, runCli } = await import('../helpers/cli.js');
    const emulator = await startEmulator({ port: 0, engine: 'synthetic' });
    try {
      const home = join(configPath, '..', '..');
      writeConfig({ voice: 'Dennis', language: 'en-GB' });
      const result = await runCli(['stream', '-o', join(home, 'out.wav')], {
        env: cleanEnv({ XDG_CONFIG_HOME: home, INWORLD_API_KEY: 'defaults-test-key', INWORLD_BASE_URL: emulator.url, INWORLD_WS_URL: emulator.wsUrl }),
        input: 'Hello there.\n',
      });
      assert.equal(result.code, 0, result.stderr);
      const sent = JSON.stringify(emulator.requests.find('/tts/v1/voice:streamBidirectional').flatMap((request) => request.messages ?? []));
      assert.match(sent, /"voiceId":"Dennis"/);
      assert.match(sent, /en-GB/);
    } finally {
      await emulator.close();
    }
  });
});
