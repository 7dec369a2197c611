import { Injectable } from '@nestjs/common';
import { type FastifyReply } from 'fastify';
import { isTerminal, type OrderStatus } from '../../../domain/order';
import { OrderService } from '../../../domain/order.service';
import { OrderStatusFeed } from '../../../domain/ports';

const KEEPALIVE_MS = 15_000;

/**
 * Writes an order's status changes as Server-Sent Events (`event: status`, JSON data, the
 * order's history length as `id`). Written by hand on the raw response: the stream must start
 * only after the ownership check, and end by itself at a terminal state.
 */
@Injectable()
export class OrderEventsStreamer {
  constructor(
    private readonly orders: OrderService,
    private readonly statuses: OrderStatusFeed,
  ) {}

  async stream(orderId: string, userId: string, reply: FastifyReply): Promise<void> {
    reply.hijack();
    const raw = reply.raw;
    raw.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-cache, no-transform',
      connection: 'keep-alive',
      'x-accel-buffering': 'no',
    });
    let lastStatus: OrderStatus | undefined;
    const state = { closed: false };
    const isClosed = (): boolean => state.closed;
    const finish = (): void => {
      if (state.closed) return;
      state.closed = true;
      stopWatching();
      clearInterval(keepalive);
      raw.end();
    };
    const push = async (): Promise<void> => {
      if (state.closed) return;
      const order = await this.orders.getForUser(orderId, userId);
      if (order.status !== lastStatus && !isClosed()) {
        lastStatus = order.status;
        raw.write(`id: ${order.history.length}\nevent: status\ndata: ${JSON.stringify(order)}\n\n`);
      }
      if (isTerminal(order.status)) finish();
    };
    const stopWatching = this.statuses.watch(orderId, () => {
      push().catch(finish);
    });
    const keepalive = setInterval(() => raw.write(': keepalive\n\n'), KEEPALIVE_MS);
    raw.on('close', finish);
    await push().catch(finish);
  }
}
