// The storefront as a person meets it, for the browser test and `npm run screenshots`: the five
// services and the storefront's server from their built output, behind the local gateway (one
// origin, as in the cluster), every span — the browser's, through the storefront's OTLP relay,
// and the services' — going through the chart's collector into a real Jaeger, and Debian's
// Chromium driven by playwright-core (no browser download can be reached here).
import { awaitTool } from '@junction/toolchain';
import { type Browser, chromium } from 'playwright-core';
import {
  type RunningCollector,
  startCollector,
  freeCollectorPorts,
} from '../../../tools/local/collector.mts';
import { type Gateway, startGateway } from '../../../tools/local/gateway.mts';
import { freeJaegerPorts, type RunningJaeger, startJaeger } from '../../../tools/local/jaeger.mts';
import { type RunningService, startWebApp, stopAll } from '../../../tools/local/topology.mts';
import { PORT_OFFSET, removeInfrastructure, resetInfrastructure } from './environment.mts';
import { JaegerQuery } from './jaeger-query.mts';
import { type E2eTopology, REFERENCE_SERVICES, startE2eTopology } from './topology.mts';

/** Debian's `chromium` package (CHROMIUM_PATH moves it). */
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

export interface Shop {
  /** The storefront's first page through the gateway, e.g. http://127.0.0.1:8180/shop/ */
  readonly url: string;
  readonly gateway: Gateway;
  readonly services: E2eTopology;
  readonly storefront: RunningService;
  readonly jaeger: JaegerQuery;
  readonly browser: Browser;
  /** Every program's output, prefixed with its name, for a failure's message. */
  logs(): string;
  /** Stops everything; resolves with each program's exit code. */
  stop(): Promise<Record<string, number | null>>;
}

/** Chromium refuses to run as root with its sandbox on (CI's containers run as root). */
export function launchChromium(): Promise<Browser> {
  const root = process.getuid?.() === 0;
  return chromium.launch({
    executablePath: CHROMIUM,
    args: root ? ['--no-sandbox'] : [],
  });
}

export async function startShop(): Promise<Shop> {
  for (const name of ['jaeger', 'otelcol'] as const) await awaitTool(name, { onWait: console.log });
  const lines: string[] = [];
  const onLine = (program: string, line: string) => {
    lines.push(`${program.padEnd(10)} | ${line}`);
    if (process.env.E2E_VERBOSE) console.log(`${program.padEnd(10)} | ${line}`);
  };
  await resetInfrastructure();
  let jaeger: RunningJaeger | undefined;
  let collector: RunningCollector | undefined;
  let services: E2eTopology | undefined;
  let storefront: RunningService | undefined;
  let gateway: Gateway | undefined;
  let browser: Browser | undefined;
  const stop = async (): Promise<Record<string, number | null>> => {
    await browser?.close();
    await gateway?.close();
    const codes = {
      ...(storefront ? await stopAll([storefront]) : {}),
      ...(services ? await services.stop() : {}),
    };
    await collector?.stop();
    await jaeger?.stop();
    await removeInfrastructure();
    return codes;
  };
  try {
    const runningJaeger = await startJaeger({ ports: await freeJaegerPorts() });
    jaeger = runningJaeger;
    const runningCollector = await startCollector({
      jaegerOtlpGrpc: runningJaeger.otlpGrpcEndpoint,
      ports: await freeCollectorPorts(),
    });
    collector = runningCollector;
    const otel = {
      OTEL_EXPORTER_OTLP_ENDPOINT: runningCollector.otlpEndpoint,
      OTEL_EXPORTER_OTLP_PROTOCOL: 'http/protobuf',
      OTEL_BSP_SCHEDULE_DELAY: '200',
      OTEL_METRICS_EXPORTER: 'none',
    };
    services = await startE2eTopology({
      env: Object.fromEntries(REFERENCE_SERVICES.map((service) => [service, otel])),
      onLine,
    });
    storefront = await startWebApp('storefront', {
      portOffset: PORT_OFFSET,
      otlpTracesUrl: `${runningCollector.otlpEndpoint}/v1/traces`,
      jaegerQueryUrl: runningJaeger.queryUrl,
      onLine,
    });
    gateway = await startGateway({ portOffset: PORT_OFFSET, host: '127.0.0.1' });
    browser = await launchChromium();
    return {
      url: `${gateway.url}/shop/`,
      gateway,
      services,
      storefront,
      jaeger: new JaegerQuery(runningJaeger.queryUrl),
      browser,
      logs: () =>
        [
          ...lines.slice(-60),
          `--- collector ---\n${runningCollector.output()}`,
          `--- jaeger ---\n${runningJaeger.output()}`,
        ].join('\n'),
      stop,
    };
  } catch (error) {
    await stop().catch(() => undefined);
    const reason = error instanceof Error ? error.message : String(error);
    throw new Error(`${reason}\n--- last lines ---\n${lines.slice(-40).join('\n')}`);
  }
}
