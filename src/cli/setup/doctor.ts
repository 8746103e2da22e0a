// `inworld doctor`: checks what the tool needs on this machine and prints one line per check with
// the fix. The report is the command's output, so it goes to stdout (pipe it into a bug report);
// `--json` prints the same results for scripts. Exit 1 when something required is missing (Node
// too old, no key, key rejected, API unreachable); optional things (audio, ffmpeg) only warn.
import { Command, Option } from 'commander';
import { defaultConfigPath, readConfigFile, type ConfigFile } from '../../core/config-file.js';
import { InworldError } from '../../core/errors.js';
import { formatMode, looseConfigMode } from './config-file.js';
import { addGlobalOptions, type GlobalOptions } from '../options.js';
import { checkAudioOutput, checkFfmpeg, checkRecorder } from './doctor-devices.js';
import { checkRemote } from './doctor-remote.js';
import { renderReport } from './doctor-report.js';
import type { CheckResult } from './doctor-result.js';

export const MIN_NODE_MAJOR = 20;

interface DoctorFlags extends GlobalOptions {
  json?: boolean;
}

export function doctorCommand(): Command {
  const command = new Command('doctor')
    .description('check Node, the API key, the network and WebSocket, audio output, microphone and ffmpeg, with fixes')
    .addOption(new Option('--json', 'print the results as JSON on stdout'));
  addGlobalOptions(command);
  return command
    .addHelpText(
      'after',
      `
Exits 1 when something required is missing (Node ${MIN_NODE_MAJOR}+, a key the API accepts, a reachable API);
audio, microphone, ffmpeg and the WebSocket (needed by stream and transcribe) only warn.

Examples:
  $ inworld doctor
  $ inworld doctor --json | jq '.checks[] | select(.status != "ok")'
  $ inworld doctor --base-url http://127.0.0.1:8787/`,
    )
    .action(async (flags: DoctorFlags) => {
      const results = await runChecks(flags);
      const failed = results.some((result) => result.required && result.status === 'fail');
      if (flags.json) {
        process.stdout.write(`${JSON.stringify({ ok: !failed, checks: results }, null, 2)}\n`);
      } else {
        process.stdout.write(await renderReport(results, flags.quiet === true));
      }
      // Through the single exit path (exit 1): main() would otherwise exit 0 after the action.
      if (failed) {
        const count = results.filter((result) => result.required && result.status === 'fail').length;
        throw new InworldError(`${count} required check${count === 1 ? '' : 's'} failed${flags.json ? '' : '; see the fixes above'}`);
      }
    });
}

/** Runs every check (the slow ones concurrently) and returns them in report order. */
export async function runChecks(flags: DoctorFlags, env: NodeJS.ProcessEnv = process.env): Promise<CheckResult[]> {
  const configPath = defaultConfigPath(env);
  const configCheck = checkConfigFile(configPath);
  const file = readConfigQuietly(configPath);
  const local = Promise.all([checkAudioOutput(env), checkRecorder(env), Promise.resolve(checkFfmpeg(env))]);
  const remote = checkRemote(flags, env, file);
  const [config, [audio, recorder, ffmpeg], [key, network, accepted, websocket]] = await Promise.all([configCheck, local, remote]);
  return [checkNode(), config, key, network, accepted, websocket, audio, recorder, ffmpeg];
}

export function checkNode(version: string = process.versions.node): CheckResult {
  const major = Number(version.split('.')[0]);
  if (major >= MIN_NODE_MAJOR) return { id: 'node', label: 'Node.js', status: 'ok', detail: `v${version}`, required: true };
  return {
    id: 'node',
    label: 'Node.js',
    status: 'fail',
    detail: `v${version} is too old`,
    fix: `install Node ${MIN_NODE_MAJOR} or newer (https://nodejs.org, or nvm install ${MIN_NODE_MAJOR})`,
    required: true,
  };
}

function readConfigQuietly(path: string): ConfigFile {
  try {
    return readConfigFile(path);
  } catch {
    return {};
  }
}

async function checkConfigFile(path: string): Promise<CheckResult> {
  const base = { id: 'config', label: 'Config file', required: true };
  const { stat } = await import('node:fs/promises');
  const exists = await stat(path).then(() => true, () => false);
  if (!exists) return { ...base, status: 'ok', detail: `${path} (not created yet; optional)` };
  try {
    readConfigFile(path);
  } catch (error) {
    // Every command reads this file, so a broken one breaks them all: a required failure.
    return { ...base, status: 'fail', detail: (error as Error).message, fix: `fix the JSON in ${path}, or delete it and run \`inworld login\`` };
  }
  const loose = await looseConfigMode(path);
  if (loose) {
    return {
      ...base,
      status: 'warn',
      detail: `${path} has mode ${formatMode(loose.mode)}: other users can read it`,
      fix: `chmod 600 ${path}`,
    };
  }
  return { ...base, status: 'ok', detail: `${path} (private)` };
}
