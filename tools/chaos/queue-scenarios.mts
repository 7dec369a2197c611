// A consumer's queue deleted under the load (an operator's `rabbitmqctl delete_queue`, or a
// broker that lost its definitions): the services declare it again and nothing published after
// the deletion is lost — a publish that reaches no queue is returned (mandatory), fails, and is
// retried; the consumer the broker cancelled subscribes again.
import { queuesOf, until } from '@junction/testkit';
import { DEADLINE_ENV, timedOut } from './deadline.mts';
import { readLedger } from './ledger.mts';
import { type Scenario } from './scenario.mts';

/**
 * The most orders the deadline may have to end. The queue is deleted a few milliseconds after it
 * was seen with no ready message, but a message routed to it in between, or one the broker had
 * sent to the consumer and not yet seen acked, is deleted with it (a delete's count is of ready
 * messages only, and no publisher is told). That is a handful at this load; more means the
 * services lost what they published after the deletion.
 */
const MAX_IN_TRANSIT = 3;

/**
 * Deletes `service`'s main queue at 30 % of the load, at a moment it holds no ready message
 * (deliveries being handled still finish). Then every order must end terminal and the books
 * balance; an order whose message was in transit into the deleted queue is ended by orders'
 * deadline (short here), as it would be in production after QUEUED_ORDER_DEADLINE_MS.
 */
export function queueDeleted(service: string, inCi: boolean): Scenario {
  const queue = queuesOf(service).main;
  return {
    name: `delete-queue-${service}`,
    title: `queue deleted mid-load: ${queue} (queue.delete), declared again`,
    inCi,
    env: DEADLINE_ENV,
    async disrupt(context) {
      await context.atLoadFraction(0.3);
      const amqp = await context.amqp();
      const idle = await until(async () => (await amqp.queueDepth(queue)) === 0, 10_000, 5);
      if (!idle) context.violation(`${queue} never had 0 ready messages to be deleted at`);
      const deletedWith = await amqp.deleteQueue(queue);
      const consumed = await until(async () => (await amqp.consumerCount(queue)) > 0, 10_000, 50);
      if (!consumed) context.violation(`${queue} had no consumer 10 s after it was deleted`);
      await context.loadDone;
      await context.settle();
      const ended = timedOut(await readLedger(context.stage.redis, []));
      if (ended > MAX_IN_TRANSIT) {
        context.violation(
          `${String(ended)} orders timed out: more than the ${String(MAX_IN_TRANSIT)} a deletion at an idle moment can lose`,
        );
      }
      context.note(
        `${queue} deleted with ${String(deletedWith)} ready messages in it; ${String(ended)} orders ended by the deadline`,
      );
    },
  };
}
