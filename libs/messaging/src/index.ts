export { type ChannelReport, type ChannelState } from './channel-health';
export {
  AmqpConnection,
  type AmqpConnectionOptions,
  DEFAULT_CONFIRM_TIMEOUT_MS,
} from './connection';
export { EventConsumer, type ConsumerOptions } from './consumer';
export { declareBrokerTopology, type QueueMismatch } from './declare-topology';
export { type EventHandler, type SubscribedEvent } from './event-handler';
export { Inbox } from './inbox';
export { MessagingModule, type MessagingOptions } from './messaging.module';
export { type OutgoingEvent } from './outgoing-event';
export { EventPublisher, type PublishOptions, UnroutableEvent } from './publisher';
export { type RpcError, type RpcHandler, type RpcReply } from './rpc-handler';
export { RpcServer, type RpcServerOptions } from './rpc-server';
export {
  assertRpcQueue,
  type BrokerTopology,
  consumerTopology,
  DELIVERY_LIMIT,
  EVENTS_EXCHANGE,
  queueNames,
  type QueueNames,
  RPC_REQUEST_TTL_MS,
  rpcQueueName,
} from './topology';
