import { DomainError } from '@junction/platform';
import { uniqueName } from '@junction/platform/testing';
import { type Channel, type ChannelModel, connect, type ConsumeMessage } from 'amqplib';
import pino from 'pino';
import { z } from 'zod';
import { AmqpConnection } from './connection';
import { type RpcHandler, type RpcReply } from './rpc-handler';
import { RpcServer } from './rpc-server';
import { rpcQueueName } from './topology';
import { deletedAfterEach } from './spec/deleted-after-each';

const AMQP_URL = 'amqp://guest:guest@127.0.0.1:5672';
const DIRECT_REPLY_TO = 'amq.rabbitmq.reply-to';
const logger = pino({ level: 'silent' });

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

async function eventually(probe: () => boolean, ms = 5_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!probe()) {
    if (Date.now() > deadline) throw new Error(`condition not met within ${String(ms)} ms`);
    await sleep(20);
  }
}

const echoSchema = z.object({ text: z.string().min(1), times: z.number().int().min(1).max(3) });

/** Answers `{ echoed }`; `behaviour` runs first and may throw or wait. */
class EchoHandler implements RpcHandler<typeof echoSchema> {
  readonly method = 'Echo';
  readonly schema = echoSchema;
  constructor(private readonly behaviour: () => Promise<void> = () => Promise.resolve()) {}

  async handle(request: z.output<typeof echoSchema>): Promise<unknown> {
    await this.behaviour();
    return { echoed: request.text.repeat(request.times) };
  }
}

interface Answer {
  readonly body: RpcReply;
  readonly correlationId: unknown;
  readonly type: unknown;
}

/** A server on its own queue, and a caller using RabbitMQ's direct reply-to. */
class RpcWorld {
  readonly service = uniqueName('rpc-test');
  readonly connection = new AmqpConnection(AMQP_URL, this.service, logger);
  readonly server = new RpcServer(
    this.connection,
    { service: this.service, prefetch: 4, maxMessageBytes: 1024 },
    logger,
  );
  private readonly answers = new Map<string, (answer: Answer) => void>();
  private caller: Channel | undefined;

  constructor(private readonly broker: ChannelModel) {}

  async start(...handlers: RpcHandler[]): Promise<void> {
    for (const handler of handlers) this.server.register(handler);
    this.server.start();
    this.connection.start();
    await eventually(() => this.server.consuming);
    this.caller = await this.broker.createChannel();
    await this.caller.consume(
      DIRECT_REPLY_TO,
      (message) => {
        this.onAnswer(message);
      },
      { noAck: true },
    );
  }

  call(method: string, body: unknown): Promise<Answer> {
    const correlationId = uniqueName('call');
    const caller = this.caller;
    if (!caller) throw new Error('start the world first');
    const content = Buffer.isBuffer(body) ? body : Buffer.from(JSON.stringify(body));
    return new Promise((resolve) => {
      this.answers.set(correlationId, resolve);
      caller.sendToQueue(rpcQueueName(this.service), content, {
        type: method,
        replyTo: DIRECT_REPLY_TO,
        correlationId,
      });
    });
  }

  async delete(): Promise<void> {
    await this.server.stop();
    await this.connection.close();
    await this.caller?.deleteQueue(rpcQueueName(this.service));
    await this.caller?.close();
  }

  private onAnswer(message: ConsumeMessage | null): void {
    if (!message) return;
    const correlationId: unknown = message.properties.correlationId;
    const resolve = this.answers.get(String(correlationId));
    this.answers.delete(String(correlationId));
    resolve?.({
      body: JSON.parse(message.content.toString()) as RpcReply,
      correlationId,
      type: message.properties.type,
    });
  }
}

function errorOf(reply: RpcReply): { code: string; message: string; violations?: unknown } {
  if (!('error' in reply)) throw new Error(`expected an error, got ${JSON.stringify(reply)}`);
  return reply.error;
}

