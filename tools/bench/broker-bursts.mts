// npm run bench:broker-bursts [-- --rate <msg/s> --saga-queue --json ...] (--help lists all)
//
// What RabbitMQ spends per message, on this machine, for persistent, confirmed messages into one
// quorum queue, by how they arrive: in bursts at a fixed rate, one at a time at the same rate
// (confirms outstanding, as Junction's relay and consumers publish) with the consumer on the
// publisher's connection or on a connection of its own (as a saga hop from one service to the next
// always is; bursts too), or each only after the previous one's confirm (serial: every message then pays a disk
// sync of its own). The published bench finds RabbitMQ the largest part of a queued checkout's CPU;
// this shows how much of it is paid per arrival or per sync rather than per message. A raw amqplib
// publisher and consumer, no Junction code: arms in counterbalanced rounds (ABCDEEDCBA), one ratio
// per round against the burst arm, a bootstrap 95 % interval. It runs in its own vhost, created and
// deleted here.
import { parseArgs } from 'node:util';
import { randomBytes } from 'node:crypto';
import amqp from 'amqplib';
import { BROKER_TOPOLOGY } from '@junction/contracts';
import { deleteVhost, rabbitmqUrl, recreateVhost, until } from '@junction/testkit';
import {
  bootstrapInterval,
  type Interval,
  roundOrder,
  roundRatio,
  seededRandom,
} from './report/intervals.mts';
import { median } from './report/stats.mts';
import { cpuMsOf, pidByCommand } from './run/process-cpu.mts';

const USAGE = `Usage: npm run bench:broker-bursts [-- options]

Publishes persistent messages with publisher confirms into a quorum queue, consumed and acked as
they come (prefetch 16), in five arms: bursts at a fixed rate; one message per arrival at the
same rate, consumed on the publisher's connection; both again with the consumer on a connection
of its own ("apart", as a saga hop between two services is); and serial (each message after the
previous one's confirm, as fast as that allows). Reports RabbitMQ's and the client's CPU-ms per
message for each, the rate reached, and each arm's ratio to the burst arm with a bootstrap 95 %
interval. Needs RabbitMQ on 127.0.0.1 with rabbitmqctl (it makes its own vhost, and deletes it).

  --rate <n>      messages per second, all arms but the serial one (default 320)
  --burst <n>     messages per arrival in the burst arm (default 16)
  --seconds <s>   seconds per slot; the serial arm sends as many as it can (default 5)
  --rounds <n>    counterbalanced rounds (default 5)
  --saga-queue    declare the queue as Junction declares a saga queue (orders.events: delivery
                  limit, at-least-once dead-lettering, reject-publish), not a bare quorum queue
  --json          print the medians and intervals as JSON
  --help          this text
`;

const VHOST = 'junction-broker-bursts';
const QUEUE = 'bursts';
/** Consumed on a connection of its own. */
const QUEUE_APART = 'bursts.apart';
const PARKING = 'bursts.parking';
const BODY = randomBytes(300); // about an order event's size
/** A slot's confirmed messages are all consumed within this, or the run stops with an error. */
const DRAIN_MS = 60_000;

type Arm = 'burst' | 'single' | 'burstApart' | 'apart' | 'serial';
const ARMS: readonly Arm[] = ['burst', 'single', 'burstApart', 'apart', 'serial'];

interface Slot {
  readonly arm: Arm;
  readonly ratePerSecond: number;
  readonly brokerMsPerMessage: number;
  readonly clientMsPerMessage: number;
}

const { values } = parseArgs({
  options: {
    rate: { type: 'string', default: '320' },
    burst: { type: 'string', default: '16' },
    seconds: { type: 'string', default: '5' },
    rounds: { type: 'string', default: '5' },
    'saga-queue': { type: 'boolean', default: false },
    json: { type: 'boolean', default: false },
    help: { type: 'boolean', default: false },
  },
});
if (values.help) {
  process.stdout.write(USAGE);
  process.exit(0);
}
const rate = positive('rate', values.rate);
const burst = positive('burst', values.burst);
const seconds = positive('seconds', values.seconds);
const rounds = positive('rounds', values.rounds);
const sagaQueue = values['saga-queue'];
const json = values.json;

