// Faults the emulator cannot make on its plain JSON endpoints (the voice list answers in one
// piece, with only status and header-stall faults): a loopback HTTP proxy in front of it that
// forwards each request (so the emulator still records it) and then spoils the response body:
// stall after the headers, drop the connection after N body bytes, or dribble the body out in
// pieces of a few bytes.
import { createServer, request, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';

export interface ProxyFaults {
  /** Send the status line and headers, then nothing. */
  stallAfterHeaders?: boolean;
  /** Send this many body bytes, then destroy the socket. */
  dropAfterBytes?: number;
  /** Write the body in pieces of 1..pieceBytes bytes, one per event-loop turn. */
  pieceBytes?: number;
  /** Spoil only the first `times` responses (all when absent). */
  times?: number;
}

export interface FaultProxy {
  url: string;
  close(): Promise<void>;
}

export async function startFaultProxy(target: string, faults: ProxyFaults): Promise<FaultProxy> {
  const upstream = new URL(target);
  const sockets = new Set<Socket>();
  let remaining = faults.times ?? Infinity;
  const server: Server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const spoil = remaining > 0;
    if (spoil) remaining -= 1;
    const forward = request(
      { host: upstream.hostname, port: upstream.port, method: req.method, path: req.url, headers: req.headers },
      (answer) => {
        const chunks: Buffer[] = [];
        answer.on('data', (chunk: Buffer) => chunks.push(chunk));
        answer.on('end', () => void deliver(res, answer, Buffer.concat(chunks), spoil ? faults : {}));
      },
    );
    forward.on('error', () => res.destroy());
    req.pipe(forward);
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  return {
    url: `http://127.0.0.1:${port}/`,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

async function deliver(res: ServerResponse, answer: IncomingMessage, body: Buffer, faults: ProxyFaults): Promise<void> {
  const headers = { ...answer.headers, 'content-length': String(body.length) };
  delete headers['transfer-encoding'];
  res.writeHead(answer.statusCode ?? 502, headers);
  if (faults.stallAfterHeaders) {
    res.flushHeaders();
    return; // The client's first-byte/idle deadline has to end this.
  }
  if (faults.dropAfterBytes !== undefined) {
    res.write(body.subarray(0, faults.dropAfterBytes), () => res.socket?.destroy());
    return;
  }
  if (faults.pieceBytes !== undefined) {
    let offset = 0;
    let turn = 0;
    while (offset < body.length && !res.destroyed) {
      const size = 1 + (turn++ % faults.pieceBytes);
      res.write(body.subarray(offset, offset + size));
      offset += size;
      await new Promise((resolve) => setImmediate(resolve));
    }
    res.end();
    return;
  }
  res.end(body);
}
