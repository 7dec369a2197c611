import { uniqueName } from '@junction/platform/testing';
import { type Channel, type ChannelModel, connect, type ConsumeMessage } from 'amqplib';
import { DeliveryAcks } from './delivery-acks';

const AMQP_URL = 'amqp://guest:guest@127.0.0.1:5672';

const nextTurn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));
const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * A quorum queue on the real broker with `count` messages, consumed on a channel of its own with
 * DeliveryAcks; `returned` closes that channel and counts what the broker put back (unacked).
 */
class AckWorld {
  readonly queue = uniqueName('test.acks');
  readonly deliveries: ConsumeMessage[] = [];
  readonly acks: DeliveryAcks;
  readonly ackCalls: { readonly tag: number; readonly multiple: boolean }[] = [];
  channelError: Error | undefined;

  private constructor(
    private readonly admin: Channel,
    private readonly channel: Channel,
  ) {
    const ack = channel.ack.bind(channel);
    channel.ack = (message, multiple) => {
      this.ackCalls.push({ tag: message.fields.deliveryTag, multiple: multiple === true });
      ack(message, multiple);
    };
    channel.on('error', (error: Error) => {
      this.channelError = error;
    });
    this.acks = new DeliveryAcks(channel);
  }

  static async start(broker: ChannelModel, count: number): Promise<AckWorld> {
    const admin = await broker.createChannel();
    const world = new AckWorld(admin, await broker.createChannel());
    await admin.assertQueue(world.queue, {
      durable: true,
      arguments: { 'x-queue-type': 'quorum' },
    });
    for (let i = 0; i < count; i += 1) admin.sendToQueue(world.queue, Buffer.from(String(i)));
    await world.channel.prefetch(count);
    await world.channel.consume(world.queue, (message) => {
      if (!message) return;
      world.acks.delivered(message);
      world.deliveries.push(message);
    });
    for (let waited = 0; world.deliveries.length < count; waited += 10) {
      if (waited > 5_000) throw new Error(`only ${String(world.deliveries.length)} delivered`);
      await sleep(10);
    }
    return world;
  }

  settle(...indexes: number[]): void {
    for (const index of indexes) this.acks.ack(this.deliveries[index] as ConsumeMessage);
  }

  /**
   * Closes the consuming channel; answers how many messages the broker holds again once that
   * count is `expected` and stays so for half a second (or whatever it is after 5 s): a quorum
   * queue takes a moment to put unacked messages back, longer on a busy machine.
   */
  async returned(expected: number): Promise<number> {
    await sleep(100); // the acks on the wire reach the broker before the close
    await this.channel.close().catch(() => undefined);
    const deadline = Date.now() + 5_000;
    let count = -1;
    while (Date.now() < deadline) {
      count = (await this.admin.checkQueue(this.queue)).messageCount;
      if (count === expected) {
        await sleep(500);
        count = (await this.admin.checkQueue(this.queue)).messageCount;
        if (count === expected) return count;
      }
      await sleep(50);
    }
    return count;
  }

  async delete(): Promise<void> {
    await this.admin.deleteQueue(this.queue);
    await this.admin.close();
  }
}

describe(DeliveryAcks.name, () => {
  let broker: ChannelModel;
  let world: AckWorld;

  beforeAll(async () => {
    broker = await connect(AMQP_URL);
  });

  afterEach(async () => {
    await world.delete();
  });

  afterAll(async () => {
    await broker.close();
  });

  it('acks a burst settled in one turn with a single multiple ack', async () => {
    world = await AckWorld.start(broker, 10);
    world.settle(3, 0, 9, 1, 2, 4, 5, 6, 8, 7);
    await nextTurn();

    expect(world.ackCalls).toEqual([
      { tag: world.deliveries[9]?.fields.deliveryTag, multiple: true },
    ]);
    expect(await world.returned(0)).toBe(0);
    expect(world.channelError).toBeUndefined();
  });

  it('acks deliveries settled behind an elder one by one, and leaves the elder unacked', async () => {
    world = await AckWorld.start(broker, 3);
    world.settle(1, 2);
    await nextTurn();

    expect(world.ackCalls.map((call) => call.multiple)).toEqual([false, false]);
    expect(await world.returned(1)).toBe(1);
    expect(world.channelError).toBeUndefined();
  });

  it('never acks a delivery twice when the elder settles after its juniors', async () => {
    world = await AckWorld.start(broker, 4);
    world.settle(1, 3);
    await nextTurn();
    world.settle(0, 2);
    await nextTurn();

    expect(await world.returned(0)).toBe(0);
    // A second ack of one delivery tag would have closed the channel (PRECONDITION_FAILED).
    expect(world.channelError).toBeUndefined();
  });

  it('acks what is settled at once when flushed, without waiting for the turn to end', async () => {
    world = await AckWorld.start(broker, 2);
    world.settle(0, 1);
    world.acks.flush();

    expect(world.ackCalls).toHaveLength(1);
    expect(await world.returned(0)).toBe(0);
  });

  it('does not throw when the channel closed before the flush', async () => {
    world = await AckWorld.start(broker, 2);
    expect(await world.returned(2)).toBe(2);
    world.settle(0, 1);

    expect(() => {
      world.acks.flush();
    }).not.toThrow();
  });
});