const broker = pidByCommand('beam.smp');
if (broker === undefined) throw new Error('no beam.smp process: is RabbitMQ running here?');

await recreateVhost(VHOST);
const connection = await amqp.connect(rabbitmqUrl(VHOST));
const consumerConnection = await amqp.connect(rabbitmqUrl(VHOST));
try {
  const publisher = await connection.createConfirmChannel();
  await publisher.assertQueue(PARKING, { durable: true, arguments: { 'x-queue-type': 'quorum' } });
  let consumed = 0;
  for (const [queue, on] of [
    [QUEUE, connection],
    [QUEUE_APART, consumerConnection],
  ] as const) {
    await publisher.assertQueue(queue, { durable: true, arguments: queueArguments() });
    const consumer = await on.createChannel();
    await consumer.prefetch(16);
    await consumer.consume(queue, (message) => {
      if (message === null) return;
      consumed += 1;
      consumer.ack(message);
    });
  }

  /** One slot of `seconds`, then until every message sent is consumed. */
  const runSlot = async (arm: Arm): Promise<Slot> => {
    consumed = 0;
    const brokerBefore = cpuMsOf(broker) ?? Number.NaN;
    const clientBefore = cpuMsOf(process.pid) ?? Number.NaN;
    const confirms: Promise<void>[] = [];
    const startedAt = performance.now();
    let total = Math.round(rate * seconds);
    const size = arm === 'burst' || arm === 'burstApart' ? burst : 1;
    const queue = arm === 'apart' || arm === 'burstApart' ? QUEUE_APART : QUEUE;
    if (arm === 'serial') {
      for (total = 0; performance.now() - startedAt < seconds * 1000; total += 1)
        await publish(queue);
    }
    for (let sent = 0; arm !== 'serial' && sent < total;) {
      const dueAt = startedAt + (sent / rate) * 1000; // open loop: arrivals do not wait
      const wait = dueAt - performance.now();
      // Behind schedule, still one event-loop turn per arrival: never a burst by accident.
      await new Promise((resolve) =>
        wait > 0 ? setTimeout(resolve, wait) : setImmediate(resolve),
      );
      for (let k = 0; k < size && sent < total; k += 1, sent += 1) confirms.push(publish(queue));
    }
    await Promise.all(confirms);
    if (!(await until(() => Promise.resolve(consumed >= total), DRAIN_MS, 10)))
      throw new Error(`${arm}: ${String(total - consumed)} of ${String(total)} not consumed`);
    return {
      arm,
      ratePerSecond: total / ((performance.now() - startedAt) / 1000),
      brokerMsPerMessage: ((cpuMsOf(broker) ?? Number.NaN) - brokerBefore) / total,
      clientMsPerMessage: ((cpuMsOf(process.pid) ?? Number.NaN) - clientBefore) / total,
    };
  };
  const publish = (queue: string): Promise<void> =>
    new Promise((resolve, reject) => {
      publisher.publish('', queue, BODY, { persistent: true, mandatory: true }, (error) => {
        if (error) reject(error instanceof Error ? error : new Error(String(error)));
        else resolve();
      });
    });

  await runSlot('burst'); // warm-up, not counted
  const random = seededRandom(Date.now() >>> 0);
  const slots: Slot[][] = [];
  for (let round = 0; round < rounds; round += 1) {
    const done: Slot[] = [];
    for (const arm of roundOrder(ARMS, random)) done.push(await runSlot(arm));
    slots.push(done);
  }
  report(slots);
} finally {
  await consumerConnection.close().catch(() => undefined);
  await connection.close().catch(() => undefined);
  await deleteVhost(VHOST);
}

interface ArmSummary {
  readonly ratePerSecond: number;
  readonly brokerMsPerMessage: number;
  readonly clientMsPerMessage: number;
  /** Against the burst arm, round by round (absent for the burst arm itself). */
  readonly brokerRatio?: Interval;
  readonly clientRatio?: Interval;
}

