import { context, propagation, ROOT_CONTEXT, trace } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { RPCType, setRPCMetadata, W3CBaggagePropagator } from '@opentelemetry/core';
import { withSpanBaggage } from './context-propagation';
import { recordingTracer } from './recording-tracer.fixture';

describe(withSpanBaggage.name, () => {
  beforeAll(() => {
    context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
    propagation.setGlobalPropagator(new W3CBaggagePropagator());
  });
  afterAll(() => {
    propagation.disable();
    context.disable();
  });

  /** An HTTP server span as the http instrumentation leaves it: active, and in the RPC metadata. */
  function inRequest<T>(tracer: ReturnType<typeof recordingTracer>['tracer'], fn: () => T) {
    const server = tracer.startSpan('POST /orders', {}, ROOT_CONTEXT);
    const request = setRPCMetadata(trace.setSpan(ROOT_CONTEXT, server), {
      type: RPCType.HTTP,
      span: server,
    });
    const result = context.with(request, fn);
    server.end();
    return result;
  }

  it('tags the request’s server span, which started before the path was known', () => {
    const { tracer, finished } = recordingTracer();
    inRequest(tracer, () => {
      withSpanBaggage({ 'checkout.path': 'blocking', 'order.id': 'o-1' }, () => undefined);
    });
    expect(finished('POST /orders')).toEqual({ 'checkout.path': 'blocking', 'order.id': 'o-1' });
  });

  it('tags the active span too, when it is not the server span', () => {
    const { tracer, finished } = recordingTracer();
    inRequest(tracer, () => {
      const handler = tracer.startSpan('handler');
      context.with(trace.setSpan(context.active(), handler), () => {
        withSpanBaggage({ 'checkout.path': 'queued' }, () => undefined);
      });
      handler.end();
    });
    expect(finished('handler')).toEqual({ 'checkout.path': 'queued' });
    expect(finished('POST /orders')).toEqual({ 'checkout.path': 'queued' });
  });

  it('puts the entries in the baggage, so every span started inside carries them', () => {
    const { tracer, finished } = recordingTracer();
    inRequest(tracer, () => {
      withSpanBaggage({ 'checkout.path': 'queued', 'order.id': 'o-2' }, () => {
        expect(propagation.getActiveBaggage()?.getEntry('order.id')?.value).toBe('o-2');
        tracer.startSpan('publish').end();
      });
    });
    expect(finished('publish')).toEqual({ 'checkout.path': 'queued', 'order.id': 'o-2' });
  });

  it('leaves spans that already ended, and values outside the contract, alone', () => {
    const { tracer, finished } = recordingTracer();
    inRequest(tracer, () => {
      tracer.startSpan('jwks').end();
      withSpanBaggage({ 'checkout.path': 'express', 'order.id': 'o-3' }, () => undefined);
    });
    expect(finished('jwks')).toEqual({});
    expect(finished('POST /orders')).toEqual({ 'order.id': 'o-3' });
  });

  it('only runs the function with tracing off', () => {
    expect(withSpanBaggage({ 'checkout.path': 'blocking' }, () => 42)).toBe(42);
  });
});
