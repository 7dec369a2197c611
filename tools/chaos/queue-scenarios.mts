// A consumer's queue deleted under the load (an operator's `rabbitmqctl delete_queue`, or a
// broker that lost its definitions): the services declare it again and nothing published after
// the deletion is lost — a publish that reaches no queue is returned (mandatory), fails, and is
// retried; the consumer the broker cancelled subscribes again.
import { queuesOf, until } from '@junction/testkit';
import { type Scenario } from './scenario.mts';

/**
 * Deletes `service`'s main queue at 30 % of the load, at a moment it holds no ready message (a
 * message still in a deleted queue is gone with it: no publisher can see that; deliveries being
 * handled still finish). Then every order must end terminal and the books balance.
 */
export function queueDeleted(service: string, inCi: boolean): Scenario {
  const queue = queuesOf(service).main;
  return {
    name: `delete-queue-${service}`,
    title: `queue deleted mid-load: ${queue} (queue.delete), declared again`,
    inCi,
    async disrupt(context) {
      await context.atLoadFraction(0.3);
      const amqp = await context.amqp();
      const idle = await until(async () => (await amqp.queueDepth(queue)) === 0, 10_000, 5);
      if (!idle) context.violation(`${queue} never had 0 ready messages to be deleted at`);
      const deletedWith = await amqp.deleteQueue(queue);
      context.note(`${queue} deleted with ${String(deletedWith)} messages in it`);
      const consumed = await until(async () => (await amqp.consumerCount(queue)) > 0, 10_000, 50);
      if (!consumed) context.violation(`${queue} had no consumer 10 s after it was deleted`);
    },
  };
}
