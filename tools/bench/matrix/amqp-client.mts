// GetItem over AMQP request-reply: publish to the server's request queue with RabbitMQ's direct
// reply-to and a correlation id; one connection (noDelay: Nagle off) and one channel.
import { type Channel, type ConsumeMessage, connect } from 'amqplib';
import { DIRECT_REPLY_TO } from '@junction/testkit';
import { base64Length } from './item-lookup.mts';
import { type ClientOptions, type GetItemClient, WrongReply } from './transports.mts';

interface Waiting {
  readonly resolve: () => void;
  readonly reject: (error: Error) => void;
}

/** Why a reply is not the one asked for (an error, or the wrong padding), or undefined. */
function wrongReply(content: Buffer, expectedPadding: number): WrongReply | undefined {
  const reply = JSON.parse(content.toString('utf8')) as {
    result?: { padding?: string };
    error?: { code: string; message: string };
  };
  if (reply.error) return new WrongReply(`${reply.error.code}: ${reply.error.message}`);
  const padding = reply.result?.padding?.length ?? 0;
  return padding === expectedPadding
    ? undefined
    : new WrongReply(`padding of ${String(padding)} chars`);
}

/** One call: publish the request, then wait for the reply with its correlation id. */
function requester(
  channel: Channel,
  queue: string,
  options: ClientOptions,
  waiting: Map<string, Waiting>,
): () => Promise<void> {
  const content = Buffer.from(
    JSON.stringify({ sku: options.sku, paddingBytes: options.paddingBytes }),
  );
  let next = 0;
  return () =>
    new Promise((resolve, reject) => {
      const correlationId = String(next++);
      waiting.set(correlationId, { resolve, reject });
      channel.sendToQueue(queue, content, {
        type: 'GetItem',
        replyTo: DIRECT_REPLY_TO,
        correlationId,
        contentType: 'application/json',
        expiration: '30000',
      });
    });
}

export async function openAmqpClient(
  url: string,
  queue: string,
  options: ClientOptions,
): Promise<GetItemClient> {
  const connection = await connect(url, { noDelay: true });
  const channel = await connection.createChannel();
  const waiting = new Map<string, Waiting>();
  const failAll = (error: Error): void => {
    for (const caller of waiting.values()) caller.reject(error);
    waiting.clear();
  };
  // A dropped connection fails the calls waiting on it (counted as errors), never the process.
  connection.on('error', failAll);
  connection.on('close', () => {
    failAll(new Error('connection closed'));
  });
  const expected = options.paddingBytes > 0 ? base64Length(options.paddingBytes) : 0;
  const onReply = (message: ConsumeMessage | null): void => {
    if (!message) return;
    const id = String(message.properties.correlationId);
    const caller = waiting.get(id);
    waiting.delete(id);
    if (!caller) return;
    const wrong = wrongReply(message.content, expected);
    if (wrong) caller.reject(wrong);
    else caller.resolve();
  };
  await channel.consume(DIRECT_REPLY_TO, onReply, { noAck: true });
  const call = requester(channel, queue, options, waiting);
  return {
    call,
    close: async () => {
      failAll(new Error('client closed'));
      await connection.close().catch(() => undefined);
    },
  };
}
