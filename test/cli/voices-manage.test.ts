// `inworld voices …` run as users run it (bin/inworld.js in a child process) against an emulator
// on loopback: each command's request and output, bad input refused with exit 2 and nothing sent,
// refusals by the service (403, 404, 409, 429) with exit 1 and what to do.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, beforeEach, test } from 'node:test';
import { startEmulator, type RunningEmulator } from '../../src/emulator/index.js';
import { cleanEnv, runCli } from '../helpers/cli.js';
import { BIN } from '../helpers/cli.js';
import { needs } from '../helpers/needs.js';
import { mp3Sample, notAudio, wavSample } from '../helpers/voice-samples.js';

const KEY = 'dm9pY2VzLWNsaTprZXk=';
let emulator: RunningEmulator;
let dir: string;
const file = (name: string, bytes: Buffer): string => {
  const path = join(dir, name);
  writeFileSync(path, bytes);
  return path;
};
let six: string;
let four: string;
let mp3: string;

before(async () => {
  emulator = await startEmulator({ port: 0, engine: 'synthetic', quiet: true, workspace: 'cli' });
  dir = mkdtempSync(join(tmpdir(), 'inworld-voices-cli-'));
  six = file('six.wav', wavSample(6));
  four = file('four.wav', wavSample(4));
  mp3 = file('five.mp3', mp3Sample(5));
});
after(() => emulator.close());
beforeEach(() => {
  emulator.requests.clear();
  emulator.faults.clear();
  Object.assign(emulator.options, { cloneRateLimitPerMinute: 1000, keysWithoutVoiceScope: [], cloneLatencyMs: 0, previewTtlMs: 600_000 });
});

const cacheDir = (): string => join(dir, 'cache');
const env = (extra: Record<string, string> = {}) => cleanEnv({ INWORLD_API_KEY: KEY, INWORLD_BASE_URL: emulator.url, XDG_CACHE_HOME: cacheDir(), ...extra });
const voices = (...args: string[]) => runCli(['voices', ...args], { env: env() });
const cachedIds = (): string[] => readFileSync(join(cacheDir(), 'inworld', 'voice-ids'), 'utf8').trim().split('\n');
const voiceRequests = () => emulator.requests.list().filter((record) => record.path.startsWith('/voices/v1/'));
const sent = (method: string, path: string) => emulator.requests.list().filter((record) => record.method === method && record.path === path);

async function clone(name: string, ...samples: string[]): Promise<string> {
  const result = await voices('clone', ...samples, '--name', name);
  assert.equal(result.code, 0, result.stderr);
  return result.stdout.toString().trim();
}

test('voices lists with --gender, --age and --source as the Voice API filter', async () => {
  const result = await voices('--gender', 'female', '--age', 'young', '--json');
  assert.equal(result.code, 0, result.stderr);
  const listed = JSON.parse(result.stdout.toString()) as Array<{ gender: string; ageGroup: string }>;
  assert.ok(listed.length >= 3);
  for (const voice of listed) assert.deepEqual([voice.gender, voice.ageGroup], ['FEMALE', 'YOUNG']);
  assert.equal(sent('GET', '/voices/v1/voices')[0]!.query.filter, 'gender = "female" AND age_group = "young"');
  const old = await voices('--age', 'old', '--source', 'system', '--json');
  assert.equal(sent('GET', '/voices/v1/voices')[1]!.query.filter, 'age_group = "elderly" AND source = "SYSTEM"');
  assert.ok((JSON.parse(old.stdout.toString()) as Array<{ ageGroup: string }>).every((voice) => voice.ageGroup === 'OLD'));
  const bad = await voices('--gender', 'robot');
  assert.equal(bad.code, 2);
  assert.equal(voiceRequests().length, 2, 'nothing sent for a bad --gender');
});

test('voices show: one voice; an unknown id is exit 2 with "did you mean" and no GET of it', async () => {
  const ok = await voices('show', 'Dennis');
  assert.equal(ok.code, 0, ok.stderr);
  assert.match(ok.stdout.toString(), /^id:\s+Dennis$/m);
  assert.match(ok.stdout.toString(), /^gender:\s+male$/m);
  const json = JSON.parse((await voices('show', 'Dennis', '--json')).stdout.toString());
  assert.equal(json.id, 'Dennis');
  emulator.requests.clear();
  const typo = await voices('show', 'Denis');
  assert.equal(typo.code, 2);
  assert.match(typo.stderr, /^inworld: No voice "Denis".*Did you mean "Dennis"\?/m);
  assert.equal(typo.stderr.trim().split('\n').length, 1);
  assert.equal(sent('GET', '/voices/v1/voices/Denis').length, 0);
});

