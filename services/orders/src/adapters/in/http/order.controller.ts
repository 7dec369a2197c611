import {
  type AccessTokenClaims,
  BearerAuthGuard,
  IdGenerator,
  Principal,
  Route,
  RouteInput,
  type RouteInputOf,
  withSpanBaggage,
} from '@junction/platform';
import { Controller, Get, Post, Res, UseGuards } from '@nestjs/common';
import { type FastifyReply } from 'fastify';
import { CheckoutService } from '../../../domain/checkout.service';
import { type Order } from '../../../domain/order';
import { OrderService } from '../../../domain/order.service';
import { OrderEventsStreamer } from './order-events.streamer';
import { getOrder, listOrders, placeOrder, streamOrderEvents } from './order.routes';

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
  @Route(placeOrder)
  async place(
    @RouteInput() { body: request, headers }: RouteInputOf<typeof placeOrder>,
    @Principal() principal: AccessTokenClaims,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<Order> {
    const idempotencyKey = headers['Idempotency-Key'];
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
  @Route(listOrders)
  async list(@Principal() principal: AccessTokenClaims): Promise<{ orders: Order[] }> {
    return { orders: await this.orders.listForUser(principal.sub) };
  }

  @Get(':id')
  @Route(getOrder)
  get(
    @RouteInput() { params }: RouteInputOf<typeof getOrder>,
    @Principal() principal: AccessTokenClaims,
  ): Promise<Order> {
    const { id } = params;
    return this.orders.getForUser(id, principal.sub);
  }

  /** Server-Sent Events: the current state first, then each change, closed at a terminal state. */
  @Get(':id/events')
  @Route(streamOrderEvents)
  async events(
    @RouteInput() { params }: RouteInputOf<typeof streamOrderEvents>,
    @Principal() principal: AccessTokenClaims,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    await this.streamer.stream(params.id, principal.sub, reply);
  }
}
