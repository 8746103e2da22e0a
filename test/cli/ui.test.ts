// The terminal module decides colour once for every command, and every human-facing stderr line
// of the CLI goes through it.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { colorLevel, painter } from '../../src/cli/ui.js';

describe('colorLevel: one precedence for every command', () => {
  test('terminals, NO_COLOR, FORCE_COLOR, TERM=dumb', () => {
    assert.equal(colorLevel({}, true, true), 1);
    assert.equal(colorLevel({}, true, false), 0, 'the report is on stdout: a pipe gets no colour');
    assert.equal(colorLevel({}, false, true), 0, 'decided from stderr too');
    assert.equal(colorLevel({ NO_COLOR: '1' }, true, true), 0);
    assert.equal(colorLevel({ NO_COLOR: '' }, true, true), 1, 'an empty NO_COLOR does not count');
    assert.equal(colorLevel({ TERM: 'dumb' }, true, true), 0);
    assert.equal(colorLevel({ FORCE_COLOR: '3' }, false, false), 3);
    assert.equal(colorLevel({ FORCE_COLOR: '0' }, true, true), 0);
    assert.equal(colorLevel({ FORCE_COLOR: 'false' }, true, true), 0);
    assert.equal(colorLevel({ FORCE_COLOR: '' }, false, false), 1);
  });

  test('FORCE_COLOR wins over NO_COLOR and TERM=dumb; stderr alone decides by default', () => {
    assert.equal(colorLevel({ FORCE_COLOR: '1', NO_COLOR: '1' }, false), 1);
    assert.equal(colorLevel({ FORCE_COLOR: '2', TERM: 'dumb' }, false), 2);
    assert.equal(colorLevel({ FORCE_COLOR: '9' }, false), 3, 'clamped to the highest level');
    assert.equal(colorLevel({}, true), 1);
    assert.equal(colorLevel({}, false), 0);
  });

  test('level 0 paints plain text; a level paints escape codes', async () => {
    assert.equal((await painter(0)).green('ok'), 'ok');
    assert.match((await painter(1)).green('ok'), /\u001b\[32mok\u001b\[39m/);
  });
});

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile() && entry.name.endsWith('.ts'))
    .map((entry) => join(entry.parentPath, entry.name));
}

describe('one way to stderr', () => {
  test('the CLI writes to stderr only through ui.ts', () => {
    const offenders = sourceFiles('src/cli')
      .filter((file) => !file.endsWith(join('cli', 'ui.ts')))
      .flatMap((file) =>
        readFileSync(file, 'utf8')
          .split('\n')
          .map((line, index) => ({ file, line: index + 1, text: line }))
          .filter(({ text }) => text.includes('process.stderr.write')),
      );
    assert.deepEqual(offenders.map(({ file, line }) => `${file}:${line}`), []);
  });

  test('the library never writes to stderr (the CLI does, through ui.ts)', () => {
    const offenders = ['src/core', 'src/tts', 'src/stt', 'src/voices', 'src/resources']
      .flatMap(sourceFiles)
      .filter((file) => readFileSync(file, 'utf8').includes('process.stderr'));
    assert.deepEqual(offenders, []);
  });
});
