// `inworld serve` as users run it: the base URL on the first stdout line, a request answered,
// Ctrl-C stopping it; and the refusal to listen off loopback without a token (exit 2).
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { describe, it } from 'node:test';
import { BIN, cleanEnv, runCli } from '../helpers/cli.js';

describe('inworld serve', () => {
  it('prints its base URL first, answers, and stops on SIGINT', async () => {
    const child = spawn(process.execPath, [BIN, 'serve', '--emulator', '--port', '0'], { env: cleanEnv(), stdio: ['ignore', 'pipe', 'pipe'] });
    try {
      let stdout = '';
      child.stdout.setEncoding('utf8');
      while (!stdout.includes('\n')) {
        const [chunk] = (await once(child.stdout, 'data')) as [string];
        stdout += chunk;
      }
      const url = stdout.split('\n')[0]!;
      assert.match(url, /^http:\/\/127\.0\.0\.1:\d+\/v1$/);
      const response = await fetch(`${url}/audio/speech`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ model: 'tts-1', voice: 'alloy', input: 'Hi.', response_format: 'wav' }) });
      assert.equal(response.status, 200);
      assert.equal(Buffer.from(await response.arrayBuffer()).subarray(0, 4).toString(), 'RIFF');
      child.kill('SIGINT');
      const [code] = (await once(child, 'exit')) as [number];
      assert.equal(code, 130);
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL');
    }
  });

  it('refuses another address without --token, before listening', async () => {
    const result = await runCli(['serve', '--emulator', '--host', '0.0.0.0', '--port', '0']);
    assert.equal(result.code, 2);
    assert.match(result.stderr, /refusing to listen on 0\.0\.0\.0 without an access token/);
    assert.equal(result.stdout.length, 0);
  });

  it('refuses a voice map that is not JSON', async () => {
    const result = await runCli(['serve', '--emulator', '--port', '0', '--voice-map', '/nonexistent/map.json']);
    assert.equal(result.code, 2);
    assert.match(result.stderr, /cannot read the voice map/);
  });
});
