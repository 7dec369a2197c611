import { type AddressInfo, connect, createServer, type Server, type Socket } from 'node:net';

const BROKER = { host: '127.0.0.1', port: 5672 };
const FRAME_METHOD = 1;
const FRAME_END = 0xce;
const CONNECTION_CLASS = 10;
const CONNECTION_BLOCKED = 60;
const CONNECTION_UNBLOCKED = 61;

/** An AMQP method frame on channel 0 (connection.blocked / unblocked), as the broker sends it. */
function connectionFrame(method: number, reason?: string): Buffer {
  const args = reason === undefined ? Buffer.alloc(0) : Buffer.from(reason, 'utf8');
  const payload = Buffer.alloc(4 + (reason === undefined ? 0 : 1 + args.length));
  payload.writeUInt16BE(CONNECTION_CLASS, 0);
  payload.writeUInt16BE(method, 2);
  if (reason !== undefined) {
    payload.writeUInt8(args.length, 4);
    args.copy(payload, 5);
  }
  const frame = Buffer.alloc(7 + payload.length + 1);
  frame.writeUInt8(FRAME_METHOD, 0);
  frame.writeUInt16BE(0, 1);
  frame.writeUInt32BE(payload.length, 3);
  payload.copy(frame, 7);
  frame.writeUInt8(FRAME_END, 7 + payload.length);
  return frame;
}

/** One client connection relayed to the real broker, frame by frame on the way back. */
class Link {
  private partial = Buffer.alloc(0);
  private readonly held: Buffer[] = [];
  stalled = false;
  private reading = true;

  constructor(
    readonly client: Socket,
    readonly broker: Socket,
  ) {
    client.pipe(broker);
    broker.on('data', (chunk: Buffer) => {
      this.fromBroker(chunk);
    });
  }

  /** Forwards whole frames only, so something can be put between two of them. */
  private fromBroker(chunk: Buffer): void {
    this.partial = Buffer.concat([this.partial, chunk]);
    while (this.partial.length >= 7) {
      const length = 7 + this.partial.readUInt32BE(3) + 1;
      if (this.partial.length < length) break;
      const frame = this.partial.subarray(0, length);
      this.partial = this.partial.subarray(length);
      if (this.stalled) this.held.push(frame);
      else this.client.write(frame);
    }
  }

  resume(): void {
    this.stalled = false;
    for (const frame of this.held.splice(0)) this.client.write(frame);
  }

  /** Stops (or starts again) relaying what the client sends; idempotent. */
  read(on: boolean): void {
    if (on === this.reading) return;
    this.reading = on;
    if (on) {
      this.client.pipe(this.broker);
      this.client.resume();
    } else {
      this.client.unpipe(this.broker);
      this.client.pause();
    }
  }

  /** Sends the client a frame as if from the broker (between two of the broker's frames). */
  inject(frame: Buffer): void {
    this.client.write(frame);
  }
}

/**
 * A loopback TCP relay to the real broker that a spec can make misbehave without touching the
 * shared broker: hold back everything the broker sends (confirms that never come), or act as a
 * broker under a resource alarm (tell the client it is blocked, and stop reading from it).
 */
export class BrokerProxy {
  private readonly links = new Set<Link>();
  private readonly server: Server;
  private stalled = false;

  constructor() {
    this.server = createServer((client) => {
      const broker = connect(BROKER);
      const link = new Link(client, broker);
      link.stalled = this.stalled;
      this.links.add(link);
      for (const socket of [client, broker]) {
        socket.on('error', () => undefined);
        socket.on('close', () => {
          this.links.delete(link);
          client.destroy();
          broker.destroy();
        });
      }
    });
  }

  /** The AMQP URL through the proxy. */
  async listen(): Promise<string> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    const { port } = this.server.address() as AddressInfo;
    return `amqp://guest:guest@127.0.0.1:${String(port)}`;
  }

  /** Holds back everything the broker sends (confirms, deliveries, channel opens) until resume. */
  stallReplies(): void {
    this.stalled = true;
    for (const link of this.links) link.stalled = true;
  }

  resumeReplies(): void {
    this.stalled = false;
    for (const link of this.links) link.resume();
  }

  /** Back to relaying both ways (undoes stallReplies, stopReading and block). */
  relayAgain(): void {
    this.resumeReplies();
    this.resumeReading();
  }

  /** As a broker under a memory alarm: `connection.blocked`, then nothing read from the client. */
  block(reason: string): void {
    for (const link of this.links) {
      link.inject(connectionFrame(CONNECTION_BLOCKED, reason));
      link.read(false);
    }
  }

  /** Reads nothing more from the clients (a stalled network): their write buffers fill up. */
  stopReading(): void {
    for (const link of this.links) link.read(false);
  }

  resumeReading(): void {
    for (const link of this.links) link.read(true);
  }

  unblock(): void {
    for (const link of this.links) {
      link.read(true);
      link.inject(connectionFrame(CONNECTION_UNBLOCKED));
    }
  }

  /** Drops every open connection, as a broker restart would (new ones still go through). */
  cut(): void {
    for (const link of this.links) {
      link.client.destroy();
      link.broker.destroy();
    }
  }

  async close(): Promise<void> {
    this.cut();
    await new Promise((resolve) => this.server.close(resolve));
  }
}