describe(RpcServer.name, () => {
  let broker: ChannelModel;
  const deletedLater = deletedAfterEach<RpcWorld>();

  beforeAll(async () => {
    broker = await connect(AMQP_URL);
  });

  afterAll(async () => {
    await broker.close();
  });

  async function started(...handlers: RpcHandler[]): Promise<RpcWorld> {
    const world = deletedLater(new RpcWorld(broker));
    await world.start(...handlers);
    return world;
  }

  describe('answering', () => {
    it('replies with the result to replyTo, with the caller’s correlation id', async () => {
      const world = await started(new EchoHandler());
      const answer = await world.call('Echo', { text: 'ab', times: 2 });
      expect(answer.body).toEqual({ result: { echoed: 'abab' } });
      expect(answer.correlationId).toMatch(/^call-/);
      expect(answer.type).toBe('result');
    });

    it('answers many concurrent calls, each with its own reply', async () => {
      const world = await started(new EchoHandler(() => sleep(5)));
      const texts = Array.from({ length: 20 }, (_, i) => `t${String(i)}`);
      const answers = await Promise.all(
        texts.map((text) => world.call('Echo', { text, times: 1 })),
      );
      expect(answers.map((answer) => answer.body)).toEqual(
        texts.map((text) => ({ result: { echoed: text } })),
      );
    });
  });

  describe('errors', () => {
    it('answers invalid input with invalid_argument naming each field', async () => {
      const world = await started(new EchoHandler());
      const error = errorOf((await world.call('Echo', { text: '', times: 9 })).body);
      expect(error.code).toBe('invalid_argument');
      expect(error.violations).toEqual([
        expect.objectContaining({ field: 'text' }),
        expect.objectContaining({ field: 'times' }),
      ]);
    });

    it('answers a body that is not JSON, or too large, with invalid_argument', async () => {
      const world = await started(new EchoHandler());
      const notJson = await world.call('Echo', Buffer.from('{nope'));
      expect(errorOf(notJson.body)).toMatchObject({ code: 'invalid_argument' });
      expect(notJson.type).toBe('error');
      const large = await world.call('Echo', { text: 'x'.repeat(2048), times: 1 });
      expect(errorOf(large.body).message).toMatch(/too large/);
    });

    it('answers an unknown method with not_found', async () => {
      const world = await started(new EchoHandler());
      const error = errorOf((await world.call('Shout', { text: 'a', times: 1 })).body);
      expect(error).toEqual({ code: 'not_found', message: 'no method "Shout" here' });
    });

    it('passes a domain error through with its code and message', async () => {
      const world = await started(
        new EchoHandler(() => Promise.reject(new DomainError('unavailable', 'try later'))),
      );
      const error = errorOf((await world.call('Echo', { text: 'a', times: 1 })).body);
      expect(error).toEqual({ code: 'unavailable', message: 'try later' });
    });

    it('answers an unexpected failure with internal, keeping its details out of the reply', async () => {
      const world = await started(
        new EchoHandler(() => Promise.reject(new Error('secret stack detail'))),
      );
      const error = errorOf((await world.call('Echo', { text: 'a', times: 1 })).body);
      expect(error.code).toBe('internal');
      expect(error.message).toMatch(/^internal error \(correlation id [0-9a-f-]{36}\)$/);
    });
  });

  describe('stop', () => {
    it('answers the requests in flight before it resolves', async () => {
      let release: () => void = () => undefined;
      const gate = new Promise<void>((resolve) => {
        release = resolve;
      });
      let entered = false;
      const world = await started(
        new EchoHandler(async () => {
          entered = true;
          await gate;
        }),
      );
      const answer = world.call('Echo', { text: 'late', times: 1 });
      await eventually(() => entered);
      let stopped = false;
      const stopping = world.server.stop().then(() => {
        stopped = true;
      });
      await sleep(50);
      expect(stopped).toBe(false);
      release();
      await stopping;
      expect((await answer).body).toEqual({ result: { echoed: 'late' } });
    });
  });
});