test('voices clone: WAV and MP3 with transcripts, tags and noise removal; prints the id and the sample warnings; the cache gains it', async () => {
  const result = await voices('clone', six, four, '--name', 'Story Teller', '--lang', 'en-GB', '--transcript', 'Once upon a time.', '--description', 'Bedtime stories', '--tags', 'warm, slow', '--remove-background-noise');
  assert.equal(result.code, 0, result.stderr);
  assert.equal(result.stdout.toString(), 'cli__story_teller\n');
  assert.match(result.stderr, /four\.wav: warning: The audio is only 4\.0 s long/);
  const [request] = sent('POST', '/voices/v1/voices:clone');
  const body = request!.body as Record<string, any>;
  assert.deepEqual(
    { displayName: body.displayName, langCode: body.langCode, description: body.description, tags: body.tags, noise: body.audioProcessingConfig },
    { displayName: 'Story Teller', langCode: 'EN_GB', description: 'Bedtime stories', tags: ['warm', 'slow'], noise: { removeBackgroundNoise: true } },
  );
  assert.equal(body.voiceSamples[0].transcription, 'Once upon a time.');
  assert.equal(body.voiceSamples[1].transcription, undefined);
  assert.ok(cachedIds().includes('cli__story_teller'), 'the completion cache was refreshed');
  const custom = await voices('--source', 'custom', '--json');
  assert.ok((JSON.parse(custom.stdout.toString()) as Array<{ id: string }>).some((voice) => voice.id === 'cli__story_teller'));
  const say = await runCli(['say', 'Hello from the clone.', '--voice', 'cli__story_teller', '-o', join(dir, 'clone.wav')], { env: env() });
  assert.equal(say.code, 0, say.stderr);

  const json = await voices('clone', mp3, '--name', 'From MP3', '--json');
  assert.equal(json.code, 0, json.stderr);
  const parsed = JSON.parse(json.stdout.toString());
  assert.equal(parsed.voice.id, 'cli__from_mp3');
  assert.deepEqual(parsed.samples[0].errors, []);
});

test('voices clone: bad input is one line, exit 2, and nothing is sent', async () => {
  const cases: Array<[string[], RegExp]> = [
    [[file('list.wav', notAudio()), '--name', 'X'], /list\.wav is not WAV or MP3 audio/],
    [[file('two.wav', wavSample(2)), '--name', 'X'], /two\.wav lasts 2\.0 s; a sample must last 3 to 15 s/],
    [[file('long.wav', wavSample(16)), '--name', 'X'], /long\.wav lasts 16\.0 s/],
    [[file('big.wav', Buffer.concat([wavSample(5), Buffer.alloc(4 * 1024 * 1024)])), '--name', 'X'], /big\.wav is 4\.\d MB; a sample may be at most 4 MB/],
    [[join(dir, 'missing.wav'), '--name', 'X'], /Cannot read sample .*missing\.wav: no such file/],
    [[six], /A clone needs a name/],
    [['--name', 'X'], /Nothing to clone from/],
    [[six, '--name', 'X', '--transcript', 'a', '--transcript', 'b'], /2 transcripts for 1 sample/],
    [[six, '--name', 'X', '--mic', '5'], /not both/],
    [[six, '--name', 'X', '--lang', 'english please'], /--lang "english please" is not a language code/],
    [[six, '--name', 'x'.repeat(101)], /name is over 100 characters/],
  ];
  for (const [args, message] of cases) {
    const result = await voices('clone', ...args);
    assert.equal(result.code, 2, `${args.join(' ')}: ${result.stderr}`);
    assert.match(result.stderr, message);
    assert.equal(result.stderr.trim().split('\n').length, 1, result.stderr);
  }
  assert.equal(voiceRequests().length, 0, 'no request for any of them');
});

