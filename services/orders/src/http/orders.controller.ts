import { type AccessTokenClaims, BearerAuthGuard, parseInput, Principal } from '@junction/platform';
import { Body, Controller, Get, Headers, Param, Post, Res, UseGuards } from '@nestjs/common';
import { type FastifyReply } from 'fastify';
import { CheckoutService } from '../domain/checkout.service';
import { type Order } from '../domain/order';
import {
  idempotencyKeySchema,
  orderParamsSchema,
  placeOrderSchema,
} from '../domain/orders.schemas';
import { OrdersService } from '../domain/orders.service';
import { OrderEventsStreamer } from './order-events.streamer';

@Controller('orders')
@UseGuards(BearerAuthGuard)
export class OrdersController {
  constructor(
    private readonly checkout: CheckoutService,
    private readonly orders: OrdersService,
    private readonly streamer: OrderEventsStreamer,
  ) {}

  /** blocking → 201 with the final order; queued → 202 + Location with the pending order. */
  @Post()
  async place(
    @Body() body: unknown,
    @Headers('idempotency-key') rawKey: unknown,
    @Principal() principal: AccessTokenClaims,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<Order> {
    const input = parseInput(placeOrderSchema, body, 'body');
    const key = parseInput(idempotencyKeySchema, rawKey, 'Idempotency-Key header');
    const { order, created } = await this.checkout.place(principal.sub, input, key);
    void reply.status(order.mode === 'queued' ? 202 : 201);
    void reply.header('location', `/orders/${order.id}`);
    if (!created) void reply.header('idempotent-replayed', 'true');
    return order;
  }

  @Get()
  async list(@Principal() principal: AccessTokenClaims): Promise<{ orders: Order[] }> {
    return { orders: await this.orders.listForUser(principal.sub) };
  }

  @Get(':id')
  get(@Param() params: unknown, @Principal() principal: AccessTokenClaims): Promise<Order> {
    const { id } = parseInput(orderParamsSchema, params, 'path');
    return this.orders.getForUser(id, principal.sub);
  }

  /** Server-Sent Events: the current state first, then each change, closed at a terminal state. */
  @Get(':id/events')
  async events(
    @Param() params: unknown,
    @Principal() principal: AccessTokenClaims,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    const { id } = parseInput(orderParamsSchema, params, 'path');
    await this.orders.getForUser(id, principal.sub);
    await this.streamer.stream(id, principal.sub, reply);
  }
}
