// Bytes on the wire per call: the client talks through a TCP proxy that counts what crosses it
// each way. Connection setup is left out (counted from after a few warm-up calls); everything
// else the protocol sends is in (headers, frames, HTTP/2 window updates, AMQP method frames).
import { connect, createServer, type Server, type Socket } from 'node:net';
import { type AddressInfo } from 'node:net';

export interface WireBytes {
  /** Client → server bytes per call. */
  readonly request: number;
  /** Server → client bytes per call. */
  readonly response: number;
}

export class CountingProxy {
  private up = 0;
  private down = 0;
  private readonly sockets = new Set<Socket>();
  private readonly server: Server;

  private constructor(server: Server) {
    this.server = server;
  }

  static async start(targetHost: string, targetPort: number): Promise<CountingProxy> {
    const server = createServer({ noDelay: true });
    const proxy = new CountingProxy(server);
    server.on('connection', (client) => {
      proxy.pipe(client, connect({ host: targetHost, port: targetPort, noDelay: true }));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return proxy;
  }

  get port(): number {
    return (this.server.address() as AddressInfo).port;
  }

  snapshot(): { readonly up: number; readonly down: number } {
    return { up: this.up, down: this.down };
  }

  async close(): Promise<void> {
    for (const socket of this.sockets) socket.destroy();
    await new Promise<void>((resolve) =>
      this.server.close(() => {
        resolve();
      }),
    );
  }

  private pipe(client: Socket, upstream: Socket): void {
    this.sockets.add(client).add(upstream);
    client.on('data', (chunk: Buffer) => {
      this.up += chunk.length;
      upstream.write(chunk);
    });
    upstream.on('data', (chunk: Buffer) => {
      this.down += chunk.length;
      client.write(chunk);
    });
    const end = (): void => {
      client.destroy();
      upstream.destroy();
    };
    for (const socket of [client, upstream]) socket.on('close', end).on('error', end);
  }
}

/** Counts the bytes of `calls` sequential calls made after `warmup` calls. */
export async function countWireBytes(
  proxy: CountingProxy,
  call: () => Promise<void>,
  warmup: number,
  calls: number,
): Promise<WireBytes> {
  for (let i = 0; i < warmup; i++) await call();
  const before = proxy.snapshot();
  for (let i = 0; i < calls; i++) await call();
  const after = proxy.snapshot();
  return {
    request: Math.round((after.up - before.up) / calls),
    response: Math.round((after.down - before.down) / calls),
  };
}
