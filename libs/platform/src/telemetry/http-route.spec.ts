import { context, trace, TraceFlags } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { recordingTracer } from './recording-tracer.fixture';
import { traceResponse } from './http-route';

describe('traceResponse', () => {
  const manager = new AsyncLocalStorageContextManager();
  beforeAll(() => context.setGlobalContextManager(manager.enable()));
  afterAll(() => {
    context.disable();
  });

  it("is the active span's trace id, span id and flags, as W3C's traceresponse writes them", () => {
    const { tracer } = recordingTracer();
    const span = tracer.startSpan('POST /orders');
    const { traceId, spanId } = span.spanContext();
    const header = context.with(trace.setSpan(context.active(), span), traceResponse);
    span.end();
    expect(header).toBe(`00-${traceId}-${spanId}-01`);
    expect(header).toMatch(/^00-[0-9a-f]{32}-[0-9a-f]{16}-[0-9a-f]{2}$/);
  });

  it('keeps the flags of a span that is not sampled (the client then knows no trace is kept)', () => {
    const unsampled = trace.wrapSpanContext({
      traceId: '4bf92f3577b34da6a3ce929d0e0e4736',
      spanId: '00f067aa0ba902b7',
      traceFlags: TraceFlags.NONE,
    });
    const header = context.with(trace.setSpan(context.active(), unsampled), traceResponse);
    expect(header).toBe('00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-00');
  });

  it('is undefined where no span is active (telemetry off, probes)', () => {
    expect(traceResponse()).toBeUndefined();
  });
});
