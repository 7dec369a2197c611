import {
  type AccessTokenClaims,
  BearerAuthGuard,
  Principal,
  Route,
  RouteInput,
  type RouteInputOf,
} from '@junction/platform';
import { Controller, Get, UseGuards } from '@nestjs/common';
import { type Payment } from '../../../domain/payment';
import { PaymentService } from '../../../domain/payment.service';
import { getPayment } from './payment.routes';

@Controller('payments')
@UseGuards(BearerAuthGuard)
export class PaymentController {
  constructor(private readonly payments: PaymentService) {}

  @Get(':orderId')
  @Route(getPayment)
  get(
    @RouteInput() { params }: RouteInputOf<typeof getPayment>,
    @Principal() principal: AccessTokenClaims,
  ): Promise<Payment> {
    return this.payments.getForUser(params.orderId, principal.sub);
  }
}
