import { readYamlFile } from './repo.mts';

/** What charts/junction/values.yaml declares about one service (the parts the checks read). */
export interface ChartService {
  image: { repository: string; tag: string };
  httpPort: number;
  publicRoutes?: ({ prefix?: string; exact?: string; streamRegex?: string } | null)[] | null;
  rabbitmq?: boolean;
  grpc?: {
    port: number;
    service: string;
    callers: string[];
    methods: { name: string; idempotent: boolean }[];
  };
}

/**
 * The services the chart deploys, by name, as declared in values.yaml: the one list the checks
 * derive their expectations from, so a generated service is checked like the five originals.
 */
export function chartServices(): Record<string, ChartService> {
  const [values] = readYamlFile('charts/junction/values.yaml') as [
    { services: Record<string, ChartService> },
  ];
  return values.services;
}

/** `/<package>.<Service>/<Method>` paths of a service's gRPC API, as Istio matches them. */
export const grpcPaths = (grpc: NonNullable<ChartService['grpc']>): string[] =>
  grpc.methods.map((m) => `/${grpc.service}/${m.name}`);
