// GET /shop/config.json: which optional parts of the storefront are on (the server's settings).
import { createContext, useContext } from 'react';
import { type AppConfig, STOREFRONT_SERVICE_NAME } from '../server/app-config.ts';

export type { AppConfig };

export const OFF: AppConfig = {
  tracing: false,
  traces: false,
  jaegerUiUrl: null,
  demoPanel: false,
  serviceName: STOREFRONT_SERVICE_NAME,
};

export async function loadConfig(): Promise<AppConfig> {
  try {
    const response = await fetch('/shop/config.json');
    return response.ok ? { ...OFF, ...((await response.json()) as Partial<AppConfig>) } : OFF;
  } catch {
    return OFF;
  }
}

export const ConfigContext = createContext<AppConfig>(OFF);

export function useConfig(): AppConfig {
  return useContext(ConfigContext);
}
