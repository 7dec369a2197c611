import 'reflect-metadata';
import { type GrpcServiceInfo } from '@junction/contracts';
import { type INestApplication, type Type } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { type MicroserviceOptions } from '@nestjs/microservices';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { type Logger } from 'pino';
import { type z } from 'zod';
import { type PlatformConfig } from '../config/env';
import { ConfigError, type ConfigClass, loadConfig } from '../config/load-config';
import { grpcServerOptions, GrpcServerHandle } from '../grpc/grpc-server';
import { addSecurityHeaders } from '../http/security-headers';
import { ObservedDependencies } from '../health/observed-dependencies';
import { Readiness } from '../health/readiness';
import { AppLogger } from '../logging/app-logger';
import { createLogger, PinoNestLogger } from '../logging/logger';
import { configureTelemetry, httpServerSpanHook, shutdownTelemetry } from '../telemetry/sdk';
import { PlatformModule } from './platform.module';
import { ServiceIdentity } from './service-identity';

export interface ServiceDefinition<C extends PlatformConfig, S extends z.ZodType = z.ZodType> {
  /** The service's name: log field, Redis key prefix, and what the processes are called. */
  readonly name: string;
  readonly config: ConfigClass<C, S>;
  readonly module: Type;
  /** Serve this gRPC service on `grpcPort` of the config, with health and reflection. */
  readonly grpc?: { readonly service: GrpcServiceInfo; readonly port: (config: C) => number };
  /** Largest accepted HTTP body and gRPC message, in bytes. */
  readonly maxMessageBytes?: number;
}

const EXIT_CONFIG = 78; // EX_CONFIG from sysexits.h

/**
 * Starts a service: validates its config (one line and exit 78 if wrong), creates the Nest app
 * on Fastify, serves gRPC when asked, and shuts down gracefully on SIGTERM/SIGINT (stop taking
 * work, drain in-flight work, close connections, exit 0) within SHUTDOWN_TIMEOUT_MS.
 */
export async function runService<C extends PlatformConfig, S extends z.ZodType>(
  definition: ServiceDefinition<C, S>,
): Promise<void> {
  let config: Readonly<C>;
  try {
    config = loadConfig(definition.config);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    process.stderr.write(`${definition.name}: ${error.message}\n`);
    process.exit(EXIT_CONFIG);
  }
  configureTelemetry(config);
  const logger = createLogger(definition.name, config.logLevel);
  process.on('unhandledRejection', (reason) => {
    logger.fatal({ err: reason }, 'unhandled promise rejection');
    process.exit(1);
  });
  try {
    await start(definition, config, logger);
  } catch (error) {
    logger.fatal(
      { err: error },
      `failed to start: ${error instanceof Error ? error.message : String(error)}`,
    );
    process.exit(1);
  }
}

async function start<C extends PlatformConfig, S extends z.ZodType>(
  definition: ServiceDefinition<C, S>,
  config: Readonly<C>,
  logger: Logger,
): Promise<void> {
  const readiness = new Readiness();
  const observed = new ObservedDependencies(logger.child({ component: 'dependencies' }));
  const maxMessageBytes = definition.maxMessageBytes ?? 1024 * 1024;
  const grpc = definition.grpc
    ? new GrpcServerHandle(`${definition.grpc.service.package}.${definition.grpc.service.service}`)
    : undefined;
  const root = PlatformModule.forService({
    identity: new ServiceIdentity(definition.name),
    configClass: definition.config,
    config,
    logger: new AppLogger(logger),
    readiness,
    observed,
    extraProviders: grpc ? [{ provide: GrpcServerHandle, useValue: grpc }] : [],
  });
  const app = await NestFactory.create<NestFastifyApplication>(
    { module: class JunctionRoot {}, imports: [root, definition.module] },
    new FastifyAdapter({
      trustProxy: config.trustProxyHops > 0 ? config.trustProxyHops : false,
      bodyLimit: maxMessageBytes,
      return503OnClosing: true,
    }),
    { logger: new PinoNestLogger(logger), abortOnError: false },
  );
  const fastify = app.getHttpAdapter().getInstance();
  const spanHook = httpServerSpanHook();
  if (spanHook) fastify.addHook('onRequest', spanHook);
  // Helmet's security headers on every response, computed once. CORS stays closed: Nest sends no
  // CORS headers unless enableCors() is called, and browsers reach Junction through the gateway's
  // single origin.
  addSecurityHeaders(fastify);
  if (grpc && definition.grpc) {
    app.connectMicroservice<MicroserviceOptions>(
      grpcServerOptions(
        definition.grpc.service,
        definition.grpc.port(config),
        grpc,
        maxMessageBytes,
      ),
      { inheritAppConfig: true },
    );
    await app.startAllMicroservices();
  }
  await app.listen(config.httpPort, '0.0.0.0');
  logger.info({ httpPort: config.httpPort }, `${definition.name} started`);
  handleSignals(app, { readiness, observed }, grpc, config, logger);
}

function handleSignals(
  app: INestApplication,
  health: { readonly readiness: Readiness; readonly observed: ObservedDependencies },
  grpc: GrpcServerHandle | undefined,
  config: PlatformConfig,
  logger: Logger,
): void {
  let stopping = false;
  const stop = async (signal: NodeJS.Signals): Promise<void> => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'shutting down');
    const deadline = setTimeout(() => {
      logger.error(`shutdown took longer than ${config.shutdownTimeoutMs} ms; exiting`);
      process.exit(1);
    }, config.shutdownTimeoutMs);
    deadline.unref();
    health.readiness.markShuttingDown();
    health.observed.markShuttingDown();
    await grpc?.drain(config.shutdownTimeoutMs);
    // Nest: consumers stop (beforeApplicationShutdown), HTTP closes after in-flight requests,
    // then connections close (onApplicationShutdown).
    await app.close();
    await shutdownTelemetry();
    logger.info('stopped');
    logger.flush();
    process.exit(0);
  };
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    process.once(signal, (s) => {
      void stop(s);
    });
  }
}
