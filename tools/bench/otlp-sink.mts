// A stand-in OpenTelemetry collector for the tracing-overhead run, in its own process: accepts
// OTLP/HTTP trace exports (protobuf or JSON), counts them and their bytes, and drops them.
// GET /stats answers the counts. Prints its port as one JSON line; SIGTERM stops it.
import { createServer } from 'node:http';
import { type AddressInfo } from 'node:net';

let exports = 0;
let bytes = 0;

const server = createServer({ keepAlive: true, noDelay: true }, (request, response) => {
  let size = 0;
  request.on('data', (chunk: Buffer) => (size += chunk.length));
  request.on('end', () => {
    if (request.method === 'POST' && request.url === '/v1/traces') {
      exports += 1;
      bytes += size;
      // An empty ExportTraceServiceResponse: zero bytes of protobuf, or {} in JSON.
      const json = (request.headers['content-type'] ?? '').includes('json');
      response.writeHead(200, {
        'content-type': json ? 'application/json' : 'application/x-protobuf',
      });
      response.end(json ? '{}' : '');
    } else if (request.method === 'GET' && request.url === '/stats') {
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end(JSON.stringify({ exports, bytes }));
    } else {
      response.writeHead(404).end();
    }
  });
});

await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
process.once('SIGTERM', () => {
  server.closeAllConnections();
  server.close(() => process.exit(0));
});
process.stdout.write(`${JSON.stringify({ port: (server.address() as AddressInfo).port })}\n`);
