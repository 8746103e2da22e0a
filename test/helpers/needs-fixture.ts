// A test file for test/unit/needs-helper.test.ts to run in a child `node --test`: one test that
// needs the program named by NEEDS_FIXTURE_PROGRAM. (Not named *.test.ts: npm test skips it.)
import { test } from 'node:test';
import { needs } from './needs.js';

test('uses the program', { skip: needs(process.env.NEEDS_FIXTURE_PROGRAM ?? 'sh') }, () => {});
