import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { loadTopology } from '@junction/topology';
import { SERVICES, serviceEnv } from './topology.mts';

describe('the local topology', () => {
  it('gives the local run the ports and the peers it declares', () => {
    const topology = loadTopology();
    assert.deepEqual(SERVICES.orders, { http: topology.services.orders?.http });
    const env = serviceEnv('orders', {
      redisUrl: 'redis://127.0.0.1:6379',
      rabbitmqUrl: 'amqp://127.0.0.1',
      portOffset: 100,
    });
    assert.equal(env.INVENTORY_GRPC_TARGET, `127.0.0.1:${String(50055 + 100)}`);
    assert.equal(env.PAYMENT_GRPC_TARGET, `127.0.0.1:${String(50054 + 100)}`);
    assert.equal(env.USER_GRPC_TARGET, undefined, 'orders calls no user API');
    assert.equal(env.AUTH_JWKS_URL, 'http://127.0.0.1:3101/.well-known/jwks.json');
  });
});
