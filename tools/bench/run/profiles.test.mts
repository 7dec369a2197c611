// What the report says of a profile: telemetry's own code, by instrumentation, from a small
// profile in the .cpuprofile format whose stacks are known.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { type CpuProfile, telemetryCost, topFrames } from './profiles.mts';

const OTEL = 'file:///repo/node_modules/@opentelemetry';
const frame = (functionName: string, url = '') => ({ functionName, url, lineNumber: 0 });

/** root → a service handler → the SDK's startSpan → a native; a gRPC wrapper → …; idle; GC. */
const NODES = [
  { id: 1, callFrame: frame('(root)'), children: [2, 5, 8, 9, 12, 13] },
  { id: 2, callFrame: frame('handler', 'file:///repo/services/orders/dist/x.js'), children: [3] },
  { id: 3, callFrame: frame('startSpan', `${OTEL}/sdk-trace/dist/Tracer.cjs`), children: [4] },
  { id: 4, callFrame: frame('hexSlice') },
  {
    id: 5,
    callFrame: frame('func', `${OTEL}/instrumentation-grpc/dist/instrumentation.cjs`),
    children: [6, 10],
  },
  { id: 6, callFrame: frame('startSpan', `${OTEL}/sdk-trace/dist/Tracer.cjs`), children: [7] },
  { id: 7, callFrame: frame('writeUtf8String') },
  { id: 8, callFrame: frame('(idle)') },
  { id: 9, callFrame: frame('(garbage collector)') },
  // The service's own handler, called back from the gRPC wrapper: not telemetry.
  {
    id: 10,
    callFrame: frame('reserve', 'file:///repo/services/inventory/dist/y.js'),
    children: [11],
  },
  { id: 11, callFrame: frame('emit', 'node:events') },
  {
    id: 12,
    callFrame: frame(
      'spanOf',
      'file:///repo/libs/platform/dist/telemetry/redis-batch-instrumentation.js',
    ),
  },
  // The HTTP instrumentation calls the service's controller, which calls a platform helper:
  // the helper's time is the helper's, not the instrumentation's.
  {
    id: 13,
    callFrame: frame('emit', `${OTEL}/instrumentation-http/dist/http.cjs`),
    children: [14],
  },
  {
    id: 14,
    callFrame: frame('place', 'file:///repo/services/orders/dist/z.js'),
    children: [15],
  },
  {
    id: 15,
    callFrame: frame(
      'withSpanBaggage',
      'file:///repo/libs/platform/dist/telemetry/context-propagation.js',
    ),
  },
];

/** Samples (node id, µs since the previous one) from t = 1000 µs on. */
function profile(samples: readonly (readonly [number, number])[]): CpuProfile {
  return {
    startTime: 1000,
    nodes: NODES,
    samples: samples.map(([id]) => id),
    timeDeltas: samples.map(([, delta]) => delta),
  };
}

describe('telemetryCost', () => {
  it('counts telemetry code and the natives it calls, under the innermost instrumentation', () => {
    const cost = telemetryCost(
      profile([
        [4, 1000], // SDK code called from the service: the SDK's
        [7, 2000], // SDK code inside the gRPC instrumentation: the instrumentation's
        [6, 1000],
        [11, 4000], // the service's handler (via a Node internal), inside the wrapper: not counted
        [12, 500],
        [15, 250], // a platform helper the service called: the helper's
        [8, 10_000], // idle: not busy
        [9, 1500], // garbage collection: busy, nobody's
      ]),
    );
    assert.deepEqual(cost.by, [
      { name: 'instrumentation-grpc', ms: 3 },
      { name: '@opentelemetry/sdk-trace', ms: 1 },
      { name: 'redis-batch-instrumentation', ms: 0.5 },
      { name: 'context-propagation', ms: 0.3 },
    ]);
    assert.equal(cost.ms, 4.8);
    assert.equal(cost.share, Math.round((4.75 / 10.25) * 1000) / 1000);
  });

  it('counts only the samples inside the window, as topFrames does', () => {
    const samples = [
      [7, 1000], // at 2000 µs
      [4, 1000], // at 3000 µs
      [7, 1000], // at 4000 µs
    ] as const;
    const window = { fromUs: 2500, toUs: 3500 };
    assert.deepEqual(telemetryCost(profile(samples), window), {
      ms: 1,
      share: 1,
      by: [{ name: '@opentelemetry/sdk-trace', ms: 1 }],
    });
    assert.equal(topFrames(profile(samples), window).busyMs, 1);
  });

  it('finds none in a profile with no telemetry code', () => {
    assert.deepEqual(telemetryCost(profile([[11, 1000]])), { ms: 0, share: 0, by: [] });
  });
});
