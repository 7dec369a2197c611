import {
  context,
  ROOT_CONTEXT,
  type Span,
  SpanKind,
  SpanStatusCode,
  trace,
  TraceFlags,
} from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { IORedisInstrumentation } from '@opentelemetry/instrumentation-ioredis';
import {
  InMemorySpanExporter,
  type ReadableSpan,
  SimpleSpanProcessor,
  TracerProvider,
} from '@opentelemetry/sdk-trace';
import { Pipeline, Redis } from 'ioredis';
import { TestRedis } from '../testing/test-redis';
import { RedisBatchInstrumentation } from './redis-batch-instrumentation';

const exporter = new InMemorySpanExporter();
const provider = new TracerProvider({ spanProcessors: [new SimpleSpanProcessor({ exporter })] });
const tracer = provider.getTracer('spec');
let store: TestRedis;

/**
 * The ioredis instrumentation as tracing.ts configures it, and the batch one, applied to ioredis
 * by hand: Jest loads modules through its own registry, which the instrumentations' require
 * hooks never see.
 */
function instrument(): void {
  const ioredis = new IORedisInstrumentation({
    enabled: false,
    requireParentSpan: true,
    dbStatementSerializer: statement,
  });
  ioredis.setTracerProvider(provider);
  for (const definition of ioredis.getModuleDefinitions()) definition.patch?.(Redis, '5.9.2');
  const batches = new RedisBatchInstrumentation({ enabled: false, statement });
  batches.setTracerProvider(provider);
  // As `require('ioredis')` is: the Redis class, with the Pipeline class beside it.
  for (const definition of batches.getModuleDefinitions()) {
    definition.patch?.({ prototype: Redis.prototype, Pipeline }, '5.9.2');
  }
}

/** Every statement either instrumentation built (what a span that is kept costs to describe). */
const statements: string[] = [];
function statement(command: string): string {
  statements.push(command);
  return command.toUpperCase();
}

/** Runs `work` inside a parent span (as in a request), returns the spans that ended. */
async function inSpan(
  work: () => Promise<unknown>,
): Promise<{ parent: Span; spans: ReadableSpan[] }> {
  const parent = tracer.startSpan('POST /orders', {}, ROOT_CONTEXT);
  await context.with(trace.setSpan(ROOT_CONTEXT, parent), work);
  parent.end();
  return { parent, spans: exporter.getFinishedSpans() };
}

function only(spans: ReadableSpan[], name: string): ReadableSpan {
  const found = spans.filter((s) => s.name === name);
  expect(found.map((s) => s.name)).toEqual([name]);
  return found[0] as ReadableSpan;
}

