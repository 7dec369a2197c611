export { AmqpConnection } from './connection';
export { EventConsumer, type ConsumerOptions } from './consumer';
export { type DeliveryInfo, type EventHandler } from './event-handler';
export { Inbox } from './inbox';
export { MessagingModule, type MessagingOptions } from './messaging.module';
export { type OutgoingEvent } from './outgoing-event';
export { EventPublisher } from './publisher';
export { assertConsumerTopology, EVENTS_EXCHANGE, queueNames, type QueueNames } from './topology';
