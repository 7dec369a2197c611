// Restarting the machine's RabbitMQ (rabbitmqctl stop_app / start_app), and starting it again
// if a restart was interrupted. Reading it (queues, consumers) is testkit's amqp/admin.
import { rabbitmqctl, sleep } from '@junction/testkit';

let appStopped = false;

/**
 * Stops the broker's application (every connection drops), keeps it down for `downMs`, starts it
 * again and waits until it serves. Returns how long the broker was away, in ms.
 */
export async function restartBroker(downMs: number): Promise<number> {
  const started = Date.now();
  appStopped = true;
  try {
    await rabbitmqctl(['stop_app']);
    await sleep(downMs);
  } finally {
    await ensureBrokerRunning();
  }
  return Date.now() - started;
}

/** Starts the broker's application again if a restart was interrupted (safe to call any time). */
export async function ensureBrokerRunning(): Promise<void> {
  if (!appStopped) return;
  await rabbitmqctl(['start_app']);
  await rabbitmqctl(['await_startup'], 120_000);
  appStopped = false;
}
