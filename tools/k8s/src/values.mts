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

/** What values.yaml's generated `web` block declares about one web app (topology.yaml `web`). */
export interface ChartWebApp {
  httpPort: number;
  prefix: string;
  demo: string[];
}

/** The web apps the chart deploys (the storefront), by name, as declared in values.yaml. */
export function chartWebApps(): Record<string, ChartWebApp> {
  const [values] = readYamlFile('charts/junction/values.yaml') as [
    { web: Record<string, ChartWebApp> },
  ];
  return values.web;
}
