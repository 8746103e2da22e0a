// The one resolver (option > environment > config file > default) and the one config-file reader.
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { connectionSettings, resolveConnection } from '../../src/core/config.js';
import { readConfigFile, readConfigRecord } from '../../src/core/config-file.js';
import { ValidationError } from '../../src/core/errors.js';

function configFile(text: string): string {
  const path = join(mkdtempSync(join(tmpdir(), 'inworld-core-config-')), 'config.json');
  writeFileSync(path, text);
  return path;
}

describe('resolveConnection reports where each setting came from', () => {
  const path = configFile(JSON.stringify({ 'api-key': 'file-key', baseUrl: 'http://127.0.0.1:9/' }));

  test('an option wins over the environment and the file', () => {
    const resolved = resolveConnection({ apiKey: 'option-key', env: { INWORLD_API_KEY: 'env-key' }, configPath: path });
    assert.equal(resolved.apiKey, 'option-key');
    assert.deepEqual(resolved.sources.apiKey, { kind: 'option' });
    assert.deepEqual(resolved.sources.baseUrl, { kind: 'config-file', path });
  });

  test('the environment wins over the file; an empty variable does not count', () => {
    const fromEnv = resolveConnection({ env: { INWORLD_API_KEY: 'env-key', INWORLD_BASE_URL: '' }, configPath: path });
    assert.deepEqual(fromEnv.sources.apiKey, { kind: 'environment', variable: 'INWORLD_API_KEY' });
    assert.equal(fromEnv.baseUrl.href, 'http://127.0.0.1:9/');
  });

  test('the file (kebab-case keys too), then the default', () => {
    const fromFile = resolveConnection({ env: {}, configPath: path });
    assert.equal(fromFile.apiKey, 'file-key');
    assert.deepEqual(fromFile.sources.apiKey, { kind: 'config-file', path });
    const fallback = resolveConnection({ apiKey: 'k', env: {}, configPath: null });
    assert.deepEqual(fallback.sources.baseUrl, { kind: 'default' });
    assert.equal(fallback.wsUrl.href, 'wss://api.inworld.ai/');
  });

  test('connectionSettings gives the same picks without checking them (doctor reports a bad URL itself)', () => {
    const settings = connectionSettings({ env: { INWORLD_BASE_URL: 'not a url' } }, {});
    assert.equal(settings.apiKey, undefined);
    assert.deepEqual(settings.baseUrl, { value: 'not a url', source: { kind: 'environment', variable: 'INWORLD_BASE_URL' } });
    assert.throws(() => resolveConnection({ apiKey: 'k', env: { INWORLD_BASE_URL: 'not a url' }, configPath: null }), ValidationError);
  });
});

describe('the config file reader', () => {
  test('a missing or empty file is no settings', () => {
    assert.deepEqual(readConfigRecord(join(tmpdir(), 'inworld-no-such-dir', 'config.json')), {});
    assert.deepEqual(readConfigRecord(configFile('  \n')), {});
  });

  test('keeps every stored field; the normalised view adds camelCase connection keys', () => {
    const path = configFile(JSON.stringify({ 'ws-url': 'ws://127.0.0.1:9/', voice: 'Dennis', extra: 1 }));
    assert.deepEqual(readConfigRecord(path), { 'ws-url': 'ws://127.0.0.1:9/', voice: 'Dennis', extra: 1 });
    const file = readConfigFile(path);
    assert.equal(file.wsUrl, 'ws://127.0.0.1:9/');
    assert.equal(file.voice, 'Dennis');
  });

  test('broken JSON or a non-object is a ValidationError naming the file and the fix', () => {
    for (const text of ['{ "voice": ', '[1]', 'null']) {
      const path = configFile(text);
      assert.throws(() => readConfigRecord(path), (error: unknown) => error instanceof ValidationError && error.message.includes(path) && /fix or delete it/.test(error.message));
    }
  });
});
