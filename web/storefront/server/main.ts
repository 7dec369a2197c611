// Starts the storefront server: settings from the environment (a bad one: exit 1 naming the
// variable), one JSON log line with them, a graceful stop on SIGTERM/SIGINT.
import { fileURLToPath } from 'node:url';
import { buildApp } from './app.ts';
import { ConfigError, describeConfig, loadConfig, type StorefrontConfig } from './config.ts';

function configOrExit(): StorefrontConfig {
  try {
    return loadConfig(process.env);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    process.stderr.write(`storefront: invalid configuration: ${error.message}\n`);
    process.exit(1);
  }
}

const config = configOrExit();
// dist/server/main.js serves dist/public, wherever the process was started from.
const publicDir = fileURLToPath(new URL('../public/', import.meta.url));
const app = await buildApp({ config, publicDir, logger: { level: 'info' } });

for (const signal of ['SIGTERM', 'SIGINT'] as const) {
  process.once(signal, () => {
    app.log.info({ signal }, 'storefront stopping');
    app.close().then(
      () => process.exit(0),
      (error: unknown) => {
        app.log.error({ err: error }, 'storefront did not stop cleanly');
        process.exit(1);
      },
    );
  });
}

const url = await app.listen({ port: config.port, host: config.host });
app.log.info({ url, settings: describeConfig(config), publicDir }, 'storefront started');
