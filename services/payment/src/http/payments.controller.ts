import { type AccessTokenClaims, BearerAuthGuard, parseInput, Principal } from '@junction/platform';
import { Controller, Get, Param, UseGuards } from '@nestjs/common';
import { z } from 'zod';
import { type Payment } from '../domain/payment';
import { PaymentService } from '../domain/payment.service';
import { orderIdSchema } from '../domain/payment.schemas';

const paramsSchema = z.object({ orderId: orderIdSchema });

@Controller('payments')
@UseGuards(BearerAuthGuard)
export class PaymentsController {
  constructor(private readonly payments: PaymentService) {}

  @Get(':orderId')
  get(@Param() params: unknown, @Principal() principal: AccessTokenClaims): Promise<Payment> {
    const { orderId } = parseInput(paramsSchema, params, 'path');
    return this.payments.getForUser(orderId, principal.sub);
  }
}
