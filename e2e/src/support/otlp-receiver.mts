// A stand-in OpenTelemetry collector for the tests: an OTLP/HTTP receiver on 127.0.0.1 that
// keeps every trace export it is sent. Services export to it with OTEL_EXPORTER_OTLP_PROTOCOL
// http/json, so a body is OTLP/JSON (protobuf would need the proto definitions).
import { createServer, type Server } from 'node:http';
import { type AddressInfo } from 'node:net';
import {
  mergeTracesData,
  spansOf,
  type Span,
  type TracesData,
} from '../../../tools/trace/otlp.mts';

export interface OtlpReceiver {
  /** The OTEL_EXPORTER_OTLP_ENDPOINT value (the exporter appends /v1/traces). */
  readonly endpoint: string;
  /** Every export received so far, in OTLP/JSON. */
  readonly exports: TracesData[];
  spans(): Span[];
  /** Resolves once `predicate` holds for the spans received (polling), or rejects at the timeout. */
  waitFor(
    predicate: (spans: Span[]) => boolean,
    timeoutMs?: number,
    what?: string,
  ): Promise<Span[]>;
  /** Everything received as one OTLP payload. */
  data(): TracesData;
  close(): Promise<void>;
}

export async function startOtlpReceiver(): Promise<OtlpReceiver> {
  const exports: TracesData[] = [];
  const server: Server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      if (request.method === 'POST' && request.url === '/v1/traces') {
        exports.push(JSON.parse(Buffer.concat(chunks).toString('utf8')) as TracesData);
        response.writeHead(200, { 'content-type': 'application/json' }).end('{}');
      } else {
        response.writeHead(404).end();
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const spans = () => spansOf(mergeTracesData(exports));
  return {
    endpoint: `http://127.0.0.1:${String(port)}`,
    exports,
    spans,
    data: () => mergeTracesData(exports),
    async waitFor(predicate, timeoutMs = 10_000, what = 'spans') {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const current = spans();
        if (predicate(current)) return current;
        if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    },
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
