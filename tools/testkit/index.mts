// @junction/testkit: the clients the bench, chaos, the fuzzer and the e2e tests drive Junction
// with from outside, and the constants they share. The checkout client (./checkout) uses Node
// built-ins only; the rest needs amqplib, ioredis and the topology.
export {
  listConsumerPrefetch,
  listQueues,
  type QueueDepth,
  rabbitmqctl,
  recreateVhost,
  deleteVhost,
} from './amqp/admin.mts';
export {
  AmqpClient,
  brokerUserOf,
  type DrainedMessage,
  type PeekedMessage,
  type TappedMessage,
} from './amqp/client.mts';
export * from './checkout/index.mts';
export {
  allServiceQueues,
  BROKER_HOST,
  CONSUMER_PREFETCH,
  CONSUMING_SERVICES,
  DIRECT_REPLY_TO,
  EVENTS_EXCHANGE,
  queuesOf,
  rabbitmqUrl,
  OUTBOX_PARTITIONS,
  REDIS_KEYS,
  SAGA_QUEUES,
  type ServiceQueues,
} from './constants.mts';
export {
  type Infrastructure,
  removeInfrastructureAt,
  resetInfrastructureAt,
} from './infrastructure.mts';
export { freePort } from './net/free-port.mts';
export {
  type OtlpHandler,
  type OtlpSink,
  type OtlpSinkOptions,
  startOtlpSink,
} from './otlp/sink.mts';
export {
  flushRedis,
  orderStatuses,
  outboxLeaseHolders,
  outboxPartitionKeys,
  outboxLength,
  ordersByStatus,
  readHashes,
  redisRunId,
  redisVersion,
  scanKeys,
  setStock,
  stockOf,
} from './redis/inspection.mts';
export {
  familyOf,
  KEY_FAMILIES,
  type KeyFamily,
  type KeyRetention,
  keyRetentions,
  keysWithoutRetention,
} from './redis/retention.mts';
export { pollUntil, sleep, until } from './poll.mts';
export { mulberry32 } from './random.mts';
export { redisBytes } from './redis/memory.mts';
