// Shared set-up for STT wire tests: an in-process emulator on port 0, a client pointed at it,
// a script of turn texts, and helpers to collect a session's events.
import { InworldClient } from '../../src/core/client.js';
import { startEmulator, type RunningEmulator } from '../../src/emulator/index.js';
import type { FaultRuleInput } from '../../src/emulator/faults/rules.js';
import type { SttEvent } from '../../src/stt/events.js';

export const STT_PATH = '/stt/v1/transcribe:streamBidirectional';

export async function sttEmulator(turns?: string[]): Promise<RunningEmulator> {
  const emulator = await startEmulator({ port: 0, quiet: true });
  if (turns) emulator.faults.add(scriptRule(turns));
  return emulator;
}

/** One script for the STT WebSocket and REST endpoints alike (its position is shared). */
export function scriptRule(turns: string[]): FaultRuleInput {
  return { path: '/stt/*', action: { type: 'custom', name: 'stt-script', params: { turns } } };
}

export function clientFor(emulator: RunningEmulator, maxRetries = 3): InworldClient {
  return new InworldClient({ apiKey: 'test-key', baseUrl: emulator.url, wsUrl: emulator.wsUrl, configPath: null, maxRetries, timeoutMs: 5000 });
}

export async function collect(events: AsyncIterable<SttEvent>): Promise<SttEvent[]> {
  const out: SttEvent[] = [];
  for await (const event of events) out.push(event);
  return out;
}

/** Collects until the iterator throws; returns the events and the error. */
export async function collectUntilError(events: AsyncIterable<SttEvent>): Promise<{ events: SttEvent[]; error: unknown }> {
  const out: SttEvent[] = [];
  try {
    for await (const event of events) out.push(event);
  } catch (error) {
    return { events: out, error };
  }
  return { events: out, error: undefined };
}

export function finals(events: SttEvent[]): string[] {
  return events.flatMap((event) => (event.type === 'final' ? [event.text] : []));
}

/** Client messages the emulator recorded per STT connection (audio summarised by size). */
export function sttConnections(emulator: RunningEmulator): unknown[][] {
  return emulator.requests.find(STT_PATH).map((record) => record.messages ?? []);
}

export function audioBytes(messages: unknown[]): number {
  let total = 0;
  for (const message of messages) {
    const chunk = (message as { audioChunk?: { bytes?: number } }).audioChunk;
    if (chunk && typeof chunk.bytes === 'number') total += chunk.bytes;
  }
  return total;
}
