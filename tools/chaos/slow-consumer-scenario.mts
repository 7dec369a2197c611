// A slow consumer: payment answers 1 s late (set at runtime with `npm run fault`), so its queue
// backs up. The broker must never hand it more than its prefetch unacked, and the backlog must
// drain by itself.
import {
  CONSUMER_PREFETCH,
  listConsumerPrefetch,
  listQueues,
  type QueueDepth,
  queuesOf,
} from '@junction/testkit';
import { serviceFault } from './fault-cli.mts';
import { type Scenario, type ScenarioContext } from './scenario.mts';
import { CHAOS_VHOST } from './settings.mts';

const LATENCY_MS = 1_000;
const QUEUE = queuesOf('payment').main;

export const slowConsumer: Scenario = {
  name: 'slow-consumer',
  title: `slow consumer: +${LATENCY_MS} ms on payment, prefetch bound, backlog drains`,
  inCi: true,
  // ~23 reserved orders/s reach payment, which manages 16/s at +1 s with 16 in flight.
  load: { ratePerSecond: 40, queuedShare: 0.9 },
  async disrupt(context) {
    await serviceFault('payment', ['--latency', String(LATENCY_MS)]);
    const sampling = new AbortController();
    const samples = sampleQueue(sampling.signal);
    try {
      const prefetch = await listConsumerPrefetch(CHAOS_VHOST);
      await context.loadDone;
      const loadEnded = Date.now();
      await context.settle();
      context.note(
        `backlog drained ${((Date.now() - loadEnded) / 1000).toFixed(1)} s after the load`,
      );
      sampling.abort();
      checkPrefetchBound(
        context,
        await samples,
        prefetch.filter((c) => c.queue === QUEUE),
      );
    } finally {
      sampling.abort();
      await serviceFault('payment', ['--clear']);
    }
  },
};

/** payment's queue depth, as often as rabbitmqctl answers, until `signal` aborts. */
async function sampleQueue(signal: AbortSignal): Promise<QueueDepth[]> {
  const samples: QueueDepth[] = [];
  while (!signal.aborted) {
    const queues = await listQueues(CHAOS_VHOST).catch(() => []);
    const depth = queues.find((queue) => queue.name === QUEUE);
    if (depth) samples.push(depth);
  }
  return samples;
}

function checkPrefetchBound(
  context: ScenarioContext,
  samples: readonly QueueDepth[],
  consumers: readonly { prefetch: number }[],
): void {
  if (consumers.length === 0 || consumers.some((c) => c.prefetch !== CONSUMER_PREFETCH)) {
    context.violation(
      `${QUEUE} consumers have prefetch [${consumers.map((c) => c.prefetch).join(', ')}], expected ${CONSUMER_PREFETCH}`,
    );
  }
  const backlogged = samples.filter((sample) => sample.ready > CONSUMER_PREFETCH);
  if (backlogged.length === 0) {
    context.violation(
      `the backlog never exceeded the prefetch (max ready ${Math.max(0, ...samples.map((s) => s.ready))}): the bound was not tested`,
    );
  }
  const over = samples.filter(
    (sample) => sample.unacked > CONSUMER_PREFETCH * Math.max(1, sample.consumers),
  );
  for (const sample of over) {
    context.violation(
      `${QUEUE} had ${sample.unacked} unacked for ${sample.consumers} consumer(s) with prefetch ${CONSUMER_PREFETCH}`,
    );
  }
  context.note(
    `max backlog ${Math.max(0, ...samples.map((s) => s.ready))}, max unacked ${Math.max(0, ...samples.map((s) => s.unacked))} ` +
      `(prefetch ${CONSUMER_PREFETCH}) over ${backlogged.length} backlogged samples`,
  );
}
