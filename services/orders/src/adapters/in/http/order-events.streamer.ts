import { Injectable } from '@nestjs/common';
import { type FastifyReply } from 'fastify';
import { OrdersConfig } from '../../../config';
import { isTerminal, type Order, type OrderStatus } from '../../../domain/order';
import { OrderService } from '../../../domain/order.service';
import { OrderStatusFeed } from '../../../domain/ports';
import { OpenStreams } from './open-streams';

const KEEPALIVE_MS = 15_000;

/**
 * Writes an order's status changes as Server-Sent Events (`event: status`, JSON data, the
 * order's history length as `id`). Written by hand on the raw response: the stream must start
 * only after the ownership check, and end by itself at a terminal state. A change is pushed when
 * the status feed says the order changed, and the order is also read again every
 * EVENT_STREAM_RECHECK_MS, so a missed pub/sub message delays a stream but never leaves it open.
 * Streams are capped per user and per process (OpenStreams: 429 beyond).
 */
@Injectable()
export class OrderEventsStreamer {
  private readonly recheckMs: number;

  constructor(
    private readonly orders: OrderService,
    private readonly statuses: OrderStatusFeed,
    private readonly open: OpenStreams,
    config: OrdersConfig,
  ) {
    this.recheckMs = config.eventStreams.recheckMs;
  }

  /**
   * Reads the order once: it is the ownership check (OrderNotFound, before anything is written)
   * and the stream's first event. The watch is registered before that read, so a change that
   * lands between the read and the stream's start is pushed right after the first event.
   */
  async stream(orderId: string, userId: string, reply: FastifyReply): Promise<void> {
    const before = { started: false, changed: false };
    const stopWatching = this.statuses.watch(orderId, () => {
      if (before.started) pushOrFinish();
      else before.changed = true;
    });
    let release: () => void;
    let first: Order;
    try {
      first = await this.orders.getForUser(orderId, userId);
      release = this.open.open(userId); // 429 before anything is written
    } catch (error) {
      stopWatching();
      throw error;
    }
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
    const finish = (): void => {
      if (state.closed) return;
      state.closed = true;
      stopWatching();
      clearInterval(keepalive);
      clearInterval(recheck);
      release();
      raw.end();
    };
    const show = (order: Order): void => {
      if (state.closed) return;
      if (order.status !== lastStatus) {
        lastStatus = order.status;
        raw.write(`id: ${order.history.length}\nevent: status\ndata: ${JSON.stringify(order)}\n\n`);
      }
      if (isTerminal(order.status)) finish();
    };
    const push = async (): Promise<void> => {
      if (state.closed) return;
      show(await this.orders.getForUser(orderId, userId));
    };
    function pushOrFinish(): void {
      push().catch(finish);
    }
    const keepalive = setInterval(() => raw.write(': keepalive\n\n'), KEEPALIVE_MS);
    const recheck = setInterval(pushOrFinish, this.recheckMs);
    raw.on('close', finish);
    before.started = true;
    show(first);
    if (before.changed) await push().catch(finish);
  }
}
