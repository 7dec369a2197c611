// Against the machine's RabbitMQ, in a vhost of the test's own (created and deleted here).
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { type Channel, connect } from 'amqplib';
import { EVENTS_EXCHANGE, rabbitmqUrl } from '../constants.mts';
import { deleteVhost, listQueues, recreateVhost } from './admin.mts';
import { AmqpClient, type TappedMessage } from './client.mts';

const VHOST = `junction-testkit-${String(process.pid)}`;

describe(AmqpClient.name, () => {
  let amqp: AmqpClient;

  before(async () => {
    await recreateVhost(VHOST);
    await declare((channel) => channel.assertExchange(EVENTS_EXCHANGE, 'topic', { durable: true }));
    amqp = await AmqpClient.connect(rabbitmqUrl(VHOST));
  });

  after(async () => {
    await amqp.close();
    await deleteVhost(VHOST);
  });

  describe('tap', () => {
    it('receives what is published to the events exchange under its pattern, properties and all', async () => {
      const tapped: TappedMessage[] = [];
      await amqp.tap('testkit.#', (message) => tapped.push(message));
      const messageId = randomUUID();
      await amqp.publish('testkit.hello', '{"n":1}', { messageId, type: 'Hello' });
      await amqp.publish('other.hello', '{"n":2}', { messageId: randomUUID() });
      for (let i = 0; i < 50 && tapped.length === 0; i++) await sleep(20);
      const [message, ...more] = tapped;
      assert.ok(message && more.length === 0, `${String(tapped.length)} tapped`);
      assert.equal(message.routingKey, 'testkit.hello');
      assert.equal(message.content.toString(), '{"n":1}');
      assert.equal(message.properties.messageId, messageId);
      assert.equal(message.properties.type, 'Hello');
    });
  });

  describe('queues', () => {
    it('peeks messageIds without taking them, then drains them, and counts what is left', async () => {
      const queue = `testkit.${randomUUID()}`;
      await declare((channel) => channel.assertQueue(queue, { durable: true })); // as a service does

      await amqp.sendToQueue(queue, 'a', { messageId: 'm-1' });
      await amqp.sendToQueue(queue, 'b', { messageId: 'm-2', headers: { reason: 'poison' } });
      assert.deepEqual(await amqp.peekMessageIds(queue), ['m-1', 'm-2']);
      assert.equal(await amqp.queueDepth(queue), 2);
      const drained = await amqp.drain(queue);
      assert.deepEqual(
        drained.map((m) => [m.content, m.headers.reason]),
        [
          ['a', undefined],
          ['b', 'poison'],
        ],
      );
      assert.equal(await amqp.queueDepth(queue), 0);
      assert.equal(await amqp.consumerCount(queue), 0);
      await amqp.deleteQueues([queue, `testkit.missing.${randomUUID()}`]);
      assert.ok(!(await listQueues(VHOST)).some((q) => q.name === queue));
      await assert.rejects(amqp.queueDepth(queue));
    });

    it('counts 0 consumers for a queue that does not exist', async () => {
      assert.equal(await amqp.consumerCount(`testkit.missing.${randomUUID()}`), 0);
    });
  });
});

/** Declares what the services would (the exchange, their queues) on a connection of its own. */
async function declare(what: (channel: Channel) => Promise<unknown>): Promise<void> {
  const connection = await connect(rabbitmqUrl(VHOST));
  try {
    await what(await connection.createChannel());
  } finally {
    await connection.close();
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
