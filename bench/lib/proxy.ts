// A loopback TCP proxy in the measuring process, in front of the emulator: it notes when the
// first complete NDJSON line of each HTTP response body was handed to the client's socket. With
// a reader on the client's stdout in the same process (same clock), the gap between the two is
// the client's own delay from "first audio line received" to "first audio byte written" (plus a
// loopback hop and a pipe hop, which the raw script pays too).
import { createServer, connect, type Server } from 'node:net';
import { performance } from 'node:perf_hooks';

export class FirstLineProxy {
  /** performance.now() when the first NDJSON line's last byte was forwarded, per response. */
  firstLineAt: number[] = [];
  private server: Server | undefined;
  url = '';

  async start(target: URL): Promise<void> {
    this.server = createServer((client) => {
      const upstream = connect(Number(target.port), target.hostname);
      client.setNoDelay(true);
      upstream.setNoDelay(true);
      client.on('data', (chunk) => upstream.write(chunk));
      client.on('error', () => upstream.destroy());
      client.on('close', () => upstream.destroy());
      upstream.on('error', () => client.destroy());
      upstream.on('close', () => client.destroy());
      // Response scanning: headers end at CRLFCRLF; in the (chunked) body, NDJSON lines end with
      // a bare LF, while chunk framing uses CRLF, so the first LF not preceded by CR ends line 1.
      let inBody = false;
      let done = false;
      let tail = '';
      upstream.on('data', (chunk: Buffer) => {
        client.write(chunk);
        if (done) return;
        const text = tail + chunk.toString('latin1');
        let from = 0;
        if (!inBody) {
          const end = text.indexOf('\r\n\r\n');
          if (end < 0) {
            tail = text.slice(-3);
            return;
          }
          inBody = true;
          from = end + 4;
        }
        for (let i = Math.max(from, 1); i < text.length; i++) {
          if (text.charCodeAt(i) === 10 && text.charCodeAt(i - 1) !== 13) {
            this.firstLineAt.push(performance.now());
            done = true;
            return;
          }
        }
        tail = text.slice(-1);
      });
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    const address = this.server.address() as { port: number };
    this.url = `http://127.0.0.1:${address.port}/`;
  }

  async close(): Promise<void> {
    await new Promise((resolve) => this.server?.close(resolve));
  }
}
