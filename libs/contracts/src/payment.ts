export * from './generated/junction/payment/v1/payment.pb';
export * from './generated/junction/payment/v1/events.pb';
