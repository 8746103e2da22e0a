// The package's public surface is exactly this list: a name that appears here by accident (an
// internal helper re-exported from index.ts) or disappears fails the test. Type-only exports do
// not exist at run time; the typecheck and the generated reference cover those.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { test } from 'node:test';

const PUBLIC_RUNTIME_EXPORTS = [
  'APIError',
  'ASYNC_MAX_TEXT_CHARS',
  'ASYNC_ON_DEMAND_MAX_TEXT_CHARS',
  'AudioDeviceError',
  'AuthenticationError',
  'BadRequestError',
  'CloneTimeoutError',
  'ConnectionError',
  'DELIVERY_MODES',
  'END_TURN',
  'GrpcCode',
  'Inworld',
  'InworldError',
  'NotFoundError',
  'PermissionDeniedError',
  'ProtocolError',
  'RateLimitError',
  'ServerError',
  'SignedUrlExpiredError',
  'StaleEtagError',
  'TEXT_NORMALIZATION_VALUES',
  'TIMESTAMP_TYPES',
  'TTS_MODELS',
  'TTS_HTTP_ENCODINGS',
  'TTS_WS_ENCODINGS',
  'TimeoutError',
  'UserAbortError',
  'VERSION',
  'ValidationError',
  'liveSentences',
];

test('dist/index.js exports exactly the public names', async () => {
  const api = await import('../../dist/index.js');
  assert.deepEqual(Object.keys(api).sort(), [...PUBLIC_RUNTIME_EXPORTS].sort());
});

test('every exported error is an InworldError subclass', async () => {
  const api = (await import('../../dist/index.js')) as Record<string, unknown>;
  const errors = PUBLIC_RUNTIME_EXPORTS.filter((name) => name.endsWith('Error'));
  for (const name of errors) {
    const ErrorClass = api[name] as { prototype: unknown };
    assert.ok(ErrorClass.prototype instanceof (api.InworldError as typeof Error) || name === 'InworldError', name);
    assert.ok(ErrorClass.prototype instanceof Error, name);
  }
});

/** Runs `body` in a fresh Node after importing dist/index.js; returns the npm packages it loaded. */
function packagesLoaded(body: string): string[] {
  const hook = `export async function resolve(specifier, context, next) {
    const result = await next(specifier, context);
    const match = /\\/node_modules\\/((?:@[^/]+\\/)?[^/]+)\\//.exec(result.url);
    if (match) process.stderr.write('package ' + match[1] + '\\n');
    return result;
  }`;
  const script = `import { register } from 'node:module';
    register('data:text/javascript,' + encodeURIComponent(${JSON.stringify(hook)}));
    const { Inworld } = await import(${JSON.stringify(new URL('../../dist/index.js', import.meta.url).href)});
    ${body}`;
  const child = spawnSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8' });
  assert.equal(child.status, 0, child.stderr);
  return [...new Set([...child.stderr.matchAll(/^package (\S+)$/gm)].map((match) => match[1]!))].sort();
}

test('importing the library and constructing a client loads no npm package', () => {
  assert.deepEqual(packagesLoaded(`new Inworld({ apiKey: 'k', env: {}, configPath: null });`), []);
});

test('the WebSocket module loads once the pool is first used', () => {
  const loaded = packagesLoaded(`const inworld = new Inworld({ apiKey: 'k', env: {}, configPath: null });
    await inworld.tts.pool.warm(0);
    await inworld.close();`);
  assert.deepEqual(loaded, ['ws']);
});
