import { type Channel, type Message } from 'amqplib';

/**
 * The acks of one channel, coalesced per turn of the event loop. Deliveries settled in the same
 * turn are acked by one `basic.ack` with `multiple` — up to the newest delivery whose elders are
 * all settled — and the ones settled while an elder is still being handled are acked one by one,
 * so no delivery waits on another. On a quorum queue every ack is a command in the queue's Raft
 * log; at a few hundred messages a second, handlers finish in bursts and one command settles the
 * burst (docs/performance.md). Written here because amqplib leaves ack batching to the caller.
 *
 * AMQP 0-9-1 numbers a channel's deliveries 1, 2, 3…, so the oldest unsettled delivery is the
 * front of `outstanding`, and a `multiple` ack never covers one still being handled.
 */
export class DeliveryAcks {
  /** Delivered and not yet acked, oldest first. */
  private readonly outstanding: Message[] = [];
  /** Settled by their handler, waiting for the next flush. */
  private readonly settled = new Set<Message>();
  private scheduled: NodeJS.Immediate | undefined;

  constructor(private readonly channel: Channel) {}

  delivered(message: Message): void {
    this.outstanding.push(message);
  }

  /** The handler is done with `message`: acked at the end of this turn. */
  ack(message: Message): void {
    this.settled.add(message);
    this.scheduled ??= setImmediate(() => {
      this.flush();
    });
  }

  /**
   * `message` could not be settled: it goes back to its queue at once (`nack` with requeue),
   * out of the coalesced acks, so a later `multiple` ack never has to wait behind it.
   */
  requeue(message: Message): void {
    const index = this.outstanding.indexOf(message);
    if (index >= 0) this.outstanding.splice(index, 1);
    this.settled.delete(message);
    try {
      this.channel.nack(message, false, true);
    } catch {
      // The channel closed: the broker puts the unacked message back by itself.
    }
  }

  /**
   * Acks what is settled now. A channel that closed in between has lost its deliveries to the
   * broker, which redelivers them; there is nothing left to ack.
   */
  flush(): void {
    if (this.scheduled) clearImmediate(this.scheduled);
    this.scheduled = undefined;
    if (this.settled.size === 0) return;
    let newest: Message | undefined;
    while (this.outstanding.length > 0 && this.settled.has(this.outstanding[0] as Message)) {
      newest = this.outstanding.shift();
      this.settled.delete(newest as Message);
    }
    try {
      if (newest) this.channel.ack(newest, true);
      for (const message of this.settled) {
        this.outstanding.splice(this.outstanding.indexOf(message), 1);
        this.channel.ack(message);
      }
    } catch {
      // IllegalOperationError: the channel closed; the broker redelivers what was not acked.
      this.outstanding.length = 0;
    }
    this.settled.clear();
  }
}