/** Medians over the rounds, and each arm's ratios to the burst arm. */
function summarize(slots: readonly (readonly Slot[])[]): Record<Arm, ArmSummary> {
  const armValues = (arm: Arm, pick: (slot: Slot) => number) => (round: readonly Slot[]) =>
    round.filter((slot) => slot.arm === arm).map(pick);
  const medianOf = (arm: Arm, pick: (slot: Slot) => number): number =>
    median(slots.flatMap(armValues(arm, pick)));
  const ratioOf = (arm: Arm, pick: (slot: Slot) => number): Interval =>
    bootstrapInterval(
      slots.map((round) =>
        roundRatio(armValues(arm, pick)(round), armValues('burst', pick)(round)),
      ),
    );
  const broker = (slot: Slot): number => slot.brokerMsPerMessage;
  const clientCpu = (slot: Slot): number => slot.clientMsPerMessage;
  const summaryOf = (arm: Arm): ArmSummary => ({
    ratePerSecond: medianOf(arm, (slot) => slot.ratePerSecond),
    brokerMsPerMessage: medianOf(arm, broker),
    clientMsPerMessage: medianOf(arm, clientCpu),
    ...(arm === 'burst'
      ? {}
      : { brokerRatio: ratioOf(arm, broker), clientRatio: ratioOf(arm, clientCpu) }),
  });
  return Object.fromEntries(ARMS.map((arm) => [arm, summaryOf(arm)])) as Record<Arm, ArmSummary>;
}

function report(slots: readonly (readonly Slot[])[]): void {
  const summary = summarize(slots);
  if (json) {
    process.stdout.write(
      `${JSON.stringify({ sagaQueue, rounds: slots.length, seconds, arms: summary }, null, 2)}\n`,
    );
    return;
  }
  const cell = (text: string): string => text.padStart(32);
  const row = (
    label: string,
    value: (arm: ArmSummary) => number,
    ratio: (arm: ArmSummary) => Interval | undefined,
  ): string =>
    label.padEnd(30) +
    ARMS.map((name) => {
      const arm = summary[name];
      const interval = ratio(arm);
      if (!interval) return cell(value(arm).toFixed(3));
      const bounds = `${interval.low.toFixed(2)}–${interval.high.toFixed(2)}`;
      return cell(`${value(arm).toFixed(3)} ${interval.estimate.toFixed(2)}× [${bounds}]`);
    }).join('');
  const headings: Record<Arm, string> = {
    burst: `bursts of ${String(burst)}`,
    single: 'one at a time (÷ bursts)',
    burstApart: `bursts of ${String(burst)} apart (÷ bursts)`,
    apart: 'consumer apart (÷ bursts)',
    serial: 'serial (÷ bursts)',
  };
  process.stdout.write(
    [
      `Persistent, confirmed messages into one ${sagaQueue ? 'saga-shaped' : 'bare'} quorum queue; ${String(slots.length)} rounds of ${String(seconds)} s slots; medians`,
      ''.padEnd(30) + ARMS.map((name) => cell(headings[name])).join(''),
      ''.padEnd(30) +
        ARMS.map((name) => cell(summary[name].ratePerSecond.toFixed(0))).join('') +
        '  msg/s',
      row(
        'RabbitMQ CPU-ms per message',
        (arm) => arm.brokerMsPerMessage,
        (arm) => arm.brokerRatio,
      ),
      row(
        'client CPU-ms per message',
        (arm) => arm.clientMsPerMessage,
        (arm) => arm.clientRatio,
      ),
      '',
    ].join('\n'),
  );
}

/** A bare quorum queue, or (--saga-queue) the arguments of Junction's orders.events. */
function queueArguments(): Record<string, unknown> {
  if (!sagaQueue) return { 'x-queue-type': 'quorum' };
  const saga = BROKER_TOPOLOGY.queues.find((queue) => queue.name === 'orders.events');
  if (!saga) throw new Error('orders.events is not in the broker topology any more');
  return { ...saga.arguments, 'x-dead-letter-routing-key': PARKING };
}

function positive(name: string, text: string): number {
  const value = Number(text);
  if (!Number.isFinite(value) || value <= 0) {
    process.stderr.write(`--${name} must be a positive number, not ${text}\n\n${USAGE}`);
    process.exit(2);
  }
  return value;
}
