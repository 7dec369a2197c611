import { metrics, SpanKind } from '@opentelemetry/api';
import {
  type HistogramMetricData,
  MeterProvider,
  MetricReader,
  type MetricData,
} from '@opentelemetry/sdk-metrics';
import { TracerProvider } from '@opentelemetry/sdk-trace';
import { RpcCallMetrics } from './rpc-call-metrics';

/** Collects on demand what the meters recorded (no exporter, no interval). */
class CollectingReader extends MetricReader {
  async metrics(): Promise<MetricData[]> {
    const { resourceMetrics } = await this.collect();
    return resourceMetrics.scopeMetrics.flatMap((scope) => scope.metrics);
  }
  protected onForceFlush(): Promise<void> {
    return Promise.resolve();
  }
  protected onShutdown(): Promise<void> {
    return Promise.resolve();
  }
}

const reader = new CollectingReader();
metrics.setGlobalMeterProvider(new MeterProvider({ readers: [reader] }));
const tracers = new TracerProvider({ spanProcessors: [new RpcCallMetrics()] });

function histogram(all: MetricData[], name: string): HistogramMetricData | undefined {
  return all.find((m): m is HistogramMetricData => m.descriptor.name === name);
}

describe(RpcCallMetrics.name, () => {
  describe('onEnd', () => {
    it('records a gRPC server call as rpc.server.call.duration in seconds, by method and status', async () => {
      const span = tracers
        .getTracer('@opentelemetry/instrumentation-grpc')
        .startSpan('grpc.junction.inventory.v1.InventoryService/Reserve', {
          kind: SpanKind.SERVER,
          startTime: [1_000, 0],
          attributes: {
            'rpc.system': 'grpc',
            'rpc.service': 'junction.inventory.v1.InventoryService',
            'rpc.method': 'Reserve',
          },
        });
      span.setAttribute('rpc.grpc.status_code', 0);
      span.end([1_000, 250_000_000]);

      const recorded = histogram(await reader.metrics(), 'rpc.server.call.duration');
      expect(recorded?.descriptor.unit).toBe('s');
      expect(recorded?.dataPoints).toEqual([
        expect.objectContaining({
          attributes: {
            'rpc.system.name': 'grpc',
            'rpc.method': 'junction.inventory.v1.InventoryService/Reserve',
            'rpc.status_code': 'OK',
          },
          value: expect.objectContaining({ count: 1, sum: 0.25 }) as unknown,
        }),
      ]);
    });

    it('records a failed client call with its status as error.type', async () => {
      const span = tracers
        .getTracer('@opentelemetry/instrumentation-grpc')
        .startSpan('grpc.junction.payment.v1.PaymentService/Charge', {
          kind: SpanKind.CLIENT,
          attributes: {
            'rpc.service': 'junction.payment.v1.PaymentService',
            'rpc.method': 'Charge',
          },
        });
      span.setAttribute('rpc.grpc.status_code', 4);
      span.end();

      const recorded = histogram(await reader.metrics(), 'rpc.client.call.duration');
      expect(recorded?.dataPoints.map((point) => point.attributes)).toContainEqual({
        'rpc.system.name': 'grpc',
        'rpc.method': 'junction.payment.v1.PaymentService/Charge',
        'rpc.status_code': 'DEADLINE_EXCEEDED',
        'error.type': 'DEADLINE_EXCEEDED',
      });
    });

    it('leaves spans of other instrumentations alone', async () => {
      tracers
        .getTracer('@opentelemetry/instrumentation-http')
        .startSpan('POST /orders', { kind: SpanKind.SERVER })
        .end();

      const names = (await reader.metrics()).map((m) => m.descriptor.name);
      expect(names.filter((name) => name.startsWith('http.'))).toEqual([]);
      const server = histogram(await reader.metrics(), 'rpc.server.call.duration');
      expect(server?.dataPoints.map((point) => point.value.count)).toEqual([1]);
    });
  });
});
