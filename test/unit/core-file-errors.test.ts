// The one wording for file-system failures: real errors from the file system where root can cause
// them (ENOENT, ENOTDIR, EISDIR, EEXIST, ENOSPC on /dev/full), and errors shaped exactly as Node
// reports them for the codes root cannot cause here (EACCES, EROFS, EMFILE…).
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync, writeSync, closeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { ValidationError } from '../../src/core/errors.js';
import { describeFileError, fileError, FileAccessError } from '../../src/core/file-errors.js';
import { formatError } from '../../src/cli/exit.js';

const dir = mkdtempSync(join(tmpdir(), 'inworld-file-errors-'));
writeFileSync(join(dir, 'afile'), 'x');
mkdirSync(join(dir, 'adir'));
after(() => rmSync(dir, { recursive: true, force: true }));

function thrown(action: () => unknown): NodeJS.ErrnoException {
  try {
    action();
  } catch (error) {
    return error as NodeJS.ErrnoException;
  }
  throw new Error('did not throw');
}

/** An error as Node's fs reports it: "EACCES: permission denied, open 'notes.txt'". */
function nodeError(code: string, description: string, syscall: string, path: string): NodeJS.ErrnoException {
  return Object.assign(new Error(`${code}: ${description}, ${syscall} '${path}'`), { code, errno: -1, syscall, path });
}

test('real failures read as one sentence naming the path given', () => {
  const missing = join(dir, 'nodir', 'x.srt');
  assert.equal(describeFileError('write', missing, thrown(() => openSync(missing, 'w'))), `Cannot write ${missing}: no such directory ${join(dir, 'nodir')}`);
  const notes = join(dir, 'notes.txt');
  assert.equal(describeFileError('read', notes, thrown(() => readFileSync(notes))), `Cannot read ${notes}: no such file`);
  const under = join(dir, 'afile', 'x.wav');
  assert.equal(describeFileError('write', under, thrown(() => openSync(under, 'w'))), `Cannot write ${under}: ${join(dir, 'afile')} is not a directory`);
  const adir = join(dir, 'adir');
  assert.equal(describeFileError('read', adir, thrown(() => readFileSync(adir))), `Cannot read ${adir}: it is a directory`);
  const afile = join(dir, 'afile');
  assert.equal(describeFileError('write', afile, thrown(() => openSync(afile, 'wx'))), `Cannot write ${afile}: it already exists`);
  assert.equal(describeFileError('create-directory', afile, thrown(() => mkdirSync(afile))), `Cannot create directory ${afile}: a file of that name is in the way`);
  const full = openSync('/dev/full', 'w');
  try {
    assert.equal(describeFileError('write', 'out.wav', thrown(() => writeSync(full, Buffer.alloc(10)))), 'Cannot write out.wav: no space left on the device');
  } finally {
    closeSync(full);
  }
});

test('codes root cannot cause here get the same plain words, never the code or the syscall', () => {
  const cases: Array<[string, string, string]> = [
    ['EACCES', 'permission denied', 'permission denied'],
    ['EPERM', 'operation not permitted', 'operation not permitted'],
    ['EROFS', 'read-only file system', 'the file system is read-only'],
    ['EMFILE', 'too many open files', 'too many open files (see ulimit -n)'],
    ['EDQUOT', 'disk quota exceeded', 'disk quota exceeded'],
    ['ENAMETOOLONG', 'name too long', 'the name is too long'],
    ['ENOTEMPTY', 'directory not empty', 'directory not empty'],
  ];
  for (const [code, description, reason] of cases) {
    assert.equal(describeFileError('read', 'notes.txt', nodeError(code, description, 'open', 'notes.txt')), `Cannot read notes.txt: ${reason}`);
  }
});

test('before the first request a file error is a usage error; mid-way it is a failure naming the same file', () => {
  const error = nodeError('ENOSPC', 'no space left on device', 'write', '.x.srt.123-abcd.part');
  const early = fileError('write', 'x.srt', error, { beforeRequest: true });
  assert.ok(early instanceof ValidationError);
  const late = fileError('write', 'x.srt', error);
  assert.ok(late instanceof FileAccessError);
  assert.equal(late.message, 'Cannot write x.srt: no space left on the device');
  assert.doesNotMatch(late.message, /\.part|ENOSPC/);
});

test('the exit path rewrites a raw file-system error that reached it', () => {
  const missing = join(dir, 'missing.txt');
  assert.equal(formatError(thrown(() => readFileSync(missing))), `inworld: Cannot read ${missing}: no such file`);
  const under = join(dir, 'afile', 'x');
  assert.equal(formatError(thrown(() => mkdirSync(under))), `inworld: Cannot create directory ${under}: ${join(dir, 'afile')} is not a directory`);
});
