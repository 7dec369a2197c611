// A stand-in OpenTelemetry collector for the fixed-rate tracing cost run, in its own process: testkit's
// OTLP sink, counting the trace exports (protobuf or JSON) and their bytes and dropping them.
// GET /stats answers the counts. Prints its port as one JSON line; SIGTERM stops it.
import { startOtlpSink } from '@junction/testkit';

let exports = 0;
let bytes = 0;

const sink = await startOtlpSink({
  onTraces: (body) => {
    exports += 1;
    bytes += body.length;
  },
  onGet: (path) => (path === '/stats' ? { exports, bytes } : undefined),
});
process.once('SIGTERM', () => {
  void sink.close().then(() => process.exit(0));
});
process.stdout.write(`${JSON.stringify({ port: sink.port })}\n`);