describe(RedisBatchInstrumentation.name, () => {
  beforeAll(async () => {
    context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
    instrument();
    store = await TestRedis.connect({ label: 'redis-batch' });
  });

  afterEach(async () => {
    await store.cleanup();
    exporter.reset();
    statements.length = 0;
  });

  afterAll(async () => {
    await store.close();
    context.disable();
  });

  describe('exec', () => {
    it('records a MULTI as one span with the batch size, and no span per command', async () => {
      const { parent, spans } = await inSpan(async () => {
        const results = await store.redis
          .multi()
          .hset('order:o-1', { status: 'pending' })
          .rpush('order:o-1:history', 'pending')
          .zadd('user:u-1:orders', 1, 'o-1')
          .exec();
        expect(results).toEqual([
          [null, 1],
          [null, 1],
          [null, 1],
        ]);
      });
      expect(spans.map((s) => s.name).sort()).toEqual(['MULTI', 'POST /orders']);
      const multi = only(spans, 'MULTI');
      expect(multi.kind).toBe(SpanKind.CLIENT);
      expect(multi.parentSpanContext?.spanId).toBe(parent.spanContext().spanId);
      expect(multi.attributes).toMatchObject({
        'db.system.name': 'redis',
        'db.operation.name': 'MULTI',
        'db.operation.batch.size': 3,
        'db.query.text': 'HSET; RPUSH; ZADD',
        'server.port': 6379,
      });
      expect(multi.status.code).toBe(SpanStatusCode.UNSET);
    });

    it('names a pipeline of one command after it (PIPELINE XLEN)', async () => {
      const { spans } = await inSpan(async () => {
        const pipeline = store.redis.pipeline();
        for (const partition of [0, 1, 2]) pipeline.xlen(`outbox:{${String(partition)}}`);
        expect(await pipeline.exec()).toEqual([
          [null, 0],
          [null, 0],
          [null, 0],
        ]);
      });
      expect(only(spans, 'PIPELINE XLEN').attributes).toMatchObject({
        'db.operation.name': 'PIPELINE XLEN',
        'db.operation.batch.size': 3,
      });
      expect(spans).toHaveLength(2);
    });

    it('leaves out the batch size of a batch of one command', async () => {
      const { spans } = await inSpan(() => store.redis.multi().set('k', 'v').exec());
      expect(only(spans, 'MULTI SET').attributes['db.operation.batch.size']).toBeUndefined();
    });

    it('marks the span failed when a command of the pipeline fails', async () => {
      const { spans } = await inSpan(async () => {
        await store.redis.hset('order:o-2', { status: 'pending' });
        const results = await store.redis.pipeline().get('k').incr('order:o-2').exec();
        expect(results?.[1]?.[0]).toBeInstanceOf(Error);
      });
      const pipeline = only(spans, 'PIPELINE');
      expect(pipeline.status.code).toBe(SpanStatusCode.ERROR);
      expect(pipeline.status.message).toMatch(/WRONGTYPE/);
      expect(pipeline.attributes['error.type']).toBe('ReplyError');
    });

    it('keeps a span per single command, also right after a batch', async () => {
      const { parent, spans } = await inSpan(async () => {
        await store.redis.multi().set('a', '1').set('b', '2').exec();
        await store.redis.get('a');
      });
      expect(spans.map((s) => s.name).sort()).toEqual(['MULTI SET', 'POST /orders', 'get']);
      expect(only(spans, 'get').parentSpanContext?.spanId).toBe(parent.spanContext().spanId);
    });

    it('records nothing for a batch outside any span (background work)', async () => {
      await context.with(ROOT_CONTEXT, () => store.redis.multi().set('a', '1').get('a').exec());
      expect(exporter.getFinishedSpans()).toEqual([]);
    });

    it('under an unsampled span, records and describes nothing, and the commands still answer', async () => {
      const unsampled = trace.wrapSpanContext({
        traceId: '0af7651916cd43dd8448eb211c80319c',
        spanId: 'b7ad6b7169203331',
        traceFlags: TraceFlags.NONE,
      });
      const answers = await context.with(trace.setSpan(ROOT_CONTEXT, unsampled), async () => {
        const batch = await store.redis.multi().set('a', '1').get('a').exec();
        const single = await store.redis.get('a');
        return { batch, single, activeAfter: trace.getActiveSpan() };
      });
      expect(answers).toEqual({
        batch: [
          [null, 'OK'],
          [null, '1'],
        ],
        single: '1',
        activeAfter: unsampled,
      });
      expect(statements).toEqual([]);
      expect(exporter.getFinishedSpans()).toEqual([]);

      // The same calls under a sampled span are described and recorded.
      const { spans } = await inSpan(async () => {
        await store.redis.multi().set('a', '1').get('a').exec();
        await store.redis.get('a');
      });
      expect(statements).toEqual(['set', 'get', 'get']);
      expect(spans.map((s) => s.name).sort()).toEqual(['MULTI', 'POST /orders', 'get']);
    });

    it('calls a node-style callback back in the caller’s context', async () => {
      let caller: Span | undefined;
      let calledBackIn: Span | undefined;
      await inSpan(
        () =>
          new Promise<void>((resolve) => {
            caller = trace.getActiveSpan();
            void store.redis
              .pipeline()
              .get('a')
              .get('b')
              .exec(() => {
                calledBackIn = trace.getActiveSpan();
                resolve();
              });
          }),
      );
      expect(caller).toBeDefined();
      expect(calledBackIn).toBe(caller);
    });
  });
});
