// What the app reads at start (GET /shop/config.json), written once for both sides: the server
// builds it from its settings (static-app.ts), the browser reads it (src/config.ts, a type-only
// import, so nothing of the server reaches the bundle but the service name).

/** The browser's service.name; the OTLP relay accepts spans of no other service. */
export const STOREFRONT_SERVICE_NAME = 'junction-storefront';

/** Which optional parts of the storefront are on. */
export interface AppConfig {
  readonly tracing: boolean;
  readonly traces: boolean;
  readonly jaegerUiUrl: string | null;
  readonly demoPanel: boolean;
  readonly serviceName: string;
}
