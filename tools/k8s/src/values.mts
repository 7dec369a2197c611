import { readYamlFile } from './repo.mts';

/** What charts/junction/values.yaml declares about one service (the parts the checks read). */
export interface ChartService {
  image: { repository: string; tag: string };
  httpPort: number;
  publicRoutes?: { method: string; path: string; stream?: boolean }[];
  rabbitmq?: boolean;
  grpc?: {
    port: number;
    service: string;
    methods: { name: string; idempotent: boolean; callers: string[] }[];
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
