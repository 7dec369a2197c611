import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { brokerPermissions, redisAclRules, serviceAccess } from './access.mts';
import { brokerTopology } from './broker.mts';
import { loadTopology } from './topology.mts';

const topology = loadTopology();
const services = Object.values(topology.services);
const matches = (regex: string, name: string) => new RegExp(regex).test(name);

describe(serviceAccess.name, () => {
  it('gives a Redis user to each service that uses Redis and a broker user to each that uses RabbitMQ', () => {
    const access = serviceAccess(topology);
    assert.deepEqual(
      Object.keys(access.redis),
      services.filter((s) => s.redis).map((s) => s.name),
    );
    assert.deepEqual(
      Object.keys(access.rabbitmq),
      services.filter((s) => s.rabbitmq).map((s) => s.name),
    );
  });
});

describe(redisAclRules.name, () => {
  it('confines a service to its own key prefix and channels, from nothing', () => {
    const rules = redisAclRules('orders').split(' ');
    assert.deepEqual(rules.slice(0, 5), [
      'resetkeys',
      'resetchannels',
      '~orders:*',
      '&orders:*',
      '-@all',
    ]);
    assert.equal(rules.filter((r) => r.startsWith('~') || r.startsWith('&')).length, 2);
    // What is taken away comes after what is granted, or it would be granted back.
    assert.ok(rules.indexOf('-@dangerous') > rules.indexOf('+@write'));
  });
});

describe(brokerPermissions.name, () => {
  const broker = brokerTopology(topology);
  const allEvents = [...new Set(services.flatMap((s) => [...s.publishes, ...s.consumes]))];

  it('lets each service publish exactly the events it publishes, no other', () => {
    for (const s of services.filter((x) => x.rabbitmq)) {
      const { topic } = brokerPermissions(topology, s.name);
      for (const event of allEvents) {
        assert.equal(
          matches(topic.write, event),
          s.publishes.includes(event),
          `${s.name} ${event}`,
        );
      }
      assert.ok(!matches(topic.write, '#') && !matches(topic.write, 'payment.*'));
    }
    assert.ok(!matches(brokerPermissions(topology, 'orders').topic.write, 'payment.captured'));
  });

  it('lets each service consume only its own queues, but declare and bind all of them', () => {
    for (const s of services.filter((x) => x.rabbitmq)) {
      const rights = brokerPermissions(topology, s.name);
      for (const queue of broker.queues.map((q) => q.name)) {
        const own = queue.startsWith(`${s.name}.`);
        assert.equal(matches(rights.read, queue), own, `${s.name} reads ${queue}`);
        assert.ok(matches(rights.configure, queue), `${s.name} declares ${queue}`);
      }
      for (const binding of broker.bindings) {
        assert.ok(matches(rights.write, binding.queue), `${s.name} binds ${binding.queue}`);
        assert.ok(matches(rights.topic.read, binding.routingKey));
      }
      for (const rpc of s.serves)
        assert.ok(matches(rights.read, rpc) && matches(rights.configure, rpc));
      assert.ok(!matches(rights.read, 'inventory.rpc') || s.serves.includes('inventory.rpc'));
      assert.ok(!matches(rights.configure, 'amq.default') && !matches(rights.read, 'x.events'));
    }
  });
});
