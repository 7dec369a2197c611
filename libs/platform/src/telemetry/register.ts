// Side-effect entry point: `import '@junction/platform/telemetry'` as the first line of a
// service's main.ts, so the SDK patches http, grpc-js, amqplib, ioredis and Nest before they load.
import { startTelemetry } from './sdk';

startTelemetry();