test('voices clone: the service\'s refusals exit 1 with the status and what to do (403, 429)', async () => {
  emulator.options.keysWithoutVoiceScope = [KEY];
  const denied = await voices('clone', six, '--name', 'Denied');
  assert.equal(denied.code, 1);
  assert.match(denied.stderr, /HTTP 403 PERMISSION_DENIED.*Voices scope.*platform\.inworld\.ai\/api-keys/);
  emulator.options.keysWithoutVoiceScope = [];

  emulator.options.cloneRateLimitPerMinute = 1;
  emulator.requests.clear();
  // A key of its own, so the clones of other tests this minute do not count.
  const fresh = { env: env({ INWORLD_API_KEY: 'cmF0ZS1saW1pdGVkOmtleQ==' }) };
  assert.equal((await runCli(['voices', 'clone', six, '--name', 'First of the minute'], fresh)).code, 0);
  const limited = await runCli(['voices', 'clone', six, '--name', 'Second'], fresh);
  assert.equal(limited.code, 1);
  assert.match(limited.stderr, /HTTP 429 RESOURCE_EXHAUSTED.*Voice clones are limited \(5 a minute\): wait \d+ s/);
  assert.equal(sent('POST', '/voices/v1/voices:clone').length, 2, 'the 429 was not retried');
});

test('voices clone: an answer slower than --timeout is not retried; the name is looked up and found', async () => {
  emulator.options.cloneLatencyMs = 2000;
  const result = await voices('clone', six, '--name', 'Slow One', '--timeout', '400', '--retries', '3');
  assert.equal(result.code, 1);
  assert.match(result.stderr, /The clone of "Slow One" got no answer .*a voice named "Slow One" exists \(cli__slow_one\).*inworld voices show cli__slow_one/);
  assert.equal(sent('POST', '/voices/v1/voices:clone').length, 1, 'one POST');
  assert.ok(sent('GET', '/voices/v1/voices').length >= 1, 'the list was read');
});

test('voices clone --mic <seconds> records that long from the microphone and sends it as WAV', async () => {
  const { fakeProgram } = await import('../helpers/alsa.js');
  const raw = join(dir, 'mic.raw');
  writeFileSync(raw, wavSample(5).subarray(44));
  const binDir = fakeProgram(join(dir, 'mic'), 'arecord', 'exec cat "$FAKE_MIC_RAW"');
  const { delimiter, dirname } = await import('node:path');
  const result = await runCli(['voices', 'clone', '--mic', '3', '--name', 'Mic Voice'], {
    env: env({ PATH: [binDir, dirname(process.execPath), '/usr/bin', '/bin'].join(delimiter), FAKE_MIC_RAW: raw }),
  });
  assert.equal(result.code, 0, result.stderr);
  assert.match(result.stderr, /Recording 3 s from the microphone/);
  const audio = Buffer.from((sent('POST', '/voices/v1/voices:clone')[0]!.body as any).voiceSamples[0].audioData, 'base64');
  assert.equal(audio.subarray(0, 4).toString('latin1'), 'RIFF');
  assert.equal(audio.length, 44 + 3 * 16000 * 2);
});

