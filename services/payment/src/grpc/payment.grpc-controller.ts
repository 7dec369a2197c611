import { paymentV1 } from '@junction/contracts';
import { parseInput } from '@junction/platform';
import { Controller } from '@nestjs/common';
import { PaymentService } from '../domain/payment.service';
import { chargeSchema, refundSchema } from '../domain/payment.schemas';
import { toPaymentMessage } from './payment.mapper';

/** gRPC adapter for the blocking checkout: parse, call one domain method, map. */
@Controller()
@paymentV1.PaymentServiceControllerMethods()
export class PaymentGrpcController implements paymentV1.PaymentServiceController {
  constructor(private readonly payments: PaymentService) {}

  async charge(request: paymentV1.ChargeRequest): Promise<paymentV1.ChargeResponse> {
    return {
      payment: toPaymentMessage(await this.payments.charge(parseInput(chargeSchema, request))),
    };
  }

  async refund(request: paymentV1.RefundRequest): Promise<paymentV1.RefundResponse> {
    const { orderId } = parseInput(refundSchema, request);
    return { payment: toPaymentMessage(await this.payments.refund(orderId)) };
  }
}
