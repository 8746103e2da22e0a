// The one atomic-output module: files appear complete or not at all, a link is kept, failures name
// the user's path (never the `.part`), and temporary files are removed when the process exits.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { lstatSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, readlinkSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { ValidationError } from '../../src/core/errors.js';
import { FileAccessError } from '../../src/core/file-errors.js';
import { AtomicFile, tempNameBeside, writeFileAtomically } from '../../src/core/atomic-file.js';

const dir = mkdtempSync(join(tmpdir(), 'inworld-atomic-'));
after(() => rmSync(dir, { recursive: true, force: true }));

const parts = (where: string) => readdirSync(where).filter((name) => name.endsWith('.part'));

test('the file exists only under its temporary name until commit, then only under its own', async () => {
  const path = join(dir, 'a.txt');
  const file = await AtomicFile.create(path);
  await file.handle.writeFile('hello');
  assert.deepEqual(readdirSync(dir).filter((name) => name.includes('a.txt')), [file.tempPath.slice(dir.length + 1)]);
  assert.match(file.tempPath, /\/\.a\.txt\.\d+-[0-9a-f]{8}\.part$/);
  await file.commit();
  assert.equal(readFileSync(path, 'utf8'), 'hello');
  assert.deepEqual(parts(dir), []);
});

test('discard leaves nothing; writeFileAtomically sets the mode exactly whatever the umask', async () => {
  const file = await AtomicFile.create(join(dir, 'dropped.txt'));
  await file.discard();
  assert.deepEqual(readdirSync(dir).filter((name) => name.includes('dropped')), []);
  const previous = process.umask(0o077);
  try {
    await writeFileAtomically(join(dir, 'open.json'), '{}', { mode: 0o644 });
  } finally {
    process.umask(previous);
  }
  assert.equal(statSync(join(dir, 'open.json')).mode & 0o777, 0o644);
});

test('through a symbolic link the target is replaced and the link kept', async () => {
  mkdirSync(join(dir, 'real'));
  writeFileSync(join(dir, 'real', 'config.json'), 'old');
  symlinkSync(join(dir, 'real', 'config.json'), join(dir, 'link.json'));
  const written = await writeFileAtomically(join(dir, 'link.json'), 'new');
  assert.ok(lstatSync(join(dir, 'link.json')).isSymbolicLink());
  assert.equal(readlinkSync(join(dir, 'link.json')), join(dir, 'real', 'config.json'));
  assert.equal(readFileSync(join(dir, 'real', 'config.json'), 'utf8'), 'new');
  assert.equal(written, join(dir, 'real', 'config.json'));
});

test('failures name the path asked for, never the temporary one, and leave no .part', async () => {
  const missing = join(dir, 'nodir', 'x.srt');
  await assert.rejects(AtomicFile.create(missing), (error: Error) => {
    assert.ok(error instanceof ValidationError, 'creating is checked before any request: a usage error');
    assert.equal(error.message, `Cannot write ${missing}: no such directory ${join(dir, 'nodir')}`);
    return true;
  });
  await assert.rejects(writeFileAtomically(missing, 'x', { usageErrors: 'none' }), (error: Error) => {
    assert.ok(error instanceof FileAccessError && !(error instanceof ValidationError), 'a file created mid-run fails as a failure');
    return true;
  });
  // The directory goes away between create and commit: the rename fails.
  mkdirSync(join(dir, 'gone'));
  const path = join(dir, 'gone', 'late.wav');
  const file = await AtomicFile.create(path);
  rmSync(join(dir, 'gone'), { recursive: true });
  await assert.rejects(file.commit(), (error: Error) => {
    assert.ok(error instanceof FileAccessError);
    assert.match(error.message, new RegExp(`^Cannot write ${path.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: `));
    assert.doesNotMatch(error.message, /\.part/);
    return true;
  });
});

test('a process that exits before committing leaves no temporary file', () => {
  const where = join(dir, 'exiting');
  mkdirSync(where);
  const module = fileURLToPath(new URL('../../src/core/atomic-file.ts', import.meta.url));
  const script = `
    const { readdirSync } = await import('node:fs');
    const { AtomicFile } = await import(${JSON.stringify(module)});
    const file = await AtomicFile.create(${JSON.stringify(join(where, 'out.wav'))});
    await file.handle.writeFile('half');
    console.log(readdirSync(${JSON.stringify(where)}).length);
    process.exit(0);
  `;
  const seen = execFileSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { encoding: 'utf8' });
  assert.equal(seen.trim(), '1', 'the temporary file existed while the process ran');
  assert.deepEqual(readdirSync(where), []);
});

test('temporary names are hidden, beside the target, and differ each time', () => {
  const a = tempNameBeside(join(dir, 'x.wav'));
  assert.notEqual(a, tempNameBeside(join(dir, 'x.wav')));
  assert.ok(a.startsWith(join(dir, '.x.wav.')) && a.endsWith('.part'));
});
