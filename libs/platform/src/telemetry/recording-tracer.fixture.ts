import {
  InMemorySpanExporter,
  SimpleSpanProcessor,
  TracerProvider,
} from '@opentelemetry/sdk-trace';
import { SpanAttributesFromBaggage } from './span-attributes-from-baggage';

/** For specs: a tracer as tracing.ts builds it (the baggage processor first), and its ended spans' attributes by name. */
export function recordingTracer() {
  const exporter = new InMemorySpanExporter();
  const provider = new TracerProvider({
    spanProcessors: [new SpanAttributesFromBaggage(), new SimpleSpanProcessor({ exporter })],
  });
  const tracer = provider.getTracer('spec');
  const finished = (name: string) => {
    const span = exporter.getFinishedSpans().find((s) => s.name === name);
    if (!span) throw new Error(`no finished span ${name}`);
    return span.attributes;
  };
  return { tracer, finished };
}
