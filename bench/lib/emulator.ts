// The bench's handle on an emulator child process (see emulator-child.mjs).
import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface, type Interface } from 'node:readline';
import { fileURLToPath } from 'node:url';

export interface EmulatorSettings {
  generationLatencyMs?: number;
  firstByteLatencyMs?: number;
  streamChunkMs?: number;
  realtime?: boolean;
}

export class EmulatorProcess {
  private constructor(
    private readonly child: ChildProcess,
    private readonly lines: Interface,
    readonly url: string,
    readonly wsUrl: string,
  ) {}

  static async start(settings: EmulatorSettings = {}): Promise<EmulatorProcess> {
    const script = fileURLToPath(new URL('./emulator-child.mjs', import.meta.url));
    const child = spawn(process.execPath, [script, JSON.stringify(settings)], { stdio: ['pipe', 'pipe', 'inherit'] });
    const lines = createInterface({ input: child.stdout! });
    const first = await new Promise<string>((resolve, reject) => {
      lines.once('line', resolve);
      child.once('exit', (code) => reject(new Error(`emulator exited ${code}`)));
    });
    const { url, wsUrl } = JSON.parse(first) as { url: string; wsUrl: string };
    return new EmulatorProcess(child, lines, url, wsUrl);
  }

  private ask(command: unknown): Promise<Record<string, unknown>> {
    return new Promise((resolve) => {
      this.lines.once('line', (line) => resolve(JSON.parse(line)));
      this.child.stdin!.write(`${JSON.stringify(command)}\n`);
    });
  }

  async set(settings: EmulatorSettings): Promise<void> {
    await this.ask(settings);
  }

  async requests(): Promise<Array<{ id: number; path: string; receivedAtMs: number; status?: number }>> {
    return (await this.ask({ requests: true })).requests as never;
  }

  async close(): Promise<void> {
    const exited = new Promise((resolve) => this.child.once('exit', resolve));
    this.child.stdin!.end();
    const timer = setTimeout(() => this.child.kill('SIGKILL'), 5000);
    await exited;
    clearTimeout(timer);
  }
}
