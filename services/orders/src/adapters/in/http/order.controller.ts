import {
  type AccessTokenClaims,
  BearerAuthGuard,
  IdGenerator,
  parseInput,
  Principal,
  withSpanBaggage,
} from '@junction/platform';
import { Body, Controller, Get, Headers, Param, Post, Res, UseGuards } from '@nestjs/common';
import { type FastifyReply } from 'fastify';
import { CheckoutService } from '../../../domain/checkout.service';
import { type Order } from '../../../domain/order';
import { OrderService } from '../../../domain/order.service';
import { OrderEventsStreamer } from './order-events.streamer';
import { idempotencyKeySchema, orderParamsSchema, placeOrderSchema } from './order.schemas';

@Controller('orders')
@UseGuards(BearerAuthGuard)
export class OrderController {
  constructor(
    private readonly checkout: CheckoutService,
    private readonly orders: OrderService,
    private readonly streamer: OrderEventsStreamer,
    private readonly ids: IdGenerator,
  ) {}

  /** blocking → 201 with the final order; queued → 202 + Location with the pending order. */
  @Post()
  async place(
    @Body() body: unknown,
    @Headers('idempotency-key') rawKey: unknown,
    @Principal() principal: AccessTokenClaims,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<Order> {
    const request = parseInput(placeOrderSchema, body, 'body');
    const idempotencyKey = parseInput(idempotencyKeySchema, rawKey, 'Idempotency-Key header');
    const orderId = this.ids.newId();
    // Every span of this checkout, in every service, carries the path and the order id.
    const { order, created } = await withSpanBaggage(
      { 'checkout.path': request.mode, 'order.id': orderId },
      () => this.checkout.place({ orderId, userId: principal.sub, request, idempotencyKey }),
    );
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
