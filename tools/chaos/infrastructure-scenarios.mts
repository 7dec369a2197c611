// The infrastructure goes away under the load: the broker restarts (every connection drops,
// unacked messages return to their queues), or Redis restarts on its append-only file.
import { restartBroker } from './rabbitmq.mts';
import { type Scenario } from './scenario.mts';

const BROKER_DOWN_MS = 2_000;
const REDIS_DOWN_MS = 5_000;

/** `rabbitmqctl stop_app`, 2 s down, `start_app` + `await_startup`: the machine's broker. */
export const rabbitmqRestart: Scenario = {
  name: 'restart-rabbitmq',
  title: 'RabbitMQ restart mid-load (stop_app, start_app)',
  inCi: true,
  async disrupt(context) {
    await context.atLoadFraction(0.3);
    const awayMs = await restartBroker(BROKER_DOWN_MS);
    context.note(`broker away ${(awayMs / 1000).toFixed(1)} s`);
  },
};

/**
 * A redis-server of the scenario's own, persisted like the chart's (AOF, fsync every second):
 * SIGTERM (a SHUTDOWN: the AOF is flushed) and started again on the same directory.
 */
export const redisRestart: Scenario = {
  name: 'restart-redis',
  title: 'Redis restart mid-load (AOF everysec, SIGTERM, start on the same dir)',
  inCi: false,
  ownRedis: true,
  async disrupt(context) {
    const redis = context.ownRedis;
    if (!redis) throw new Error('restart-redis needs its own redis-server');
    await context.atLoadFraction(0.35);
    const awayMs = await redis.restart(REDIS_DOWN_MS);
    context.note(`Redis away ${(awayMs / 1000).toFixed(1)} s`);
  },
};
