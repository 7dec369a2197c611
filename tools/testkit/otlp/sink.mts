// A stand-in OpenTelemetry collector: an OTLP/HTTP receiver on 127.0.0.1 that hands each export's
// body (protobuf or JSON, as sent) to the handler of its signal — /v1/traces, and /v1/metrics
// when a handler is given — and answers an empty export response in the request's encoding.
import { createServer, type IncomingMessage, type Server } from 'node:http';
import { type AddressInfo } from 'node:net';

/** One export: the raw body and its content type. */
export type OtlpHandler = (body: Buffer, contentType: string) => void;

export interface OtlpSinkOptions {
  readonly onTraces: OtlpHandler;
  /** Without one, /v1/metrics answers 404 (so exporters that try it back off). */
  readonly onMetrics?: OtlpHandler;
  /** Answers a GET with JSON (e.g. counts), or undefined for 404. */
  readonly onGet?: (path: string) => unknown;
}

export interface OtlpSink {
  /** The OTEL_EXPORTER_OTLP_ENDPOINT value (exporters append /v1/traces, /v1/metrics). */
  readonly endpoint: string;
  readonly port: number;
  close(): Promise<void>;
}

export async function startOtlpSink(options: OtlpSinkOptions): Promise<OtlpSink> {
  const handlers: Record<string, OtlpHandler | undefined> = {
    '/v1/traces': options.onTraces,
    '/v1/metrics': options.onMetrics,
  };
  const server: Server = createServer({ keepAlive: true, noDelay: true }, (request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const handler = request.method === 'POST' ? handlers[request.url ?? ''] : undefined;
      const answer = request.method === 'GET' ? options.onGet?.(request.url ?? '') : undefined;
      if (handler) {
        const contentType = request.headers['content-type'] ?? '';
        handler(Buffer.concat(chunks), contentType);
        // An empty Export…ServiceResponse: zero bytes of protobuf, or {} in JSON.
        const json = isJson(request);
        response.writeHead(200, {
          'content-type': json ? 'application/json' : 'application/x-protobuf',
        });
        response.end(json ? '{}' : '');
      } else if (answer !== undefined) {
        response.writeHead(200, { 'content-type': 'application/json' });
        response.end(JSON.stringify(answer));
      } else {
        response.writeHead(404).end();
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${String(port)}`,
    port,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => {
          if (error) reject(error);
          else resolve();
        });
        server.closeAllConnections();
      }),
  };
}

function isJson(request: IncomingMessage): boolean {
  return (request.headers['content-type'] ?? '').includes('json');
}
