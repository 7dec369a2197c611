import { type Context, propagation, ROOT_CONTEXT, trace } from '@opentelemetry/api';
import { W3CBaggagePropagator } from '@opentelemetry/core';
import { recordingTracer } from './recording-tracer.fixture';
import { SpanAttributesFromBaggage } from './span-attributes-from-baggage';

function withBaggage(context: Context, entries: Record<string, string>): Context {
  let baggage = propagation.createBaggage();
  for (const [key, value] of Object.entries(entries)) baggage = baggage.setEntry(key, { value });
  return propagation.setBaggage(context, baggage);
}

describe(SpanAttributesFromBaggage.name, () => {
  beforeAll(() => {
    propagation.setGlobalPropagator(new W3CBaggagePropagator());
  });
  afterAll(() => {
    propagation.disable();
  });

  describe('onStart', () => {
    it('copies checkout.path and order.id from the baggage onto the span', () => {
      const { tracer, finished } = recordingTracer();
      const context = withBaggage(ROOT_CONTEXT, { 'checkout.path': 'queued', 'order.id': 'o-1' });
      tracer.startSpan('publish', {}, context).end();
      expect(finished('publish')).toMatchObject({ 'checkout.path': 'queued', 'order.id': 'o-1' });
    });

    it('copies only the allow-listed keys, and only valid values', () => {
      const { tracer, finished } = recordingTracer();
      const context = withBaggage(ROOT_CONTEXT, {
        'checkout.path': 'express',
        'order.id': 'o-2',
        'user.email': 'someone@example.test',
      });
      tracer.startSpan('process', {}, context).end();
      expect(finished('process')).toEqual({ 'order.id': 'o-2' });
    });

    it('leaves the spans that started before the entries as they are (no scan of open spans)', () => {
      const { tracer, finished } = recordingTracer();
      const server = tracer.startSpan('POST /orders', {}, ROOT_CONTEXT);
      const inServer = trace.setSpan(ROOT_CONTEXT, server);
      const sibling = tracer.startSpan('jwks', {}, inServer);
      const tagged = withBaggage(inServer, { 'checkout.path': 'blocking' });
      tracer.startSpan('grpc Reserve', {}, tagged).end();
      sibling.end();
      server.end();
      expect(finished('grpc Reserve')).toEqual({ 'checkout.path': 'blocking' });
      expect(finished('POST /orders')).toEqual({});
      expect(finished('jwks')).toEqual({});
    });

    it('gives a span without baggage the tags of its local parent span', () => {
      const { tracer, finished } = recordingTracer();
      const consumer = tracer.startSpan('process (linked)', {}, ROOT_CONTEXT);
      consumer.setAttribute('checkout.path', 'queued');
      tracer.startSpan('exists', {}, trace.setSpan(ROOT_CONTEXT, consumer)).end();
      consumer.end();
      expect(finished('exists')).toEqual({ 'checkout.path': 'queued' });
    });
  });
});
