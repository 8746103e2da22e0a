// test/helpers/needs.ts: a test needing a missing program skips with what to install, and with
// INWORLD_TEST_REQUIRE_TOOLS set (as .ci/run does) the same run fails instead.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';

const FIXTURE = fileURLToPath(new URL('../helpers/needs-fixture.ts', import.meta.url));
const MISSING = 'inworld-test-no-such-program';

function runFixture(env: Record<string, string>): Promise<{ code: number | null; out: string }> {
  return new Promise((resolve, reject) => {
    const base = { ...process.env };
    delete base.INWORLD_TEST_REQUIRE_TOOLS;
    delete base.NODE_TEST_CONTEXT; // set for this file's own run; the child is a run of its own
    const child = spawn(process.execPath, ['--import', 'tsx', '--test', '--test-reporter=tap', FIXTURE], {
      env: { ...base, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (out += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, out }));
  });
}

const count = (out: string, name: string) => Number(new RegExp(`^# ${name} (\\d+)$`, 'm').exec(out)?.[1]);

test('a present program: the test runs', async () => {
  const { code, out } = await runFixture({ NEEDS_FIXTURE_PROGRAM: 'sh' });
  assert.equal(code, 0, out);
  assert.deepEqual([count(out, 'pass'), count(out, 'skipped'), count(out, 'fail')], [1, 0, 0], out);
});

test('a missing program: the test skips, naming the program and what to install', async () => {
  const { code, out } = await runFixture({ NEEDS_FIXTURE_PROGRAM: MISSING });
  assert.equal(code, 0, out);
  assert.deepEqual([count(out, 'pass'), count(out, 'skipped'), count(out, 'fail')], [0, 1, 0], out);
  assert.match(out, new RegExp(`# SKIP ${MISSING} not installed \\(apt-get install ${MISSING}\\)`));
});

test('a missing program with INWORLD_TEST_REQUIRE_TOOLS=1: the run fails, saying why', async () => {
  const { code, out } = await runFixture({ NEEDS_FIXTURE_PROGRAM: MISSING, INWORLD_TEST_REQUIRE_TOOLS: '1' });
  assert.equal(code, 1, out);
  assert.equal(count(out, 'fail'), 1, out);
  assert.match(out, new RegExp(`not ok \\d+ - INWORLD_TEST_REQUIRE_TOOLS is set, but ${MISSING} is not installed`));
});

test('INWORLD_TEST_REQUIRE_TOOLS=0 is off: the test skips', async () => {
  const { code, out } = await runFixture({ NEEDS_FIXTURE_PROGRAM: MISSING, INWORLD_TEST_REQUIRE_TOOLS: '0' });
  assert.equal(code, 0, out);
  assert.equal(count(out, 'skipped'), 1, out);
});
