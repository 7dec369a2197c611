import { credentials, makeGenericClientConstructor } from '@grpc/grpc-js';
import { service as healthService } from 'grpc-health-check';

interface HealthClient {
  check(
    request: { service: string },
    options: { deadline: number },
    callback: (error: Error | null, response?: { status: string | number }) => void,
  ): void;
  close(): void;
}

/** Asks a gRPC server's standard grpc.health.v1 service for its status. */
export async function grpcHealth(target: string, service = ''): Promise<string> {
  const Client = makeGenericClientConstructor(healthService, 'grpc.health.v1.Health');
  const client = new Client(target, credentials.createInsecure()) as unknown as HealthClient;
  try {
    return await new Promise((resolve, reject) => {
      client.check({ service }, { deadline: Date.now() + 3_000 }, (error, response) => {
        if (error) reject(error);
        else resolve(String(response?.status));
      });
    });
  } finally {
    client.close();
  }
}
