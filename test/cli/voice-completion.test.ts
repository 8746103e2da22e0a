// Shell completion of --voice offers the user's own voices: the ids `inworld voices` (and a
// verified `inworld login`) cache, which an emulator's voice list never replaces.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, beforeEach, test } from 'node:test';
import { startEmulator, type RunningEmulator } from '../../src/emulator/index.js';
import { cleanEnv, runCli } from '../helpers/cli.js';
import { needs } from '../helpers/needs.js';

const KEY = 'dm9pY2UtY29tcGxldGlvbjprZXk=';
/** A cloned voice as the Voice API names it: only the user's own account has it. */
const OWN_VOICE = 'my-workspace__grandma_reading';

const COMPLETIONS = new URL('../../completions/', import.meta.url).pathname;

let emulator: RunningEmulator;
let root: string;
let home: string;
let cachePath: string;

function env(extra: Record<string, string | undefined> = {}): Record<string, string> {
  return cleanEnv({ XDG_CONFIG_HOME: join(home, 'config'), XDG_CACHE_HOME: join(home, 'cache'), ...extra });
}

function seedCache(ids: string[]): void {
  mkdirSync(join(home, 'cache', 'inworld'), { recursive: true });
  writeFileSync(cachePath, `${ids.join('\n')}\n`);
}

function bashComplete(line: string): string[] {
  const words = line.split(' ');
  const script = `source ${COMPLETIONS}inworld.bash; COMP_WORDS=(${words.map((w) => `'${w}'`).join(' ')}); COMP_CWORD=${words.length - 1}; _inworld; printf '%s\\n' "\${COMPREPLY[@]}"`;
  return execFileSync('bash', ['-c', script], { encoding: 'utf8', env: env() }).split('\n').filter(Boolean);
}

before(async () => {
  emulator = await startEmulator({ port: 0, engine: 'synthetic', quiet: true });
  root = mkdtempSync(join(tmpdir(), 'inworld-voice-completion-'));
});
after(async () => {
  await emulator.close();
  rmSync(root, { recursive: true, force: true });
});
beforeEach(() => {
  home = mkdtempSync(join(root, 'home-'));
  cachePath = join(home, 'cache', 'inworld', 'voice-ids');
});

test('inworld voices caches every id; bash completes --voice from it', { skip: needs('bash') }, async () => {
  const result = await runCli(['voices', '--json'], { env: env({ INWORLD_API_KEY: KEY, INWORLD_BASE_URL: emulator.url }) });
  assert.equal(result.code, 0, result.stderr);
  const ids = (JSON.parse(result.stdout.toString()) as Array<{ id: string }>).map((voice) => voice.id);
  assert.deepEqual(readFileSync(cachePath, 'utf8').trim().split('\n'), ids);
  assert.deepEqual(bashComplete('inworld say --voice Ash'), ['Ashley']);
});

test('`voices --emulator` leaves the cached own voices alone, and completion still offers them', { skip: needs('bash') }, async () => {
  seedCache(['Ashley', 'Dennis', OWN_VOICE]);
  const before = readFileSync(cachePath, 'utf8');
  for (const extra of [{}, { INWORLD_EMULATOR: '1' }]) {
    const result = await runCli(extra.INWORLD_EMULATOR ? ['voices'] : ['voices', '--emulator'], { env: env(extra) });
    assert.equal(result.code, 0, result.stderr);
    assert.equal(readFileSync(cachePath, 'utf8'), before, 'the emulator list did not replace the cache');
  }
  assert.deepEqual(bashComplete('inworld say --voice my-'), [OWN_VOICE]);
  assert.deepEqual(bashComplete('inworld stream --voice my-'), [OWN_VOICE]);
  assert.deepEqual(bashComplete('inworld voices --preview my-'), [OWN_VOICE]);
});

test('fish completes --voice from the same cache', { skip: needs('fish') }, () => {
  seedCache(['Ashley', OWN_VOICE]);
  const out = execFileSync('fish', ['-c', `source ${COMPLETIONS}inworld.fish; complete -C 'inworld say --voice my-'`], { encoding: 'utf8', env: env() });
  assert.deepEqual(out.split('\n').filter(Boolean).map((line) => line.split('\t')[0]), [OWN_VOICE]);
});

test('zsh completes --voice from the same cache', { skip: needs('zsh') }, () => {
  seedCache(['Ashley', OWN_VOICE]);
  // _describe is zsh's completion builtin; standing in for it prints the candidates offered.
  const script = `source ${COMPLETIONS}_inworld >/dev/null 2>&1; _describe() { print -l -- \${(P)2} }; _inworld_voice_ids`;
  const out = execFileSync('zsh', ['-c', script], { encoding: 'utf8', env: env() });
  assert.deepEqual(out.split('\n').filter(Boolean), ['Ashley', OWN_VOICE]);
});

test('a verified `inworld login` caches the key\'s voices; `login --emulator` does not', async () => {
  const login = await runCli(['login'], { env: env({ INWORLD_BASE_URL: emulator.url }), input: KEY });
  assert.equal(login.code, 0, login.stderr);
  assert.ok(readFileSync(cachePath, 'utf8').split('\n').includes('Ashley'));
  seedCache([OWN_VOICE]);
  const rehearsal = await runCli(['login', '--emulator'], { env: env(), input: KEY });
  assert.equal(rehearsal.code, 0, rehearsal.stderr);
  assert.equal(readFileSync(cachePath, 'utf8'), `${OWN_VOICE}\n`);
});

test('the voice subcommands complete their voice id and their own flags (bash, fish)', { skip: needs('bash', 'fish') }, () => {
  seedCache(['Ashley', OWN_VOICE]);
  for (const sub of ['show', 'update', 'delete']) assert.deepEqual(bashComplete(`inworld voices ${sub} my-`), [OWN_VOICE], sub);
  assert.deepEqual(bashComplete('inworld voices clone --remove-b'), ['--remove-background-noise']);
  assert.deepEqual(bashComplete('inworld voices --gender f'), ['female']);
  assert.ok(bashComplete('inworld voices ').includes('design'));
  const fish = execFileSync('fish', ['-c', `source ${COMPLETIONS}inworld.fish; complete -C 'inworld voices delete my-'`], { encoding: 'utf8', env: env() });
  assert.deepEqual(fish.split('\n').filter(Boolean).map((line) => line.split('\t')[0]), [OWN_VOICE]);
});
