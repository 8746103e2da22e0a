// Runs the emulator in its own process, so the emulator's CPU work never shares an event loop with
// the measuring process or the measured client. Protocol: argv[2] is the JSON options; the first
// stdout line is {"url","wsUrl"}; each JSON line on stdin sets options (e.g.
// {"generationLatencyMs":200}) and is answered with {"ok":true}; {"requests":true} answers the
// request log summary; end of stdin closes the emulator.
import { createInterface } from 'node:readline';
import { startEmulator } from '../../dist/emulator/index.js';

const options = JSON.parse(process.argv[2] ?? '{}');
const emulator = await startEmulator({ port: 0, host: '127.0.0.1', quiet: true, engine: 'synthetic', ...options });
process.stdout.write(`${JSON.stringify({ url: emulator.url, wsUrl: emulator.wsUrl, engine: emulator.engine })}\n`);

const lines = createInterface({ input: process.stdin });
lines.on('line', (line) => {
  const command = JSON.parse(line);
  if (command.requests) {
    const list = emulator.requests.list().map((r) => ({ id: r.id, path: r.path, receivedAtMs: r.receivedAtMs, status: r.status }));
    emulator.requests.clear();
    process.stdout.write(`${JSON.stringify({ ok: true, requests: list })}\n`);
    return;
  }
  Object.assign(emulator.options, command);
  process.stdout.write(`${JSON.stringify({ ok: true })}\n`);
});
lines.on('close', () => {
  void emulator.close().then(() => process.exit(0));
});