test('voices design writes each preview, publishes one with --publish; bad input exit 2, nothing sent', async () => {
  const out = join(dir, 'previews') + '/';
  const result = await voices('design', 'A calm older British man with a low voice', '--preview-text', 'Good evening.', '--samples', '3', '-o', out, '--publish', '2', '--name', 'Evening Host', '--tags', 'narrator');
  assert.equal(result.code, 0, result.stderr);
  const files = readdirSync(out).sort();
  assert.equal(files.length, 3);
  for (const name of files) assert.equal(readFileSync(join(out, name))[0], 0xff, `${name} is MP3`);
  const ids = [...result.stderr.matchAll(/^Preview \d: (\S+) → /gm)].map((match) => match[1]!);
  assert.equal(ids.length, 3);
  assert.equal(result.stdout.toString(), `${ids[1]}\n`);
  const design = sent('POST', '/voices/v1/voices:design')[0]!.body as Record<string, any>;
  assert.deepEqual(design.voiceDesignConfig, { numberOfSamples: 3 });
  const publish = sent('POST', `/voices/v1/voices/${ids[1]}:publish`)[0]!.body as Record<string, any>;
  assert.deepEqual([publish.displayName, publish.tags], ['Evening Host', ['narrator']]);
  assert.ok(cachedIds().includes(ids[1]!));

  emulator.requests.clear();
  for (const [args, message] of [
    [['', '--preview-text', 'x', '-o', out], /description is empty/],
    [['x'.repeat(1001), '--preview-text', 'x', '-o', out], /1001 characters, over 1000/],
    [['A voice', '-o', out], /--preview-text/],
    [['A voice', '--preview-text', 'x', '--samples', '4', '-o', out], /--samples must be a number in \[1, 3\]/],
    [['A voice', '--preview-text', 'x', '--publish', '1', '-o', out], /--publish needs the new voice's name/],
    [['A voice', '--preview-text', 'x', '--samples', '2', '--publish', '3', '--name', 'n', '-o', out], /--publish 3 names no preview/],
    [['A voice', '--preview-text', 'x'], /Where should the previews go/],
    [['A voice', '--preview-text', 'x', '-o', join(dir, 'no-such-dir', 'p.mp3')], /no such directory/],
  ] as Array<[string[], RegExp]>) {
    const bad = await voices('design', ...args);
    assert.equal(bad.code, 2, `${args.join(' ')}: ${bad.stderr}`);
    assert.match(bad.stderr, message);
  }
  assert.equal(voiceRequests().length, 0);
});

test('voices publish: a preview by id; twice is 409, an expired one 404, both exit 1 with what to do', async () => {
  const design = await voices('design', 'A bright young woman', '--preview-text', 'Hi!', '--json');
  assert.equal(design.code, 0, design.stderr);
  const [preview] = JSON.parse(design.stdout.toString()).previews;
  const published = await voices('publish', preview.id, '--name', 'Bright', '--json');
  assert.equal(published.code, 0, published.stderr);
  assert.equal(JSON.parse(published.stdout.toString()).displayName, 'Bright');
  const twice = await voices('publish', preview.id, '--name', 'Again');
  assert.equal(twice.code, 1);
  assert.match(twice.stderr, /HTTP 409 .*already published/);
  emulator.options.previewTtlMs = 1;
  const stale = JSON.parse((await voices('design', 'A bright young woman', '--preview-text', 'Hi!', '--json')).stdout.toString()).previews[0];
  const expired = await voices('publish', stale.id, '--name', 'Late');
  assert.equal(expired.code, 1);
  assert.match(expired.stderr, /HTTP 404 NOT_FOUND.*previews expire soon after they are designed/);
  const unnamed = await voices('publish', stale.id);
  assert.equal(unnamed.code, 2);
});

test('voices update changes fields by PATCH; an unknown id is exit 2 with "did you mean" and no PATCH', async () => {
  const id = await clone('Editable Voice', six);
  const result = await voices('update', id, '--name', 'Edited Voice', '--tags', 'a,b', '--json');
  assert.equal(result.code, 0, result.stderr);
  assert.deepEqual([JSON.parse(result.stdout.toString()).displayName, JSON.parse(result.stdout.toString()).tags], ['Edited Voice', ['a', 'b']]);
  assert.deepEqual(sent('PATCH', `/voices/v1/voices/${id}`)[0]!.body, { displayName: 'Edited Voice', tags: ['a', 'b'] });
  emulator.requests.clear();
  const typo = await voices('update', `${id}x`, '--name', 'Nope');
  assert.equal(typo.code, 2);
  assert.match(typo.stderr, new RegExp(`Did you mean "${id}"`));
  const nothing = await voices('update', id);
  assert.equal(nothing.code, 2);
  assert.match(nothing.stderr, /Nothing to change/);
  assert.equal(emulator.requests.list().filter((record) => record.method === 'PATCH').length, 0);
});

test('voices delete: refuses without --yes off a terminal (nothing sent); --yes deletes; a system voice is refused by the service', async () => {
  const id = await clone('Doomed Voice', six);
  emulator.requests.clear();
  const unasked = await voices('delete', id);
  assert.equal(unasked.code, 2);
  assert.match(unasked.stderr, /no terminal to ask: add --yes/);
  assert.equal(voiceRequests().length, 0);
  const deleted = await voices('delete', id, '--yes', '--json');
  assert.equal(deleted.code, 0, deleted.stderr);
  assert.deepEqual(JSON.parse(deleted.stdout.toString()), { deleted: id });
  assert.equal(sent('DELETE', `/voices/v1/voices/${id}`).length, 1);
  assert.ok(!cachedIds().includes(id), 'the cache lost it');
  const again = await voices('delete', id, '--yes');
  assert.equal(again.code, 2, 'now unknown: did you mean, nothing sent');
  const system = await voices('delete', 'Ashley', '--yes');
  assert.equal(system.code, 1);
  assert.match(system.stderr, /HTTP 400 .*system voice/);
});

test('every voices command also runs with --emulator', async () => {
  const result = await runCli(['voices', 'clone', six, '--name', 'Offline', '--emulator'], { env: cleanEnv({ XDG_CACHE_HOME: cacheDir() }) });
  assert.equal(result.code, 0, result.stderr);
  assert.equal(result.stdout.toString(), 'emulator__offline\n');
  const show = await runCli(['voices', 'show', 'Ashley', '--emulator', '--json'], { env: cleanEnv() });
  assert.equal(JSON.parse(show.stdout.toString()).id, 'Ashley');
});

/** Runs `voices delete <id>` on a pty (`script`) and answers the question with `answer`. */
function deleteOnTerminal(id: string, answer: string): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve, reject) => {
    const command = `${JSON.stringify(process.execPath)} ${JSON.stringify(BIN)} voices delete ${id}`;
    const child = spawn('script', ['-q', '-e', '-c', command, '/dev/null'], { env: { ...env(), TERM: 'dumb' }, stdio: ['pipe', 'pipe', 'pipe'] });
    let output = '';
    let answered = false;
    const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      if (!answered && output.includes('[y/N]')) {
        answered = true;
        child.stdin.write(`${answer}\r`);
      }
    });
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, output });
    });
  });
}

