import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { credentials, loadPackageDefinition, makeGenericClientConstructor } from '@grpc/grpc-js';
import { loadSync } from '@grpc/proto-loader';
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

interface ReflectionStream {
  write(request: { listServices: string }): void;
  end(): void;
  on(
    event: 'data',
    listener: (response: { listServicesResponse?: { service: { name: string }[] } }) => void,
  ): void;
  on(event: 'error', listener: (error: Error) => void): void;
}

/** The services a gRPC server lists through server reflection (grpc.reflection.v1). */
export async function reflectedServices(target: string): Promise<string[]> {
  const protoPath = join(
    dirname(createRequire(import.meta.url).resolve('@grpc/reflection')),
    '..',
    'proto',
    'grpc',
    'reflection',
    'v1',
    'reflection.proto',
  );
  const definition = loadSync(protoPath, { keepCase: false });
  const pkg = loadPackageDefinition(definition) as unknown as {
    grpc: {
      reflection: {
        v1: {
          ServerReflection: new (
            target: string,
            creds: unknown,
          ) => { serverReflectionInfo(): ReflectionStream; close(): void };
        };
      };
    };
  };
  const client = new pkg.grpc.reflection.v1.ServerReflection(target, credentials.createInsecure());
  try {
    return await new Promise((resolve, reject) => {
      const stream = client.serverReflectionInfo();
      stream.on('data', (response) => {
        resolve((response.listServicesResponse?.service ?? []).map((s) => s.name).sort());
        stream.end();
      });
      stream.on('error', reject);
      stream.write({ listServices: '' });
    });
  } finally {
    client.close();
  }
}
