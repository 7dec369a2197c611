import assert from 'node:assert/strict';
import { performance } from 'node:perf_hooks';
import { describe, it } from 'node:test';
import { openLoop } from './open-loop.mts';

describe(openLoop.name, () => {
  it('starts each arrival at its due time, i / rate, whatever the earlier ones still do', async () => {
    const zero = performance.now();
    const started: { index: number; dueMs: number; atMs: number }[] = [];
    const arrivals = await openLoop(
      { ratePerSecond: 50, durationMs: 200 },
      async (index, dueMs) => {
        started.push({ index, dueMs, atMs: performance.now() - zero });
        await new Promise((resolve) => setTimeout(resolve, 100)); // slower than the interval
      },
      { zero },
    );
    assert.equal(arrivals.count, 10);
    assert.equal(arrivals.arrivalsMs, 200);
    assert.deepEqual(
      started.map((s) => s.dueMs),
      Array.from({ length: 10 }, (_, i) => i * 20),
    );
    for (const s of started) assert.ok(s.atMs >= s.dueMs, `arrival ${String(s.index)} early`);
    assert.ok(arrivals.maxSendLagMs < 100, `lagged ${String(arrivals.maxSendLagMs)} ms`);
  });

  it('ends the arrivals at the stop signal and still waits for those under way', async () => {
    const stop = new AbortController();
    let finished = 0;
    const arrivals = await openLoop(
      { ratePerSecond: 100, durationMs: 10_000 },
      async (index) => {
        if (index === 4) stop.abort();
        await new Promise((resolve) => setTimeout(resolve, 30));
        finished += 1;
      },
      { stop: stop.signal },
    );
    assert.ok(arrivals.count >= 5 && arrivals.count < 20, String(arrivals.count));
    assert.equal(finished, arrivals.count);
  });
});