test('voices delete on a terminal asks first: "n" keeps the voice, "y" deletes it', { skip: needs('script') }, async () => {
  const id = await clone('Asked About', six);
  const kept = await deleteOnTerminal(id, 'n');
  assert.equal(kept.code, 0, kept.output);
  assert.match(kept.output, new RegExp(`Delete the voice ${id}\\? This cannot be undone\\. \\[y/N\\]`));
  assert.match(kept.output, /Nothing deleted\./);
  assert.equal(sent('DELETE', `/voices/v1/voices/${id}`).length, 0);
  const gone = await deleteOnTerminal(id, 'y');
  assert.equal(gone.code, 0, gone.output);
  assert.match(gone.output, new RegExp(`Deleted ${id}\\.`));
  assert.equal(sent('DELETE', `/voices/v1/voices/${id}`).length, 1);
});

test('voices design on a terminal without -o plays each preview (decoded from MP3) on the speakers', { skip: needs('script', 'aplay', 'ffmpeg') }, async () => {
  const { fakeAlsa } = await import('../helpers/alsa.js');
  const alsa = fakeAlsa('file');
  try {
    const command = `${JSON.stringify(process.execPath)} ${JSON.stringify(BIN)} voices design "A cheerful young woman" --preview-text "Hello, and welcome aboard." --samples 2`;
    const output = await new Promise<{ code: number | null; text: string }>((resolve, reject) => {
      const child = spawn('script', ['-q', '-e', '-c', command, '/dev/null'], {
        env: { ...env({ XDG_CONFIG_HOME: alsa.dir, ALSA_OUT: alsa.outPath }), TERM: 'dumb' },
        stdio: ['pipe', 'pipe', 'pipe'],
      });
      let text = '';
      child.stdout.on('data', (chunk: Buffer) => (text += chunk.toString()));
      child.on('error', reject);
      child.on('close', (code) => resolve({ code, text }));
      child.stdin.end();
    });
    assert.equal(output.code, 0, output.text);
    assert.match(output.text, /Playing preview 1 [\s\S]*Playing preview 2 /);
    const played = readFileSync(alsa.outPath);
    // Two previews of about 1.5 s each at 24 kHz, 16-bit: well over one second of audio reached the device.
    assert.ok(played.length > 2 * 24_000, `${played.length} bytes played`);
    assert.ok(played.some((byte) => byte !== 0), 'not silence');
  } finally {
    alsa.cleanup();
  }
});
