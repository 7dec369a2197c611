import { type ChannelCredentials, credentials, makeGenericClientConstructor } from '@grpc/grpc-js';
import { service as healthService } from 'grpc-health-check';
import { type DependencyCheck } from '../health/readiness';

interface HealthClient {
  check(
    request: { service: string },
    options: { deadline: number },
    callback: (error: Error | null, response?: { status: string | number }) => void,
  ): void;
  close(): void;
}

/** Readiness of a gRPC peer, asked through its standard grpc.health.v1 service. */
export function grpcPeerCheck(
  name: string,
  target: string,
  channelCredentials: ChannelCredentials = credentials.createInsecure(),
): DependencyCheck & { close(): void } {
  const Constructor = makeGenericClientConstructor(healthService, 'grpc.health.v1.Health');
  const client = new Constructor(target, channelCredentials) as unknown as HealthClient;
  return {
    name,
    check: () =>
      new Promise((resolve, reject) => {
        client.check({ service: '' }, { deadline: Date.now() + 1_000 }, (error, response) => {
          if (error) reject(error);
          else if (response?.status === 'SERVING' || response?.status === 1) resolve();
          else reject(new Error(`health status ${String(response?.status)}`));
        });
      }),
    close: () => {
      client.close();
    },
  };
}
