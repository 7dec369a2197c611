// The raw floor of the transport matrix, run as its own process (as each service is): the same
// GetItem — two Redis reads, the padding asked for — served by plain node:http (keep-alive),
// plain @grpc/grpc-js with the same codec as Junction's server (@grpc/proto-loader on the same
// .proto with the same loader options, so both encode alike and the floor is a floor), and plain amqplib request-reply (noDelay), with
// no framework, validation, error mapping, logging or telemetry. Prints its ports as one JSON
// line once it serves; SIGTERM stops it.
//   node tools/bench/matrix/floor-server.mts <redis-url> <amqp-url> <queue>
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { type AddressInfo } from 'node:net';
import {
  type handleUnaryCall,
  loadPackageDefinition,
  Server,
  ServerCredentials,
  type ServiceClientConstructor,
  status,
} from '@grpc/grpc-js';
import { loadSync } from '@grpc/proto-loader';
import { GRPC_SERVICES, type inventoryV1 } from '@junction/contracts';
import { PROTO_LOADER_OPTIONS } from '@junction/platform';
import { type Channel, connect, type ConsumeMessage } from 'amqplib';
import { Redis } from 'ioredis';
import { type Item } from './item-lookup.mts';

const [redisUrl = '', amqpUrl = '', queue = ''] = process.argv.slice(2);
const redis = new Redis(redisUrl);
const FILLER = Buffer.alloc(262_144, 'junction-padding-');

async function lookup(sku: string, paddingBytes: number): Promise<{ item: Item; padding: Buffer }> {
  const [hash, stock] = await Promise.all([
    redis.hgetall(`inventory:item:${sku}`),
    redis.get(`inventory:stock:${sku}`),
  ]);
  if (!hash.name || stock === null) throw new Error(`no item ${sku}`);
  const item = {
    sku,
    name: hash.name,
    priceCents: Number(hash.priceCents),
    available: Number(stock),
  };
  return { item, padding: FILLER.subarray(0, Math.min(paddingBytes, FILLER.length)) };
}

function proto3Json(found: { item: Item; padding: Buffer }): object {
  return found.padding.length > 0
    ? { item: found.item, padding: found.padding.toString('base64') }
    : { item: found.item };
}

function serveHttp(request: IncomingMessage, response: ServerResponse): void {
  const url = new URL(request.url ?? '/', 'http://floor');
  const sku = url.pathname.split('/').at(-1) ?? '';
  lookup(sku, Number(url.searchParams.get('padding') ?? 0)).then(
    ({ item, padding }) => {
      const body = JSON.stringify(
        padding.length > 0 ? { ...item, padding: padding.toString('base64') } : item,
      );
      response.writeHead(200, {
        'content-type': 'application/json; charset=utf-8',
        'content-length': Buffer.byteLength(body),
      });
      response.end(body);
    },
    () => response.writeHead(404).end(),
  );
}

const getItem: handleUnaryCall<inventoryV1.GetItemRequest, inventoryV1.GetItemResponse> = (
  call,
  callback,
) => {
  lookup(call.request.sku, call.request.paddingBytes).then(
    (found) => {
      callback(null, found);
    },
    (error: unknown) => {
      callback({ code: status.NOT_FOUND, details: String(error) });
    },
  );
};

async function serveAmqp(): Promise<void> {
  const connection = await connect(amqpUrl, { noDelay: true });
  connection.on('error', () => process.exit(1)); // the bench sees the floor's AMQP cells fail
  const channel: Channel = await connection.createChannel();
  await channel.assertQueue(queue, {
    durable: true,
    arguments: { 'x-queue-type': 'classic', 'x-message-ttl': 30_000 },
  });
  await channel.prefetch(64);
  await channel.consume(queue, (message: ConsumeMessage | null) => {
    if (!message) return;
    const request = JSON.parse(message.content.toString()) as inventoryV1.GetItemRequest;
    void lookup(request.sku, request.paddingBytes)
      .then(
        (found) => ({ result: proto3Json(found) }),
        (error: unknown) => ({ error: { code: 'not_found', message: String(error) } }),
      )
      .then((reply) => {
        channel.sendToQueue(
          String(message.properties.replyTo),
          Buffer.from(JSON.stringify(reply)),
          {
            correlationId: String(message.properties.correlationId),
            contentType: 'application/json',
          },
        );
        channel.ack(message);
      });
  });
  process.once('SIGTERM', () => void connection.close().finally(() => process.exit(0)));
}

const http = createServer({ keepAlive: true, noDelay: true }, serveHttp);
await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
const grpc = new Server();
// Only GetItem: grpc-js answers UNIMPLEMENTED for the methods left out.
const { protoFile, package: packageName, service } = GRPC_SERVICES.inventory;
const definition = loadPackageDefinition(loadSync(protoFile, PROTO_LOADER_OPTIONS)) as Record<
  string,
  unknown
>;
const constructor = [...packageName.split('.'), service].reduce<unknown>(
  (node, name) => (node as Record<string, unknown>)[name],
  definition,
) as ServiceClientConstructor;
grpc.addService(constructor.service, { GetItem: getItem });
const grpcPort = await new Promise<number>((resolve, reject) => {
  grpc.bindAsync('127.0.0.1:0', ServerCredentials.createInsecure(), (error, port) => {
    if (error) reject(error);
    else resolve(port);
  });
});
await serveAmqp();
process.stdout.write(
  `${JSON.stringify({ http: (http.address() as AddressInfo).port, grpc: grpcPort, queue })}\n`,
);
