import { AmqplibInstrumentation } from '@opentelemetry/instrumentation-amqplib';
import { GrpcInstrumentation } from '@opentelemetry/instrumentation-grpc';
import { HttpInstrumentation } from '@opentelemetry/instrumentation-http';
import { IORedisInstrumentation } from '@opentelemetry/instrumentation-ioredis';
import { NestInstrumentation } from '@opentelemetry/instrumentation-nestjs-core';
import { PinoInstrumentation } from '@opentelemetry/instrumentation-pino';
import { NodeSDK } from '@opentelemetry/sdk-node';

const UNTRACED_HTTP_PATHS = new Set(['/healthz', '/readyz']);
const UNTRACED_GRPC_METHODS =
  /^grpc\.(health\.v1\.Health|reflection\.v1(alpha)?\.ServerReflection)\//;

/**
 * The SDK with the instrumentations Junction relies on; every other setting (service name,
 * exporter endpoint and protocol, sampler, resource attributes) comes from the OTEL_* env.
 */
export function createSdk(): NodeSDK {
  return new NodeSDK({
    instrumentations: [
      new HttpInstrumentation({
        ignoreIncomingRequestHook: (request) =>
          UNTRACED_HTTP_PATHS.has((request.url ?? '').split('?')[0] ?? ''),
      }),
      new GrpcInstrumentation({
        ignoreGrpcMethods: [(name: string) => UNTRACED_GRPC_METHODS.test(name)],
      }),
      new AmqplibInstrumentation(),
      new IORedisInstrumentation(),
      new NestInstrumentation(),
      new PinoInstrumentation(),
    ],
  });
}
