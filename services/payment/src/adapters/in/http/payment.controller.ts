import { type AccessTokenClaims, BearerAuthGuard, parseInput, Principal } from '@junction/platform';
import { Controller, Get, Param, UseGuards } from '@nestjs/common';
import { type Payment } from '../../../domain/payment';
import { PaymentService } from '../../../domain/payment.service';
import { paymentPathSchema } from './payment.schemas';

@Controller('payments')
@UseGuards(BearerAuthGuard)
export class PaymentController {
  constructor(private readonly payments: PaymentService) {}

  @Get(':orderId')
  get(@Param() params: unknown, @Principal() principal: AccessTokenClaims): Promise<Payment> {
    const { orderId } = parseInput(paymentPathSchema, params, 'path');
    return this.payments.getForUser(orderId, principal.sub);
  }
}
