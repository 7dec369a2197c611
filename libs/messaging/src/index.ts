export { AmqpConnection } from './connection';
export { EventConsumer, type ConsumerOptions } from './consumer';
export { type EventHandler, type SubscribedEvent } from './event-handler';
export { Inbox } from './inbox';
export { MessagingModule, type MessagingOptions } from './messaging.module';
export { type OutgoingEvent } from './outgoing-event';
export { EventPublisher, type PublishOptions, UnroutableEvent } from './publisher';
export { type RpcError, type RpcHandler, type RpcReply } from './rpc-handler';
export { RpcServer, type RpcServerOptions } from './rpc-server';
export {
  assertConsumerTopology,
  assertRpcQueue,
  EVENTS_EXCHANGE,
  queueNames,
  type QueueNames,
  RPC_REQUEST_TTL_MS,
  rpcQueueName,
} from './topology';
