export * from './generated/junction/inventory/v1/inventory.pb';
export * from './generated/junction/inventory/v1/events.pb';
