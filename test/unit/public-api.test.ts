// The package's public surface is exactly this list: a name that appears here by accident (an
// internal helper re-exported from index.ts) or disappears fails the test. Type-only exports do
// not exist at run time; the typecheck and the generated reference cover those.
import assert from 'node:assert/strict';
import { test } from 'node:test';

const PUBLIC_RUNTIME_EXPORTS = [
  'APIError',
  'AudioDeviceError',
  'AuthenticationError',
  'BadRequestError',
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
  'TEXT_NORMALIZATION_VALUES',
  'TIMESTAMP_TYPES',
  'TTS_HTTP_ENCODINGS',
  'TTS_WS_ENCODINGS',
  'TimeoutError',
  'UserAbortError',
  'VERSION',
  'ValidationError',
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
