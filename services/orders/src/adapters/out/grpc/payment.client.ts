import { paymentV1 } from '@junction/contracts';
import { type GrpcClient, ObservedDependencies } from '@junction/platform';
import { Injectable, type OnApplicationShutdown } from '@nestjs/common';
import { OrdersConfig } from '../../../config';
import { type ChargeOutcome, PaymentGateway } from '../../../domain/ports';
import { withinDeadline } from './deadline';
import { peerClient } from './peer-client';

/** Orders' gRPC client of payment (blocking path), with a deadline on every call. */
@Injectable()
export class PaymentClient extends PaymentGateway implements OnApplicationShutdown {
  private readonly client: GrpcClient<typeof paymentV1.PaymentServiceService>;

  constructor(config: OrdersConfig, observed: ObservedDependencies) {
    super();
    this.client = peerClient(
      'payment',
      paymentV1.PaymentServiceService,
      config.paymentGrpcTarget,
      config,
      observed,
    );
  }

  async charge(
    orderId: string,
    userId: string,
    amountCents: number,
    paymentMethod: string,
    deadline?: Date,
  ): Promise<ChargeOutcome> {
    const { payment } = await withinDeadline(deadline, () =>
      this.client.call.charge({ orderId, userId, amountCents, paymentMethod }),
    );
    if (payment?.status === paymentV1.PaymentStatus.PAYMENT_STATUS_CAPTURED)
      return { captured: true };
    return { captured: false, reason: payment?.declineReason || 'payment_declined' };
  }

  async refund(orderId: string, deadline?: Date): Promise<void> {
    await withinDeadline(deadline, () => this.client.call.refund({ orderId }));
  }

  onApplicationShutdown(): void {
    this.client.close();
  }
}
