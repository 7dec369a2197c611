// A stand-in OpenTelemetry collector for the tests: testkit's OTLP sink, keeping every trace
// export it is sent. Services export to it with OTEL_EXPORTER_OTLP_PROTOCOL http/json, so a body
// is OTLP/JSON (protobuf would need the proto definitions).
import { type OtlpHandler, startOtlpSink } from '@junction/testkit';
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

/** `onMetrics`: where /v1/metrics exports go (without it the receiver answers them 404). */
export async function startOtlpReceiver(
  options: { readonly onMetrics?: OtlpHandler } = {},
): Promise<OtlpReceiver> {
  const exports: TracesData[] = [];
  const sink = await startOtlpSink({
    onTraces: (body) => {
      exports.push(JSON.parse(body.toString('utf8')) as TracesData);
    },
    ...options,
  });
  const spans = () => spansOf(mergeTracesData(exports));
  return {
    endpoint: sink.endpoint,
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
    close: () => sink.close(),
  };
}
