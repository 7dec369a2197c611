export * from './generated/junction/orders/v1/events.pb';
