// `npm run screenshots`: the README's picture of the storefront, taken in Debian's Chromium by
// driving the storefront the way its browser test does (support/storefront-flow.mts) against
// the e2e place's stack: register, +300 ms on payment from the demo panel, "Run both" — a
// blocking and a queued order side by side — then docs/images/storefront.png. Run by hand
// when the storefront's look changes; CI never rewrites it.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { ROOT } from '../../tools/local/topology.mts';
import { startShop } from './support/storefront.mts';
import { addLatency, register, runBoth } from './support/storefront-flow.mts';

const { values } = parseArgs({
  options: {
    out: { type: 'string', default: join(ROOT, 'docs', 'images', 'storefront.png') },
    help: { type: 'boolean', short: 'h', default: false },
  },
});
if (values.help) {
  console.log(`npm run screenshots [-- --out <file.png>]

Starts the services, the storefront, the gateway, a collector and Jaeger on the e2e tests' place
(ports +100, Redis database 9, vhost junction-e2e; E2E_PORT_OFFSET, E2E_REDIS_URL, E2E_VHOST move
them), drives Debian's Chromium (CHROMIUM_PATH moves it) through the storefront's demo panel and
saves a blocking and a queued order side by side (default docs/images/storefront.png).
Needs RabbitMQ, Redis, the built workspace and the pinned Jaeger and collector.`);
  process.exit(0);
}

const shop = await startShop();
let status = 0;
try {
  const context = await shop.browser.newContext({ viewport: { width: 1280, height: 860 } });
  const page = await context.newPage();
  await page.goto(shop.url);
  await register(page, `screenshot-${String(Date.now())}@example.com`);
  await addLatency(page, 'payment', 300);
  const { blockingMs, acceptedMs } = await runBoth(page);
  // The waterfalls fill in as the spans reach Jaeger (the page reads them again for ~16 s):
  // wait for the click that starts each trace, and for the queued one's last hop.
  const [blockingTrace, queuedTrace] = [0, 1].map((i) => page.getByTestId('waterfall').nth(i));
  await blockingTrace?.getByText('checkout blocking').waitFor({ timeout: 30_000 });
  await queuedTrace?.getByText('checkout queued').waitFor({ timeout: 30_000 });
  await queuedTrace
    ?.getByText('process junction.events:payment.captured')
    .waitFor({ timeout: 30_000 });
  // The two timelines side by side, from the "Run both" heading down.
  const heading = await page.getByRole('heading', { name: 'Run both', exact: true }).boundingBox();
  const viewport = page.viewportSize() ?? { width: 1280, height: 860 };
  mkdirSync(join(values.out, '..'), { recursive: true });
  await page.screenshot({
    path: values.out,
    fullPage: true,
    clip: { x: 0, y: Math.max(0, (heading?.y ?? 0) - 24), ...viewport },
  });
  await page.getByRole('button', { name: 'Reset payment' }).click();
  await context.close();
  console.log(
    `${values.out}: blocking confirmed in ${String(blockingMs)} ms, queued accepted in ${String(acceptedMs)} ms`,
  );
} catch (error) {
  console.error(error instanceof Error ? error.message : String(error));
  console.error(shop.logs());
  status = 1;
} finally {
  await shop.stop();
}
process.exit(status);
