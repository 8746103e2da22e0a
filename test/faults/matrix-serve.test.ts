// Runs the fault matrix's `serve` column (matrix-serve.ts): each row's `say` fault applied to the
// emulator behind the gateway, one speech request through the openai client per cell.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import OpenAI from 'openai';
import { startEmulator, type RunningEmulator } from '../../src/emulator/index.js';
import { Inworld } from '../../src/inworld.js';
import { startGateway, type RunningGateway } from '../../src/serve/gateway.js';
import { RETRIES, ROWS, SHORT_TIMEOUT_MS } from './matrix-cases.js';
import { SERVE_CELLS } from './matrix-serve.js';

const TEXT = 'One two three four five six seven eight nine ten eleven twelve.';
const SPEECH = { model: 'tts-1', voice: 'alloy', input: TEXT, response_format: 'pcm' } as const;

async function through(url: string): Promise<{ status: number; audio: Buffer; cut: boolean; error?: InstanceType<typeof OpenAI.APIError> }> {
  const openai = new OpenAI({ baseURL: url, apiKey: 'unused', maxRetries: 0, timeout: 20_000 });
  try {
    const response = await openai.audio.speech.create(SPEECH).asResponse();
    const chunks: Buffer[] = [];
    let cut = false;
    try {
      for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) chunks.push(Buffer.from(chunk));
    } catch {
      cut = true;
    }
    return { status: response.status, audio: Buffer.concat(chunks), cut };
  } catch (error) {
    if (!(error instanceof OpenAI.APIError)) throw error;
    return { status: error.status ?? 0, audio: Buffer.alloc(0), cut: false, error };
  }
}

describe('fault matrix: serve', () => {
  let emulator: RunningEmulator;
  let baseline: Buffer;
  before(async () => {
    emulator = await startEmulator({ engine: 'synthetic' });
    const inworld = new Inworld({ apiKey: 'k', baseUrl: emulator.url, configPath: null, env: {}, maxRetries: 0 });
    const gateway = await startGateway({ inworld, port: 0, checkVoices: false });
    baseline = (await through(gateway.url)).audio;
    await gateway.close();
  });
  after(() => emulator.close());

  for (const row of ROWS) {
    const cell = SERVE_CELLS[row.id];
    if (!cell) continue;
    it(`${row.id}: ${row.fault} → ${cell.status} ${cell.body}`, async () => {
      emulator.faults.clear();
      for (const rule of row.cells.say?.rules ?? []) emulator.faults.add(rule);
      const baseUrl = row.id === 'refused' ? 'http://127.0.0.1:9/' : emulator.url;
      const inworld = new Inworld({ apiKey: 'k', baseUrl, configPath: null, env: {}, maxRetries: RETRIES, timeoutMs: SHORT_TIMEOUT_MS });
      let gateway: RunningGateway | undefined;
      try {
        gateway = await startGateway({ inworld, port: 0, checkVoices: false });
        const result = await through(gateway.url);
        assert.equal(result.status, cell.status, result.error?.message);
        if (cell.body === 'error') {
          assert.equal(result.error?.type, cell.type);
          assert.ok(result.error!.message.length > 0);
        } else if (cell.body === 'complete') {
          assert.ok(!result.cut && result.audio.equals(baseline), `complete audio (${result.audio.length} of ${baseline.length} bytes)`);
        } else {
          assert.ok(result.cut, 'the body was cut');
          assert.ok(result.audio.length < baseline.length && baseline.subarray(0, result.audio.length).equals(result.audio), 'what arrived is a prefix');
        }
      } finally {
        emulator.faults.clear();
        await gateway?.close();
        await inworld.close();
      }
    });
  }
});
