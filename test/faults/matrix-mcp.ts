// The fault matrix's `mcp` column: `inworld mcp` (the built CLI, over stdio, driven by the SDK's
// client) pointed at a faulty emulator, one `speak` call of the text `say` speaks. A failure must
// be a tool error with the right message, never a crashed server (the next call is answered),
// and the file must be complete or absent, like say's.
import { readdirSync } from 'node:fs';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { BIN } from '../helpers/cli.js';
import { scriptRule } from '../wire/stt-harness.js';
import { quietEmulator, SECRET_KEY, TTS_STREAM_PATH, tempDir, type Run } from './harness.js';
import { RETRIES, TIMEOUT_MS, type Cell, type Row } from './matrix-cases.js';
import { checkOutput, SAY_TEXT, targetEnv, TRANSCRIPT_TURNS, type Outcome, type References } from './matrix-runner.js';

const DEFAULT_MAX_MS = 20_000;
const STACK_TRACE = /^\s+at .+[:(]\d+:\d+\)?$/m;

function textOf(result: CallToolResult): string {
  const first = result.content[0];
  return first && first.type === 'text' ? first.text : '';
}

export async function runMcpCell(row: Row, cell: Cell, refs: References): Promise<Outcome> {
  const emulator = await quietEmulator();
  const tmp = tempDir(`inworld-matrix-${row.id}-mcp-`);
  const cleanups: Array<() => Promise<void>> = [];
  const failures: string[] = [];
  let stderr = '';
  let client: Client | undefined;
  try {
    emulator.faults.add(scriptRule(TRANSCRIPT_TURNS));
    for (const rule of cell.rules ?? []) emulator.faults.add(rule);
    const env = await targetEnv(cell, emulator, cleanups);
    const transport = new StdioClientTransport({
      command: process.execPath,
      args: [BIN, 'mcp', '--out-dir', tmp.dir, '--timeout', String(TIMEOUT_MS), '--retries', String(RETRIES), '-q', ...(cell.args ?? [])],
      env,
      stderr: 'pipe',
    });
    transport.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
    client = new Client({ name: 'fault-matrix', version: '1.0.0' });
    await client.connect(transport);
    const expect = cell.expect;
    const maxMs = expect.maxMs ?? DEFAULT_MAX_MS;
    const started = performance.now();
    const result = (await client.callTool({ name: 'speak', arguments: { text: SAY_TEXT, file_name: 'out.wav' } }, undefined, { timeout: maxMs + 2000 })) as CallToolResult;
    const ms = Math.round(performance.now() - started);
    const code = result.isError ? 1 : 0;
    const message = result.isError ? textOf(result) : '';

    if (code !== expect.code) failures.push(`tool ${code ? 'error' : 'success'}, expected ${expect.code ? 'an error' : 'success'}: ${textOf(result).slice(0, 200)}`);
    if (expect.code !== 0 && expect.message && !expect.message.test(message)) failures.push(`message ${JSON.stringify(message)} does not match ${expect.message}`);
    if (message.includes('\n')) failures.push('the error is more than one line');
    const next = (await client.callTool({ name: 'get_usage', arguments: { last: 1 } })) as CallToolResult;
    if (next.isError) failures.push(`the server did not answer the next call: ${textOf(next)}`);
    if (STACK_TRACE.test(stderr) || /Unhandled|uncaught/i.test(stderr)) failures.push('a stack trace or unhandled error on stderr');
    const leaked = stderr.includes(SECRET_KEY) || JSON.stringify(result).includes(SECRET_KEY);
    if (leaked) failures.push('THE API KEY APPEARS IN THE OUTPUT');
    const requests = (cell.target?.kind ?? 'emulator') === 'emulator' ? emulator.requests.find(TTS_STREAM_PATH).length : undefined;
    if (expect.requests !== undefined && requests !== undefined) {
      const [min, max] = typeof expect.requests === 'number' ? [expect.requests, expect.requests] : expect.requests;
      if (requests < min || requests > max) failures.push(`${requests} requests, expected ${min === max ? min : `${min}..${max}`}`);
    }
    if (expect.minMs !== undefined && ms < expect.minMs) failures.push(`took ${ms} ms, expected at least ${expect.minMs}`);
    if (ms > maxMs) failures.push(`took ${ms} ms, more than ${maxMs}`);
    const run: Run = { code, signal: null, stdout: Buffer.alloc(0), stderr, ms, killed: false };
    const output = checkOutput('say', `${tmp.dir}/out.wav`, tmp.dir, run, refs, expect.output, failures);
    const strays = readdirSync(tmp.dir).filter((name) => name !== 'out.wav');
    if (strays.length > 0) failures.push(`other files in the output directory: ${strays.join(', ')}`);
    return { row: row.id, fault: row.fault, command: 'mcp', code, ms, requests, message, output, failures, todo: cell.todo, leaked, run };
  } finally {
    await client?.close().catch(() => undefined);
    for (const cleanup of cleanups) await cleanup();
    tmp.cleanup();
    await emulator.close();
  }
}
