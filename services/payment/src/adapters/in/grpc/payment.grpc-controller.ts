import { paymentV1 } from '@junction/contracts';
import { InjectFault, parseInput } from '@junction/platform';
import { Controller } from '@nestjs/common';
import { PaymentService } from '../../../domain/payment.service';
import { toPaymentMessage } from './payment.mapper';
import { chargeSchema, refundSchema } from './payment.schemas';

/** gRPC adapter for the blocking checkout: parse, call one domain method, map. */
@Controller()
@paymentV1.PaymentServiceControllerMethods()
export class PaymentGrpcController implements paymentV1.PaymentServiceController {
  constructor(private readonly payments: PaymentService) {}

  @InjectFault('charge')
  async charge(request: unknown): Promise<paymentV1.ChargeResponse> {
    return {
      payment: toPaymentMessage(await this.payments.charge(parseInput(chargeSchema, request))),
    };
  }

  @InjectFault('refund')
  async refund(request: unknown): Promise<paymentV1.RefundResponse> {
    const { orderId } = parseInput(refundSchema, request);
    return { payment: toPaymentMessage(await this.payments.refund(orderId)) };
  }
}
